/**
 * What the gateway says a charge became, applied to our transaction. The
 * confirmation job, webhooks and the reconciler all end here, so every path
 * makes the same conditional transitions.
 */
import type { Logger } from '../../platform/logger';
import type { JobQueues } from '../../platform/jobs/queues';
import type { LookupOutcome } from '../../integrations/gateways';
import { toCents } from '../../platform/money';
import type { TransaccionRow, TransactionsStore } from './store';

/**
 * The company's Telegram chat hears of every sale and decline, by a job (never in
 * the request); it decides whether the company enabled it. Losing the enqueue
 * (Redis down) loses a notification, never a sale.
 */
export function notifySale(jobs: JobQueues, logger: Logger, id: string, evento: 'venta' | 'rechazo'): Promise<void> {
  return jobs.enqueue('notify-telegram', { transaccionId: id, evento }).catch((error: Error) =>
    logger.warn({ trx: id, err: { message: error.message } }, 'telegram notification not enqueued'));
}

export type OutcomeResult = 'changed' | 'unchanged' | 'undecided' | 'mismatch';

export function createOutcomeApplier(deps: { transactions: TransactionsStore; jobs: JobQueues; logger: Logger }) {
  const { transactions, jobs, logger } = deps;

  const enqueue = (name: 'provision-user' | 'disable-user', id: string) =>
    jobs.enqueue(name, { transaccionId: id }).catch((error: Error) =>
      logger.warn({ trx: id, job: name, err: { message: error.message } }, 'job not enqueued; the reconciler will pick it up'));

  /** Money that does not add up is a person's call: no path retries it on its own. */
  const holdForReview = (id: string, reason: string) => transactions.update(id, { requiere_revision: reason });

  return async function applyOutcome(row: TransaccionRow, lookup: LookupOutcome, source: string): Promise<OutcomeResult> {
    const detail = { fuente: source, gateway_status: lookup.gatewayStatus, gateway_status_detail: lookup.gatewayStatusDetail };
    if (lookup.transaccionId && lookup.transaccionId !== row.id) {
      await transactions.event(row.id, 'gateway_referencia_distinta', { ...detail, referencia: lookup.transaccionId });
      await holdForReview(row.id, 'La referencia del gateway no coincide con la transacción');
      return 'mismatch';
    }
    const gatewayId = lookup.gatewayId ? { gateway_id: lookup.gatewayId } : {};
    switch (lookup.status) {
      case 'paid': {
        if (lookup.amountCents !== undefined && lookup.amountCents !== toCents(row.monto)) {
          await transactions.event(row.id, 'monto_no_coincide', { ...detail, cobrado: lookup.amountCents, esperado: toCents(row.monto) });
          logger.error({ trx: row.id }, 'gateway amount differs from the transaction; left for review');
          await holdForReview(row.id, 'El monto cobrado por el gateway no coincide con el de la transacción');
          return 'mismatch';
        }
        // A late approval after we gave up (expired) still gets the customer access.
        const moved = await transactions.transition(row.id, {
          field: 'estado_pago', from: ['pending', 'unknown', 'expired'], to: 'paid', set: gatewayId, event: 'pago_aprobado', detail,
        });
        if (moved) {
          await enqueue('provision-user', row.id);
          await notifySale(jobs, logger, row.id, 'venta');
        }
        return moved ? 'changed' : 'unchanged';
      }
      case 'declined': {
        const moved = await transactions.transition(row.id, {
          field: 'estado_pago', from: ['pending', 'unknown'], to: 'declined', event: 'pago_declinado', detail,
          set: { ...gatewayId, decline_code: lookup.declineCode ?? null, decline_message: lookup.declineMessage ?? null },
        });
        if (moved) await notifySale(jobs, logger, row.id, 'rechazo');
        return moved ? 'changed' : 'unchanged';
      }
      case 'expired': {
        const moved = await transactions.transition(row.id, {
          field: 'estado_pago', from: ['pending', 'unknown'], to: 'expired', set: gatewayId, event: 'pago_expirado', detail,
        });
        return moved ? 'changed' : 'unchanged';
      }
      case 'refunded':
      case 'charged_back': {
        const from = lookup.status === 'refunded' ? ['pending', 'unknown', 'paid'] : ['pending', 'unknown', 'paid', 'refunded'];
        const moved = await transactions.transition(row.id, {
          field: 'estado_pago', from, to: lookup.status, set: gatewayId, event: lookup.status === 'refunded' ? 'pago_reembolsado' : 'contracargo', detail,
        });
        if (moved) await enqueue('disable-user', row.id);
        return moved ? 'changed' : 'unchanged';
      }
      default:
        return 'undecided';
    }
  };
}

export type OutcomeApplier = ReturnType<typeof createOutcomeApplier>;
