/** Mercado Pago as a provider (see ../gateways/provider.ts): registered in ../gateways/registry.ts. */
import type { GatewayProvider } from '../gateways/provider';
import { configureMercadoPagoBaseUrl, createMercadoPagoGateway } from './gateway';
import { mercadoPagoStatusWord } from './status';
import { mercadoPagoWebhooks } from './webhook';

export const mercadoPagoProvider: GatewayProvider = {
  id: 'mercadopago',
  label: 'Mercado Pago',
  webhookSlug: 'mercado-pago',
  webhookSummary: 'Notificaciones de Mercado Pago (x-signature verificada con la clave secreta de la empresa; sin clave secreta se rechazan)',
  webhooks: mercadoPagoWebhooks,
  cashMethods: ['oxxo', 'paycash', 'spei'],
  phoneRequired: () => false,
  originalCardPath: '/api/v1/payments/pagar-mercado-pago',
  portalCard: true,
  // Each payment carries its notification_url (the company's webhook URL).
  sendsWebhookUrlWithCharge: true,
  statusWord: mercadoPagoStatusWord,
  // The SDK has no per-client base URL: set once for the process.
  configure: (config) => configureMercadoPagoBaseUrl(config.mercadoPago.apiUrl),
  accountFields: {
    secreto: 'Access token de Mercado Pago (APP_USR-... o TEST-...)',
    llave_publica: 'Public key de Mercado Pago, con la que el portal tokeniza la tarjeta',
    webhook_secreto: 'Clave secreta de los webhooks de su aplicación (x-signature)',
  },
  settingsPath: '/api/v1/payments/configurar-credenciales',
  credentials: {
    // The company's access token (no platform default).
    secret: ({ account, open }) => open(account?.secreto_enc),
    // The "clave secreta" of the company's Mercado Pago application, sealed.
    webhookKey: ({ account, open }) => open(account?.webhook_secreto_enc),
  },
  settingsView: {
    publicKey: (account) => account?.llave_publica ?? null,
    // Its own access token and public key (no platform default).
    configured: (account) => Boolean(account?.secreto_enc && account.llave_publica),
  },
  client: (accessToken, config) => createMercadoPagoGateway({ accessToken, timeoutMs: config.payments.gatewayTimeoutMs }),
};
