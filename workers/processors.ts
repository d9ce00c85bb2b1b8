/** One processor per job name; each is a thin call into a shared service. */
import type { Job } from 'bullmq';
import type { Container } from '../src/container';
import type { JobName, JobPayloads } from '../src/platform/jobs/definitions';
import { settledSignal, type TransaccionRow } from '../src/features/transacciones';

export interface JobContext {
  /** This attempt is the last one: record a final state instead of throwing. */
  finalAttempt: boolean;
  job: Job;
}

export type Processors = { [N in JobName]: (payload: JobPayloads[N], context: JobContext) => Promise<unknown> };

export function createProcessors(c: Container): Processors {
  return {
    'confirm-charge': ({ transaccionId }, { finalAttempt }) => c.confirmations.confirm(transaccionId, { finalAttempt }),
    'provision-user': async ({ transaccionId, routerId }, { finalAttempt }) => {
      let settled: TransaccionRow | undefined;
      try {
        return await c.hotspotService.provision(transaccionId, { finalAttempt, routerId, settled: (row) => { settled = row; } });
      } finally {
        // Wakes the purchase request waiting for this transaction (if any, on any web process),
        // with the state the user's activation left it in, which it answers from without reading the row.
        await c.signals.publish(transaccionId, settled ? settledSignal(settled) : undefined);
      }
    },
    'disable-user': ({ transaccionId }) => c.hotspotService.disable(transaccionId),
    'expire-user': ({ transaccionId }) => c.hotspotService.expire(transaccionId),
    'provision-ficha': ({ fichaId }, { finalAttempt }) => c.fichas.provision(fichaId, { finalAttempt }),
    'void-ficha': ({ fichaId }) => c.fichas.voidOnRouter(fichaId),
    'reconcile-fichas': () => c.fichas.reconcile(),
    'fichas-usage': () => c.fichas.markUsage(),
    'notify-telegram': ({ transaccionId, evento }) => c.notificaciones.notifySale(transaccionId, evento),
    'flush-key-usage': () => c.keyUsage.flush(),
    'key-expiry-warnings': () => c.keyExpiry.run(),
    reconcile: () => c.reconciler.run(),
    'expire-hotspot-users': async () => {
      await c.hotspotService.recordFirstLogins('api'); // primer_uso sales on API-mode routers
      return c.hotspotService.enqueueDueExpiries();
    },
    'pruebas-routers': () => c.pruebasConteo.leer(),
    'radius-accounting': async () => ({
      sesiones_cerradas: await c.radius.closeStaleSessions(),
      fichas: await c.fichas.markRadiusUsage(),
      primer_uso: await c.hotspotService.recordFirstLogins('radius'),
    }),
  };
}

/**
 * What a job must hold before it runs: a voucher job its company's and
 * router's fair share (issue 21). Null from a gate: the share is taken, so the
 * job goes back to the queue for a moment, without spending an attempt.
 */
export type Gate = (payload: JobPayloads[JobName], holder: string) => Promise<(() => Promise<void>) | null>;

export function createGates(c: Container): { gates: Partial<Record<JobName, Gate>>; busyDelayMs: (timesTurnedAway: number) => number } {
  const fichas: Gate = (payload, holder) => c.fichasFairShare.enter(payload as JobPayloads['provision-ficha'], holder);
  return { gates: { 'provision-ficha': fichas, 'void-ficha': fichas }, busyDelayMs: (n) => c.fichasFairShare.busyDelayMs(n) };
}
