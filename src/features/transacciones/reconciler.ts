/**
 * The safety net under the queues. Jobs can be lost (Redis flushed, a crash
 * between a commit and an enqueue); PostgreSQL cannot. On a schedule, every
 * transaction that should be moving but is not gets its job again:
 * paid without a user, pending past its staleness, refunded but still active.
 * Job ids make a re-enqueue of a job that still exists a no-op.
 *
 * A row whose job is alive (waiting, delayed, running) is skipped, and every
 * row looked at is stamped (`reconciliado_en`): the lists take the rows looked
 * at longest ago first, so hundreds of cash references waiting days for their
 * store payment rotate through the batch instead of filling it every run, and
 * a charged-but-unknown card sale behind them is asked about within a couple
 * of runs (issue 21). Everything here reads PostgreSQL, not Redis: a Redis
 * that came back empty loses jobs, and this finds their rows again.
 */
import type { Config } from '../../platform/config';
import type { JobQueues } from '../../platform/jobs/queues';
import type { Logger } from '../../platform/logger';
import type { TransaccionesStore } from './store';

const BATCH = 500;
const RECHECK_WINDOW_MS = 24 * 3600_000;
const RECHECK_EVERY_MS = 15 * 60_000;

export function createReconciler(deps: { config: Config; jobs: JobQueues; transacciones: TransaccionesStore; logger: Logger }) {
  const { config, jobs, transacciones, logger } = deps;

  return {
    async run(now = new Date()): Promise<{ provision: number; confirm: number; disable: number; failed: number }> {
      const staleBefore = new Date(now.getTime() - config.jobs.staleAfterMs);
      const counts = { provision: 0, confirm: 0, disable: 0, failed: 0 };

      const toProvision = await transacciones.paidWithoutUser(staleBefore, BATCH);
      await transacciones.markReconciled(toProvision, now);
      for (const id of toProvision) {
        const job = await jobs.queues.hotspot.getJob(`provision-user-${id}`);
        if (job && (await job.isFailed())) {
          // Attempts exhausted but the row never got its final word: record it.
          const moved = await transacciones.transition(id, {
            event: 'aprovisionamiento_fallido', from: ['pending', 'provisioning'],
            set: { ultimo_error: job.failedReason ?? 'reintentos agotados' }, detail: { fuente: 'reconciliacion' },
          });
          if (moved) counts.failed++;
          continue;
        }
        if (!job || (await job.isCompleted())) {
          await jobs.enqueue('provision-user', { transaccionId: id }, { replaceFinished: true });
          counts.provision++;
        }
      }

      const toConfirm = await transacciones.unsettled(staleBefore, BATCH);
      // Expired in the last day: asked again every RECHECK_EVERY_MS, in case the charge surfaces late.
      const toRecheck = await transacciones.recentlyExpired(new Date(now.getTime() - RECHECK_WINDOW_MS), new Date(now.getTime() - RECHECK_EVERY_MS), BATCH);
      toConfirm.push(...toRecheck);
      await transacciones.markReconciled(toConfirm, now);
      for (const id of toConfirm) {
        const job = await jobs.queues.payments.getJob(`confirm-charge-${id}`);
        if (!job || (await job.isFailed()) || (await job.isCompleted())) {
          await jobs.enqueue('confirm-charge', { transaccionId: id }, { replaceFinished: true });
          counts.confirm++;
        }
      }

      const toDisable = await transacciones.refundedWithUser(staleBefore, BATCH);
      for (const id of toDisable) {
        await jobs.enqueue('disable-user', { transaccionId: id }, { replaceFinished: true });
        counts.disable++;
      }

      if (counts.provision + counts.confirm + counts.disable + counts.failed > 0) logger.info(counts, 'reconciliation');
      return counts;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
