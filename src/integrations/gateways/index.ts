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
export { WEBHOOK_PARSERS } from './registry';
export { httpFetch, type SmallFetch, type SmallResponse } from './http-fetch';
