/** Producers: the only code that adds jobs. Web and worker both use it. */
import { Queue, type JobsOptions } from 'bullmq';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRedis } from '../redis';
import { markStore } from '../unavailable';
import { DeadlineExceeded, withDeadline } from '../deadline';
import { JOB_QUEUE, jobIdFor, QueueName, type JobName, type JobPayloads } from './definitions';

export interface EnqueueOptions {
  delay?: number;
  /** A finished (failed or completed) job with the same id is removed first, so the job runs again. */
  replaceFinished?: boolean;
}

export interface JobQueues {
  readonly queues: Record<QueueName, Queue>;
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /** Many jobs of one name in one Redis round trip (e.g. a batch of vouchers); ids and retry policy as `enqueue`. */
  enqueueMany<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void>;
  close(): Promise<void>;
}

function attemptsOf(config: Config, name: JobName): number {
  if (name === 'provision-user' || name === 'disable-user' || name === 'expire-user' || name === 'provision-ficha' || name === 'void-ficha') return config.jobs.provisionAttempts;
  if (name === 'confirm-charge') return config.jobs.confirmAttempts;
  if (name === 'notify-telegram') return 8; // about four minutes of jittered backoff at the defaults
  return 3;
}


export function defaultJobOptions(config: Config, name: JobName): JobsOptions {
  return {
    attempts: attemptsOf(config, name),
    backoff: { type: 'pagos' },
    // A completed provisioning is the sale's history (transaccion_eventos), not a job kept in Redis: removed at
    // once, it costs no completed-set writes nor their trimming (issue 26). A later duplicate enqueue finds
    // the row active and does nothing; the reconciler enqueues only for a paid row without its user.
    removeOnComplete: name === 'provision-user' ? true : { age: 7 * 86_400, count: 50_000 },
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
  return {
    queues,
    async enqueue(name, payload, options = {}) {
      const queue = queues[JOB_QUEUE[name]];
      const jobId = jobIdFor(name, payload);
      // Bounded: with Redis unreachable, ioredis would queue the command until it
      // reconnects. Callers log and move on; the reconciler re-creates lost jobs.
      await withDeadline((async () => {
        if (jobId && options.replaceFinished) {
          const existing = await queue.getJob(jobId);
          if (existing && ((await existing.isFailed()) || (await existing.isCompleted()))) await existing.remove();
        }
        await queue.add(name, payload, { ...defaultJobOptions(config, name), ...(jobId ? { jobId } : {}), ...(options.delay ? { delay: options.delay } : {}) });
      })(), config.jobs.enqueueTimeoutMs, 'Redis did not answer in time').catch((error: unknown) => {
        // Every call here is a Redis round trip: not answering in time means Redis is unreachable.
        markStore(error, 'redis', { unreachable: error instanceof DeadlineExceeded });
        throw error;
      });
    },
    async enqueueMany(name, payloads) {
      if (payloads.length === 0) return;
      const queue = queues[JOB_QUEUE[name]];
      await withDeadline(queue.addBulk(payloads.map((payload) => {
        const jobId = jobIdFor(name, payload);
        return { name, data: payload, opts: { ...defaultJobOptions(config, name), ...(jobId ? { jobId } : {}) } };
      })), config.jobs.enqueueTimeoutMs * 2, 'Redis no respondió a tiempo');
    },
    async close() {
      // Bounded too: closing politely needs Redis, which may be the thing that is down.
      await withDeadline(Promise.all(Object.values(queues).map((q) => q.close())), 3000).catch(() => undefined);
      connection.disconnect();
    },
  };
}
