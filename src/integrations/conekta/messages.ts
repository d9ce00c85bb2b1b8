/** Spanish, customer-safe texts for Conekta's decline codes (never Conekta's own text). */
import { GENERIC_DECLINE_MESSAGE, INVALID_CARD_DATA_MESSAGE } from '../gateways/messages';

/** Conekta error codes (`details[].code`, or a charge's `failure_code`). */
const CONEKTA_MESSAGES: Record<string, string> = {
  'conekta.errors.processing.bank.declined': 'Tu banco rechazó el pago. Intenta con otra tarjeta o comunícate con tu banco.',
  'conekta.errors.processing.bank.insufficient_funds': 'La tarjeta no tiene fondos suficientes. Intenta con otra tarjeta.',
  'conekta.errors.processing.charge.card_payment.suspicious_behaviour':
    'El pago fue rechazado por seguridad. Intenta con otra tarjeta o comunícate con tu banco.',
  'conekta.errors.processing.charge.card_payment.declined_by_3ds':
    'No se pudo verificar la tarjeta con tu banco (3D Secure). Intenta de nuevo o usa otra tarjeta.',
  'conekta.errors.parameter_validation.expiration_date.expired': 'La tarjeta está vencida. Usa otra tarjeta.',
  'conekta.errors.processing.tokenization.used': 'Los datos de la tarjeta ya se usaron en otro intento. Vuelve a capturarlos.',
  'conekta.errors.parameter_validation.payment_method.token_id.nonexistent_token':
    'No pudimos leer los datos de la tarjeta. Vuelve a capturarlos.',
  // charge.failure_code values seen in declined orders
  card_declined: 'Tu banco rechazó el pago. Intenta con otra tarjeta o comunícate con tu banco.',
  insufficient_funds: 'La tarjeta no tiene fondos suficientes. Intenta con otra tarjeta.',
  suspected_fraud: 'El pago fue rechazado por seguridad. Intenta con otra tarjeta o comunícate con tu banco.',
  expired_card: 'La tarjeta está vencida. Usa otra tarjeta.',
};

/** Fallbacks by fragment, for codes we have not seen spelled exactly. */
const CONEKTA_FRAGMENTS: Array<[RegExp, string]> = [
  [/insufficient_funds/, CONEKTA_MESSAGES['conekta.errors.processing.bank.insufficient_funds']!],
  [/suspicious|fraud|blacklist|risk/, CONEKTA_MESSAGES['conekta.errors.processing.charge.card_payment.suspicious_behaviour']!],
  [/3ds|three_d/, CONEKTA_MESSAGES['conekta.errors.processing.charge.card_payment.declined_by_3ds']!],
  [/expir/, CONEKTA_MESSAGES['conekta.errors.parameter_validation.expiration_date.expired']!],
  [/tokenization\.used|token.*used/, CONEKTA_MESSAGES['conekta.errors.processing.tokenization.used']!],
  [/nonexistent_token|token_id/, CONEKTA_MESSAGES['conekta.errors.parameter_validation.payment_method.token_id.nonexistent_token']!],
  [/stolen|lost|restricted|not_supported|unsupported/, GENERIC_DECLINE_MESSAGE],
  [/bank|processing/, CONEKTA_MESSAGES['conekta.errors.processing.bank.declined']!],
  [/parameter_validation/, INVALID_CARD_DATA_MESSAGE],
];

export function conektaDeclineMessage(code: string | undefined): string {
  if (!code) return GENERIC_DECLINE_MESSAGE;
  const exact = CONEKTA_MESSAGES[code];
  if (exact) return exact;
  for (const [pattern, message] of CONEKTA_FRAGMENTS) if (pattern.test(code)) return message;
  return GENERIC_DECLINE_MESSAGE;
}

