/**
 * Worker dyno: one BullMQ Worker per queue, processors from ./processors,
 * periodic jobs registered as job schedulers. Refuses to start if a job name
 * has no processor. On SIGTERM it stops taking jobs, lets active ones finish
 * (BullMQ hands back any it cannot finish: their locks expire and another
 * worker picks them up), then exits.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import { loadConfigOrExit, type Config } from '../src/platform/config';
import { createContainer, type Container } from '../src/container';
import type { GatewayProvider } from '../src/integrations/gateways';
import { backoffDelay } from '../src/platform/jobs/backoff';
import { JOB_NAMES, JOB_QUEUE, LEGACY_QUEUE, QueueName, type JobName } from '../src/platform/jobs/definitions';
import { createRedis } from '../src/platform/redis';
import { createGates, createProcessors, type Processors } from './processors';
import { keepSchedules, upsertSchedules, type ScheduleKeeper } from './schedules';

export interface RunningWorker {
  container: Container;
  workers: Worker[];
  /** Puts back the job schedules missing from Redis (none when started without schedules). */
  checkSchedules(): Promise<JobName[]>;
  stop(): Promise<void>;
}

export function assertEveryJobHasAProcessor(processors: Partial<Processors>): asserts processors is Processors {
  const missing = JOB_NAMES.filter((name) => typeof processors[name] !== 'function');
  if (missing.length > 0) throw new Error(`jobs sin procesador: ${missing.join(', ')}`);
}

const CONCURRENCY = (config: Config): Record<QueueName, number> => ({
  [QueueName.Payments]: config.jobs.paymentsConcurrency,
  [QueueName.Hotspot]: config.jobs.hotspotConcurrency,
  [QueueName.Fichas]: config.jobs.fichasConcurrency,
  [QueueName.Maintenance]: 2,
});

export async function registerSchedules(container: Container): Promise<void> {
  await upsertSchedules(container.jobs.queues[QueueName.Maintenance], container.config);
}

export async function startWorker(config: Config, options: { schedules?: boolean; gatewayProviders?: readonly GatewayProvider[] } = {}): Promise<RunningWorker> {
  const container = createContainer(config, { processName: 'worker', ...(options.gatewayProviders ? { gatewayProviders: options.gatewayProviders } : {}) });
  const { logger } = container;
  const processors = createProcessors(container);
  assertEveryJobHasAProcessor(processors);
  const { gates, busyDelayMs } = createGates(container);
  let keeper: ScheduleKeeper | undefined;
  if (options.schedules !== false) {
    await registerSchedules(container);
    keeper = keepSchedules(container.jobs.queues[QueueName.Maintenance], container.redis, config, logger);
  }

  const concurrency = CONCURRENCY(config);
  const workers = Object.values(QueueName).map((queueName) => {
    const worker = new Worker(
      queueName,
      async (job: Job, token?: string) => {
        const name = job.name as JobName;
        if (JOB_QUEUE[name] !== queueName && LEGACY_QUEUE[name] !== queueName) throw new Error(`job ${job.name} no pertenece a la cola ${queueName}`);
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const gate = gates[name];
        if (!gate) return processors[name](job.data, { finalAttempt, job });
        const leave = await gate(job.data, `${job.id ?? job.name}`);
        if (!leave) {
          // Its company's (or router's) share is taken: back to the queue for a while, no attempt spent.
          // Every start counts in attemptsStarted, failures in attemptsMade: the rest are earlier turn-aways.
          const turnedAway = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
          await job.moveToDelayed(Date.now() + busyDelayMs(turnedAway), token);
          throw new DelayedError();
        }
        try {
          return await processors[name](job.data, { finalAttempt, job });
        } finally {
          await leave();
        }
      },
      {
        connection: createRedis(config, { maxRetriesPerRequest: null }, 'queues'),
        prefix: config.redis.queuePrefix,
        concurrency: concurrency[queueName],
        lockDuration: config.jobs.lockDurationMs,
        stalledInterval: Math.max(1000, Math.floor(config.jobs.lockDurationMs / 2)),
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, config.jobs.backoffBaseMs, config.jobs.backoffCapMs) },
      },
    );
    worker.on('failed', (job, error) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      // Retries are routine (offline routers retry for hours): only the last failure is loud.
      logger[final ? 'error' : 'debug']({ queue: queueName, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: { message: error.message } }, final ? 'job failed for good' : 'job will be retried');
    });
    worker.on('error', (error) => logger.warn({ queue: queueName, err: { message: error.message } }, 'worker error'));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info({ queues: Object.values(QueueName) }, 'worker listo');

  let stopping: Promise<void> | undefined;
  return {
    container,
    workers,
    checkSchedules: () => keeper?.check() ?? Promise.resolve([]),
    stop: () => (stopping ??= (async () => {
      logger.info('worker: deteniendo');
      keeper?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(workers.map((w) => w.disconnect().catch(() => undefined)));
      await container.close();
    })()),
  };
}

if (require.main === module) {
  const config = loadConfigOrExit();
  startWorker(config).then((running) => {
    const shutdown = (signal: string) => {
      running.container.logger.info({ signal }, 'señal recibida');
      const force = setTimeout(() => process.exit(1), 25_000);
      force.unref();
      running.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  }).catch((error: unknown) => {
    process.stderr.write(`no se pudo iniciar el worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
