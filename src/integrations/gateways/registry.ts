/**
 * The gateways this service speaks to, by name. Adding a gateway: a folder in
 * src/integrations/ with its charge/lookup/refund client and its webhook
 * parser (behind port.ts), registered here.
 */
import { conektaWebhooks } from '../conekta/webhook';
import { mercadoPagoWebhooks } from '../mercadopago/webhook';
import type { GatewayName, WebhookParser } from './port';

export const WEBHOOK_PARSERS: { readonly [N in GatewayName]: WebhookParser } = {
  conekta: conektaWebhooks,
  mercadopago: mercadoPagoWebhooks,
};
