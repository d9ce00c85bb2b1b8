/**
 * Mercado Pago's payment statuses and ours, both ways, declared once: reading a
 * payment (`mapMercadoPagoPayment`) and answering in Mercado Pago's words where
 * the original service did (`mercado_pago.status` in a purchase answer,
 * GET /api/v1/payments/estado-pago/{payment_id}).
 */
import type { LookupStatus } from '../gateways/port';

/** A Mercado Pago status as our lookup status. */
export const MERCADOPAGO_STATUS: Readonly<Record<string, LookupStatus>> = {
  approved: 'paid',
  in_mediation: 'paid', // a dispute is open; money is still ours until charged_back
  authorized: 'pending', // reserved, not captured
  pending: 'pending',
  in_process: 'pending',
  rejected: 'declined',
  cancelled: 'expired',
  refunded: 'refunded',
  charged_back: 'charged_back',
};

/** A sale's `estado_pago` in Mercado Pago's words (`unknown`: we are still asking, as Mercado Pago's in_process). */
const WORD_OF_ESTADO: Readonly<Record<string, string>> = {
  paid: 'approved', pending: 'pending', unknown: 'in_process', declined: 'rejected', expired: 'cancelled', refunded: 'refunded', charged_back: 'charged_back',
};

export function mercadoPagoStatusWord(estadoPago: string): string {
  return WORD_OF_ESTADO[estadoPago] ?? estadoPago;
}
