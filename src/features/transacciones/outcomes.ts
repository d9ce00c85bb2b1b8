/**
 * What the gateway says a charge became, applied to our transaction: the one
 * charge-outcome → state mapping. The purchase (the charge's own answer), the
 * confirmation job, webhooks and the reconciler all end here, so every path
 * makes the same conditional transitions and enqueues the same follow-up jobs.
 */
import type { Logger } from '../../platform/logger';
import type { EnqueueOptions, JobQueues } from '../../platform/jobs/queues';
import type { ChargeOutcome, LookupOutcome } from '../../integrations/gateways';
import { toCents } from '../../platform/money';
import type { TransaccionRow, TransaccionesStore } from './store';

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

/** What applying an answer did, with the row as the transition left it (null when nothing moved). */
export interface Applied {
  result: OutcomeResult;
  row: TransaccionRow | null;
}

export interface ApplyOptions {
  /**
   * False when the caller knows the company has Telegram notices off: no
   * notification job is enqueued (its job would only find them off).
   * Default: enqueue, the job decides.
   */
  notify?: boolean;
  /** False when the caller knows the router is in API mode: no in-line provisioning is tried (the job provisions). */
  inline?: boolean;
}

type FollowUpJob = 'provision-user' | 'disable-user' | 'confirm-charge';

/**
 * "Enqueue the job, or leave it to the reconciler": the transition is already
 * committed in PostgreSQL, so a Redis that fails now must not fail the caller;
 * the reconciler finds the row and enqueues the job again.
 */
export function createFollowUps(deps: { jobs: JobQueues; logger: Logger }) {
  return async function enqueueOrLeave(name: FollowUpJob, transaccionId: string, options?: EnqueueOptions, extra?: Record<string, string>): Promise<boolean> {
    try {
      await deps.jobs.enqueue(name, { ...extra, transaccionId }, options);
      return true;
    } catch (error) {
      deps.logger.warn({ trx: transaccionId, job: name, err: { message: (error as Error).message } }, 'job not enqueued; the reconciler will pick it up');
      return false;
    }
  };
}

export type EnqueueOrLeave = ReturnType<typeof createFollowUps>;

