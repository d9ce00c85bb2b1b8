/** Spanish, customer-safe texts for Mercado Pago's status details and error causes (never its own text). */
import { GENERIC_DECLINE_MESSAGE, INVALID_CARD_DATA_MESSAGE, PENDING_MESSAGE } from '../gateways/messages';

/** Mercado Pago `status_detail` of a rejected (or pending) payment. */
const MERCADOPAGO_MESSAGES: Record<string, string> = {
  cc_rejected_bad_filled_card_number: 'Revisa el número de la tarjeta.',
  cc_rejected_bad_filled_date: 'Revisa la fecha de vencimiento de la tarjeta.',
  cc_rejected_bad_filled_other: 'Revisa los datos de la tarjeta.',
  cc_rejected_bad_filled_security_code: 'Revisa el código de seguridad (CVV) de la tarjeta.',
  cc_rejected_blacklist: 'No pudimos procesar tu pago. Usa otra tarjeta u otro medio de pago.',
  cc_rejected_call_for_authorize: 'Tu banco pide que autorices el pago. Llama a tu banco y vuelve a intentarlo.',
  cc_rejected_card_disabled: 'Tu tarjeta no está activa. Llama a tu banco para activarla o usa otra tarjeta.',
  cc_rejected_card_error: 'No pudimos procesar tu pago. Intenta con otra tarjeta.',
  cc_rejected_duplicated_payment: 'Ya hiciste un pago por ese monto. Si necesitas volver a pagar, usa otra tarjeta u otro medio de pago.',
  cc_rejected_high_risk: 'Tu pago fue rechazado por seguridad. Usa otra tarjeta u otro medio de pago.',
  cc_rejected_insufficient_amount: 'La tarjeta no tiene fondos suficientes. Intenta con otra tarjeta.',
  cc_rejected_invalid_installments: 'Tu tarjeta no acepta pagos en ese número de mensualidades.',
  cc_rejected_max_attempts: 'Llegaste al límite de intentos permitidos. Usa otra tarjeta u otro medio de pago.',
  cc_rejected_other_reason: 'Tu banco no procesó el pago. Intenta con otra tarjeta o comunícate con tu banco.',
  cc_rejected_card_type_not_allowed: 'Este tipo de tarjeta no se acepta. Usa otra tarjeta.',
  cc_rejected_3ds_challenge: 'No se pudo verificar la tarjeta con tu banco (3D Secure). Intenta de nuevo o usa otra tarjeta.',
  cc_rejected_3ds_mandatory: 'Tu banco requiere verificación 3D Secure para este pago. Usa otra tarjeta.',
  cc_amount_rate_limit_exceeded: 'La tarjeta superó su límite permitido. Usa otra tarjeta u otro medio de pago.',
  rejected_high_risk: 'Tu pago fue rechazado por seguridad. Usa otra tarjeta u otro medio de pago.',
  rejected_by_bank: 'Tu banco rechazó el pago. Intenta con otra tarjeta o comunícate con tu banco.',
  rejected_insufficient_data: 'Faltan datos para procesar el pago. Revísalos e intenta de nuevo.',
  rejected_by_regulations: 'El pago no se pudo procesar. Usa otra tarjeta u otro medio de pago.',
  bank_error: 'Tu banco no pudo procesar el pago. Intenta más tarde.',
  expired: 'El pago expiró. Vuelve a intentarlo.',
  by_collector: 'El pago fue cancelado.',
  by_payer: 'El pago fue cancelado.',
  pending_contingency: PENDING_MESSAGE,
  pending_review_manual: PENDING_MESSAGE,
};

export function mercadoPagoStatusMessage(statusDetail: string | undefined): string {
  if (!statusDetail) return GENERIC_DECLINE_MESSAGE;
  return MERCADOPAGO_MESSAGES[statusDetail] ?? GENERIC_DECLINE_MESSAGE;
}

/** Mercado Pago 400-class `cause[].code` values that mean "the card data is wrong". */
const MERCADOPAGO_CAUSES: Record<string, string> = {
  '2006': 'No pudimos leer los datos de la tarjeta. Vuelve a capturarlos.', // card token not found
  '3003': 'No pudimos leer los datos de la tarjeta. Vuelve a capturarlos.', // invalid card_token_id
  '3011': 'El medio de pago no es válido. Usa otra tarjeta.',
  '3034': 'Revisa el número de la tarjeta.',
  '4033': 'Tu tarjeta no acepta pagos en ese número de mensualidades.',
  '4037': INVALID_CARD_DATA_MESSAGE,
  '4050': 'Revisa el correo electrónico.',
  '2067': 'Revisa tu identificación.',
};

export function mercadoPagoCauseMessage(code: string | undefined): string {
  if (!code) return INVALID_CARD_DATA_MESSAGE;
  return MERCADOPAGO_CAUSES[code] ?? INVALID_CARD_DATA_MESSAGE;
}
