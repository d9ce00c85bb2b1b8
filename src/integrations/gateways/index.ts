export * from './port';
export * from './errors';
export { createConektaGateway, mapConektaOrder, CONEKTA_PLACEHOLDER_PHONE, type ConektaGatewayOptions } from '../conekta/gateway';
export {
  createMercadoPagoGateway,
  configureMercadoPagoBaseUrl,
  getMercadoPagoBaseUrl,
  mapMercadoPagoPayment,
  MERCADOPAGO_DEFAULT_BASE_URL,
  type MercadoPagoGatewayOptions,
} from '../mercadopago/gateway';
export { verifyConektaDigest, conektaWebhooks } from '../conekta/webhook';
export {
  createConektaWebhookSetup, ConektaWebhookSetupError, CONEKTA_WEBHOOK_EVENTS, type ConektaWebhookRegistration, type ConektaWebhookSetup,
} from '../conekta/webhook-setup';
export { verifyMercadoPagoSignature, mercadoPagoWebhooks, type MercadoPagoSignatureInput } from '../mercadopago/webhook';
export { conektaDeclineMessage } from '../conekta/messages';
export { mercadoPagoStatusMessage } from '../mercadopago/messages';
export { GENERIC_DECLINE_MESSAGE, PENDING_MESSAGE } from './messages';
export { conektaProvider } from '../conekta/provider';
export { mercadoPagoProvider } from '../mercadopago/provider';
export { createGatewayRegistry, GATEWAY_PROVIDERS, webhookPath, type GatewayRegistry } from './registry';
export { ACCOUNT_FIELDS, type AccountField, type GatewayProvider, type StoredAccount, type StoredSettings } from './provider';
export { mercadoPagoStatusWord, MERCADOPAGO_STATUS } from '../mercadopago/status';
export { httpFetch, type SmallFetch, type SmallResponse } from './http-fetch';
