/** One processor per job name; each is a thin call into a shared service. */
import type { Job } from 'bullmq';
import type { Container } from '../src/container';
import type { JobName, JobPayloads } from '../src/platform/jobs/definitions';

export interface JobContext {
  /** This attempt is the last one: record a final state instead of throwing. */
  finalAttempt: boolean;
  job: Job;
}

export type Processors = { [N in JobName]: (payload: JobPayloads[N], context: JobContext) => Promise<unknown> };

export function createProcessors(c: Container): Processors {
  return {
    'confirm-charge': ({ transaccionId }, { finalAttempt }) => c.confirmations.confirm(transaccionId, { finalAttempt }),
    'provision-user': async ({ transaccionId }, { finalAttempt }) => {
      try {
        return await c.hotspotService.provision(transaccionId, { finalAttempt });
      } finally {
        // Wakes the purchase request waiting for this transaction (if any, on any web process).
        await c.signals.publish(transaccionId);
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
    'expire-hotspot-users': () => c.hotspotService.enqueueDueExpiries(),
    'radius-accounting': async () => ({
      sesiones_cerradas: await c.radius.closeStaleSessions(),
      fichas: await c.fichas.markRadiusUsage(),
      primer_uso: await c.hotspotService.recordFirstLogins(),
    }),
  };
}
