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
    'provision-user': ({ transaccionId }, { finalAttempt }) => c.hotspotService.provision(transaccionId, { finalAttempt }),
    'disable-user': ({ transaccionId }) => c.hotspotService.disable(transaccionId),
    'expire-user': ({ transaccionId }) => c.hotspotService.expire(transaccionId),
    'notify-telegram': ({ transaccionId, evento }) => c.notificaciones.notifySale(transaccionId, evento),
    'flush-key-usage': () => c.keyUsage.flush(),
    'key-expiry-warnings': () => c.keyExpiry.run(),
    reconcile: () => c.reconciler.run(),
    'expire-hotspot-users': async () => {
      const due = await c.knex('transacciones').where('estado_hotspot', 'active').where('hotspot_expira_en', '<=', new Date())
        .orderBy('hotspot_expira_en').limit(500).pluck('id');
      for (const id of due as string[]) await c.jobs.enqueue('expire-user', { transaccionId: id }, { replaceFinished: true });
      return due.length;
    },
  };
}
