/**
 * The worker's periodic jobs (job schedulers in Redis), and keeping them there.
 *
 * A Redis that comes back without its data (no persistence, a failover to a
 * fresh replica, an eviction) loses the schedules with everything else; so
 * does one emptied while the worker stays connected. The keeper checks them
 * every `JOB_SCHEDULES_CHECK_EVERY_MS` and whenever the connection is ready
 * again, and puts back any that is missing, so the reconciler (which finds in
 * PostgreSQL every paid sale whose job went with the data) runs again without
 * any process restarting (issue 21).
 */
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { Config } from '../src/platform/config';
import type { Logger } from '../src/platform/logger';
import type { JobName, Schedule } from '../src/platform/jobs/definitions';

export function scheduleList(config: Config): Array<[JobName, Schedule]> {
  return [
    ['flush-key-usage', { every: config.jobs.usageFlushEveryMs }],
    ['reconcile', { every: config.jobs.reconcileEveryMs }],
    ['reconcile-fichas', { every: config.jobs.reconcileEveryMs }],
    ['radius-accounting', { every: config.jobs.radiusAccountingEveryMs }],
    ['fichas-usage', { every: config.fichas.usageEveryMs }],
    ['expire-hotspot-users', { every: config.jobs.hotspotExpiryEveryMs }],
    ['key-expiry-warnings', { pattern: config.jobs.keyExpiryCron }],
    ['pruebas-routers', { every: config.jobs.pruebasEveryMs }],
  ];
}

const upsert = (queue: Queue, name: JobName, repeat: Schedule) =>
  queue.upsertJobScheduler(name, repeat, { name, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } } });

export async function upsertSchedules(queue: Queue, config: Config): Promise<void> {
  for (const [name, repeat] of scheduleList(config)) await upsert(queue, name, repeat);
}

export interface ScheduleKeeper {
  /** Puts back every missing schedule now; resolves with their names. */
  check(): Promise<JobName[]>;
  stop(): void;
}

/** `redis`: a connection to the same Redis, whose `ready` says it is back. */
export function keepSchedules(queue: Queue, redis: Redis, config: Config, logger: Logger): ScheduleKeeper {
  let running: Promise<JobName[]> | null = null;
  let stopped = false;

  async function restoreMissing(): Promise<JobName[]> {
    const restored: JobName[] = [];
    for (const [name, repeat] of scheduleList(config)) {
      if (stopped) break;
      if (await queue.getJobScheduler(name)) continue;
      await upsert(queue, name, repeat);
      restored.push(name);
    }
    if (restored.length > 0) logger.warn({ schedules: restored }, 'job schedules were missing from Redis; restored');
    return restored;
  }

  const check = () => (running ??= restoreMissing().finally(() => { running = null; }));
  // After a reconnect the queue's own connection may still be coming up: a failed check is tried again shortly, a few times.
  let retriesLeft = 0;
  let retry: NodeJS.Timeout | undefined;
  const quietly = () => {
    check().then(() => { retriesLeft = 0; }, (error: Error) => {
      logger.debug({ err: { message: error.message } }, 'job schedules not checked');
      if (stopped || retriesLeft <= 0) return; // Redis unreachable: the next tick (or its coming back) tries again
      retriesLeft--;
      clearTimeout(retry);
      retry = setTimeout(quietly, Math.min(1000, config.jobs.schedulesCheckEveryMs));
      retry.unref();
    });
  };

  const timer = setInterval(quietly, config.jobs.schedulesCheckEveryMs);
  timer.unref();
  // A reconnect is the first moment a Redis that restarted empty can take them back.
  const onReady = () => { retriesLeft = 10; quietly(); };
  redis.on('ready', onReady);

  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retry);
      redis.off('ready', onReady);
    },
  };
}
