/** Conekta as a provider (see ../gateways/provider.ts): registered in ../gateways/registry.ts. */
import type { GatewayProvider } from '../gateways/provider';
import { httpFetch } from '../gateways/http-fetch';
import { createConektaGateway } from './gateway';
import { conektaWebhooks } from './webhook';

export const conektaProvider: GatewayProvider = {
  id: 'conekta',
  label: 'Conekta',
  webhookSlug: 'conekta',
  webhookSummary: 'Eventos de Conekta (encabezado digest verificado con la llave de webhook de la empresa; sin llave se rechazan)',
  webhooks: conektaWebhooks,
  cashMethods: ['oxxo', 'spei'],
  // Conekta refuses a cash order without `customer_info.phone`; a card order gets a placeholder, as the original did.
  phoneRequired: (method) => method !== 'tarjeta',
  originalCardPath: '/api/v1/payments/pagar-conekta',
  portalCard: true,
  sendsWebhookUrlWithCharge: false,
  accountFields: {
    secreto: 'Llave privada de Conekta (key_...)',
    llave_publica: 'Llave pública de Conekta, con la que el portal tokeniza la tarjeta',
    webhook_llave: 'Llave pública PEM con la que Conekta firma sus webhooks',
  },
  // Its keys, with the original's names, and the webhooks it registers at Conekta on save (issue 23).
  settingsPath: '/api/v1/admin/mi-empresa/configurar-conekta',
  credentials: {
    // The company's own private key, else the platform's default (CONEKTA_DEFAULT_PRIVATE_KEY).
    secret: ({ account, open }, config) => open(account?.secreto_enc) ?? (config.conekta.defaultPrivateKey || null),
    // The public PEM of the webhook key registered with the company's private key (in the clear: it is public).
    webhookKey: ({ account }) => account?.webhook_llave ?? null,
    platformAccount: ({ account }, config) => !account?.secreto_enc && Boolean(config.conekta.defaultPrivateKey),
  },
  settingsView: {
    // The company's public key, else the platform's default; configured with a private key (own or the platform's) and a public key.
    publicKey: (account, config) => account?.llave_publica ?? (config.conekta.defaultPublicKey || null),
    configured: (account, config) => Boolean(account?.secreto_enc || config.conekta.defaultPrivateKey)
      && Boolean(account?.llave_publica ?? config.conekta.defaultPublicKey),
  },
  // node:http with a keep-alive agent instead of global fetch: less CPU per charge (issue 26).
  client: (privateKey, config) => createConektaGateway({
    baseUrl: config.conekta.apiUrl, privateKey, timeoutMs: config.payments.gatewayTimeoutMs, fetch: httpFetch as unknown as typeof fetch,
  }),
};
