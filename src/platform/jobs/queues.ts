/** Producers: the only code that adds jobs. Web and worker both use it. */
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRedis } from '../redis';
import { JOB_QUEUE, jobIdFor, QueueName, type JobName, type JobPayloads } from './definitions';

export interface EnqueueOptions {
  delay?: number;
  /** A finished (failed or completed) job with the same id is removed first, so the job runs again. */
  replaceFinished?: boolean;
}

export interface JobQueues {
  readonly queues: Record<QueueName, Queue>;
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /** Resolves when the job finishes or `ms` pass, whichever is first; never rejects. */
  waitFor<N extends JobName>(name: N, payload: JobPayloads[N], ms: number): Promise<void>;
  close(): Promise<void>;
}

function attemptsOf(config: Config, name: JobName): number {
  if (name === 'provision-user' || name === 'disable-user' || name === 'expire-user') return config.jobs.provisionAttempts;
  if (name === 'confirm-charge') return config.jobs.confirmAttempts;
  if (name === 'notify-telegram') return 8; // about four minutes of jittered backoff at the defaults
  return 3;
}

const ENQUEUE_TIMEOUT_MS = 2000;

function withDeadline<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('Redis no respondió a tiempo')), ms); });
  work.catch(() => undefined); // a late rejection after the deadline is not unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export function defaultJobOptions(config: Config, name: JobName): JobsOptions {
  return {
    attempts: attemptsOf(config, name),
    backoff: { type: 'pagos' },
    removeOnComplete: { age: 7 * 86_400, count: 50_000 },
    removeOnFail: { age: 30 * 86_400 },
  };
}

export function createJobQueues(config: Config, logger: Logger): JobQueues {
  const connection = createRedis(config, { maxRetriesPerRequest: 3 }, 'queues');
  connection.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue redis error'));
  const queues = Object.fromEntries(
    Object.values(QueueName).map((name) => [name, new Queue(name, { connection, prefix: config.redis.queuePrefix })]),
  ) as Record<QueueName, Queue>;
  for (const queue of Object.values(queues)) queue.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue error'));
  const eventsByQueue = new Map<QueueName, Promise<QueueEvents>>();
  const openEvents = new Set<QueueEvents>();
  function eventsFor(queueName: QueueName): Promise<QueueEvents> {
    let events = eventsByQueue.get(queueName);
    if (!events) {
      const eventsConnection = createRedis(config, { maxRetriesPerRequest: null }, 'queues');
      eventsConnection.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue events redis error'));
      const created = new QueueEvents(queueName, { connection: eventsConnection, prefix: config.redis.queuePrefix });
      created.setMaxListeners(0); // one listener per request waiting on a job, by design
      created.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue events error'));
      openEvents.add(created);
      events = created.waitUntilReady().then(() => created);
      // A failed start is not cached: the next wait tries again.
      events.catch(() => {
        eventsByQueue.delete(queueName);
        void created.close().catch(() => undefined);
      });
      eventsByQueue.set(queueName, events);
    }
    return events;
  }

  return {
    queues,
    async enqueue(name, payload, options = {}) {
      const queue = queues[JOB_QUEUE[name]];
      const jobId = jobIdFor(name, payload);
      // Bounded: with Redis unreachable, ioredis would queue the command until it
      // reconnects. Callers log and move on; the reconciler re-creates lost jobs.
      await withDeadline(ENQUEUE_TIMEOUT_MS, (async () => {
        if (jobId && options.replaceFinished) {
          const existing = await queue.getJob(jobId);
          if (existing && ((await existing.isFailed()) || (await existing.isCompleted()))) await existing.remove();
        }
        await queue.add(name, payload, { ...defaultJobOptions(config, name), ...(jobId ? { jobId } : {}), ...(options.delay ? { delay: options.delay } : {}) });
      })());
    },
    async waitFor(name, payload, ms) {
      const jobId = jobIdFor(name, payload);
      if (ms <= 0 || !jobId) return;
      const queue = queues[JOB_QUEUE[name]];
      // One deadline for everything, including connecting the events stream;
      // any Redis trouble just ends the wait (the caller re-reads PostgreSQL).
      await withDeadline(ms, (async () => {
        const events = await eventsFor(JOB_QUEUE[name]);
        const job = await queue.getJob(jobId);
        if (job) await job.waitUntilFinished(events, ms);
      })()).catch(() => undefined);
    },
    async close() {
      // Bounded too: closing politely needs Redis, which may be the thing that is down.
      await withDeadline(3000, Promise.all([
        ...[...openEvents].map((events) => events.close()),
        ...Object.values(queues).map((q) => q.close()),
      ])).catch(() => undefined);
      for (const events of openEvents) void events.disconnect().catch(() => undefined);
      connection.disconnect();
    },
  };
}
