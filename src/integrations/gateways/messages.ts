/**
 * Spanish, customer-safe texts for the reasons a gateway gives. We never show
 * the gateway's own text: it may be English, technical, or change without notice.
 */

export const GENERIC_DECLINE_MESSAGE = 'No se pudo procesar el pago con esta tarjeta. Intenta con otra tarjeta o comunícate con tu banco.';
export const INVALID_CARD_DATA_MESSAGE = 'Los datos de pago no son válidos. Revísalos e intenta de nuevo.';
export const PENDING_MESSAGE = 'Tu pago está en revisión. Te avisaremos en cuanto se confirme.';
