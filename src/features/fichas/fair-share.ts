/**
 * Voucher jobs take turns (issue 21): one company's vouchers hold at most
 * `WORKER_FICHAS_PER_EMPRESA` of the voucher workers, and at most
 * `WORKER_FICHAS_PER_ROUTER` voucher jobs talk to one router at once, across
 * every worker process (leases in Redis). A job that finds its company's or
 * router's share taken goes back to the queue for a moment and another
 * company's voucher runs instead.
 */
import type { Config } from '../../platform/config';
import type { FichaJob } from '../../platform/jobs/definitions';
import type { Leases } from '../../platform/jobs/leases';
import type { FichasStore } from './store';

export function createFichasFairShare(deps: { config: Config; leases: Leases; store: Pick<FichasStore, 'owner'> }) {
  const { config, leases, store } = deps;
  // Longer than any one voucher job (a connect and a couple of commands): a lease outlives its job only if the worker died.
  const ttlMs = config.jobs.lockDurationMs + config.mikrotik.connectTimeoutMs + 3 * config.mikrotik.commandTimeoutMs;

  return {
    /** The share is free: run, then call the returned function. Null: taken, try again later. */
    async enter(job: FichaJob, holder: string): Promise<(() => Promise<void>) | null> {
      const owner = job.empresaId && job.routerId ? { empresa_id: job.empresaId, router_id: job.routerId } : await store.owner(job.fichaId);
      if (!owner) return async () => undefined; // no such voucher: the job ends at once
      const requests = [
        { key: `fichas:empresa:${owner.empresa_id}`, limit: config.jobs.fichasPerEmpresa },
        { key: `fichas:router:${owner.router_id}`, limit: config.jobs.fichasPerRouter },
      ];
      if (!(await leases.tryAcquire(holder, requests, ttlMs))) return null;
      return () => leases.release(holder, requests.map((r) => r.key)).catch(() => undefined);
    },
    /**
     * How long a job that found its share taken waits before it is tried again: a quarter second,
     * doubling each time it is turned away up to half a minute, so a
     * backlog of thousands of one company's vouchers settles into a slow trickle of retries instead of
     * keeping idle workers spinning; jittered ±50 %, so they do not return in step. The company's
     * share stays busy meanwhile with its other vouchers.
     */
    busyDelayMs: (timesTurnedAway: number, random = Math.random) =>
      Math.round(Math.min(30_000, 250 * 2 ** Math.min(Math.max(0, timesTurnedAway), 7)) * (0.5 + random())),
  };
}

export type FichasFairShare = ReturnType<typeof createFichasFairShare>;
