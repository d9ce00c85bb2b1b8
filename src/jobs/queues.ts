/** Producers: the only code that adds jobs. Web and worker both use it. */
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRedis } from '../redis';
import { JOB_QUEUE, jobIdFor, QUEUE_PREFIX, QueueName, type JobName, type JobPayloads } from './definitions';

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
  return 3;
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
  const connection = createRedis(config, { maxRetriesPerRequest: 3 });
  connection.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue redis error'));
  const queues = Object.fromEntries(
    Object.values(QueueName).map((name) => [name, new Queue(name, { connection, prefix: QUEUE_PREFIX })]),
  ) as Record<QueueName, Queue>;
  for (const queue of Object.values(queues)) queue.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue error'));
  const eventsByQueue = new Map<QueueName, Promise<QueueEvents>>();
  function eventsFor(queueName: QueueName): Promise<QueueEvents> {
    let events = eventsByQueue.get(queueName);
    if (!events) {
      const created = new QueueEvents(queueName, { connection: createRedis(config, { maxRetriesPerRequest: null }), prefix: QUEUE_PREFIX });
      created.on('error', (error) => logger.warn({ err: { message: error.message } }, 'queue events error'));
      events = created.waitUntilReady().then(() => created);
      eventsByQueue.set(queueName, events);
    }
    return events;
  }

  return {
    queues,
    async enqueue(name, payload, options = {}) {
      const queue = queues[JOB_QUEUE[name]];
      const jobId = jobIdFor(name, payload);
      if (jobId && options.replaceFinished) {
        const existing = await queue.getJob(jobId);
        if (existing && ((await existing.isFailed()) || (await existing.isCompleted()))) await existing.remove();
      }
      await queue.add(name, payload, { ...defaultJobOptions(config, name), ...(jobId ? { jobId } : {}), ...(options.delay ? { delay: options.delay } : {}) });
    },
    async waitFor(name, payload, ms) {
      if (ms <= 0) return;
      const jobId = jobIdFor(name, payload);
      if (!jobId) return;
      const queue = queues[JOB_QUEUE[name]];
      const events = await eventsFor(JOB_QUEUE[name]);
      const job = await queue.getJob(jobId);
      if (!job) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        job.waitUntilFinished(events, ms).catch(() => undefined),
        new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); }),
      ]);
      clearTimeout(timer);
    },
    async close() {
      for (const events of eventsByQueue.values()) await (await events).close().catch(() => undefined);
      await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
      connection.disconnect();
    },
  };
}
