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
export { verifyMercadoPagoSignature, verifyConektaDigest, type SignatureCheck, type MercadoPagoSignatureInput } from './webhook-signatures';
export { conektaDeclineMessage, mercadoPagoStatusMessage, GENERIC_DECLINE_MESSAGE, PENDING_MESSAGE } from './messages';
