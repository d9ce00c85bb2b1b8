export * from './types';
export * from './errors';
export { createConektaGateway, mapConektaOrder, type ConektaGatewayOptions } from './conekta';
export {
  createMercadoPagoGateway,
  configureMercadoPagoBaseUrl,
  getMercadoPagoBaseUrl,
  mapMercadoPagoPayment,
  MERCADOPAGO_DEFAULT_BASE_URL,
  type MercadoPagoGatewayOptions,
} from './mercadopago';
export { verifyMercadoPagoSignature, verifyConektaDigest, type SignatureCheck, type MercadoPagoSignatureInput } from './webhooks';
export { conektaDeclineMessage, mercadoPagoStatusMessage, GENERIC_DECLINE_MESSAGE, PENDING_MESSAGE } from './messages';