export function createOutcomeApplier(deps: {
  transacciones: TransaccionesStore; enqueueOrLeave: EnqueueOrLeave; logger: Logger; confirmDelayMs: number;
  /** Tells the company (Telegram, by a job) of a sale or a decline; see notifySale. */
  notify: (transaccionId: string, evento: 'venta' | 'rechazo') => Promise<void>;
  /**
   * Provisions a paid sale at once when no router has to be dialled (RADIUS
   * mode), so the purchase answers with the access active; false leaves it to
   * the provisioning job.
   */
  provisionInline?: (row: TransaccionRow) => Promise<boolean>;
  /** Extra payload of the provisioning job: the router, so a retry for an offline router writes nothing. */
  provisionPayload?: (row: TransaccionRow) => Record<string, string>;
}) {
  const { transacciones, enqueueOrLeave, logger } = deps;

  /** Money that does not add up is a person's call: no path retries it on its own. */
  const holdForReview = (id: string, reason: string) => transacciones.update(id, { requiere_revision: reason });
  const moved = (row: TransaccionRow | null): Applied => ({ result: row ? 'changed' : 'unchanged', row });
  const only = (result: OutcomeResult): Applied => ({ result, row: null });

  /**
   * A final or undecided answer (`status` of a lookup, or of a charge): the transition it
   * means, and its follow-up job. `detail` goes to the history with the transition.
   */
  async function apply(row: TransaccionRow, outcome: LookupOutcome, detail: Record<string, unknown>, options: ApplyOptions = {}): Promise<Applied> {
    const notify = (id: string, evento: 'venta' | 'rechazo') => (options.notify === false ? Promise.resolve() : deps.notify(id, evento));
    if (outcome.transaccionId && outcome.transaccionId !== row.id) {
      await transacciones.event(row.id, 'gateway_referencia_distinta', { ...detail, referencia: outcome.transaccionId });
      await holdForReview(row.id, 'La referencia del gateway no coincide con la transacción');
      return only('mismatch');
    }
    const gatewayId = outcome.gatewayId ? { gateway_id: outcome.gatewayId } : {};
    switch (outcome.status) {
      case 'paid': {
        if (outcome.amountCents !== undefined && outcome.amountCents !== toCents(row.monto)) {
          await transacciones.event(row.id, 'monto_no_coincide', { ...detail, cobrado: outcome.amountCents, esperado: toCents(row.monto) });
          logger.error({ trx: row.id }, 'gateway amount differs from the transaction; left for review');
          await holdForReview(row.id, 'El monto cobrado por el gateway no coincide con el de la transacción');
          return only('mismatch');
        }
        // From pending, unknown or (a late approval after we gave up) expired: the machine allows all three.
        const paid = await transacciones.transition(row.id, { event: 'pago_aprobado', set: gatewayId, detail });
        if (paid) {
          const done = deps.provisionInline && options.inline !== false ? await deps.provisionInline(paid) : false;
          if (!done) await enqueueOrLeave('provision-user', row.id, undefined, deps.provisionPayload?.(paid));
          await notify(row.id, 'venta');
          // Provisioned in line: the row moved on since the transition.
          if (done) return { result: 'changed', row: null };
        }
        return moved(paid);
      }
      case 'declined': {
        const declined = await transacciones.transition(row.id, {
          event: 'pago_declinado', from: ['pending', 'unknown'], detail,
          set: { ...gatewayId, decline_code: outcome.declineCode ?? null, decline_message: outcome.declineMessage ?? null },
        });
        if (declined) await notify(row.id, 'rechazo');
        return moved(declined);
      }
      case 'expired':
        return moved(await transacciones.transition(row.id, { event: 'pago_expirado', from: ['pending', 'unknown'], set: gatewayId, detail }));
      case 'refunded':
      case 'charged_back': {
        const done = await transacciones.transition(row.id, {
          event: outcome.status === 'refunded' ? 'pago_reembolsado' : 'contracargo', set: gatewayId, detail,
        });
        if (done) await enqueueOrLeave('disable-user', row.id);
        return moved(done);
      }
      default:
        return only('undecided');
    }
  }

  async function enqueueConfirmation(id: string) {
    await enqueueOrLeave('confirm-charge', id, { delay: deps.confirmDelayMs });
  }

  return {
    /** A lookup's answer (confirmation job, webhook, re-check); `source` is recorded as `fuente`. */
    async applyOutcome(row: TransaccionRow, lookup: LookupOutcome, source: string, options: ApplyOptions = {}): Promise<OutcomeResult> {
      return (await apply(row, lookup, { fuente: source, gateway_status: lookup.gatewayStatus, gateway_status_detail: lookup.gatewayStatusDetail }, options)).result;
    },

    /**
     * The charge request's own answer. Undecided answers go to the confirmation job:
     * `pending` (accepted, under review) keeps the row pending with the gateway's id,
     * `unknown` (we cannot tell whether money moved) moves it to `unknown`.
     */
    async applyCharge(row: TransaccionRow, outcome: ChargeOutcome, options: ApplyOptions = {}): Promise<Applied> {
      const detail = { gateway_status: outcome.gatewayStatus, gateway_status_detail: outcome.gatewayStatusDetail, card: outcome.card };
      switch (outcome.status) {
        case 'pending':
          // Still `pending`, now with the gateway's id: copies of the request stop waiting.
          if (outcome.gatewayId) await transacciones.update(row.id, { gateway_id: outcome.gatewayId });
          await transacciones.event(row.id, 'pago_en_revision', detail);
          await enqueueConfirmation(row.id);
          return only('undecided');
        case 'unknown': {
          const done = await transacciones.transition(row.id, {
            event: 'respuesta_ambigua', from: ['pending'], set: outcome.gatewayId ? { gateway_id: outcome.gatewayId } : {}, detail,
          });
          await enqueueConfirmation(row.id);
          return moved(done);
        }
        default:
          return apply(row, outcome as LookupOutcome, detail, options);
      }
    },
  };
}

export type OutcomeApplier = ReturnType<typeof createOutcomeApplier>;
