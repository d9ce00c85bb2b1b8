/**
 * What one bare BullMQ job (add, process, complete) costs Redis, counted by
 * the server (MONITOR on the bench's db, scripts' inner calls included), with
 * the job options the service uses (issue 26). Run by hand:
 *
 *   npx tsx bench/bullmq-job.ts [--jobs 200] [--gap-ms 5]
 *
 * Flushes BENCH_REDIS_URL's db (default redis://127.0.0.1:6379/11).
 */
import { Queue, Worker, type JobsOptions } from 'bullmq';
import Redis from 'ioredis';
import { BENCH_REDIS_URL, fmt, monitorRedisDb, numberArg, parseArgs, redisDelta, sleep } from './lib/common';

async function run(label: string, jobs: number, gapMs: number, opts: JobsOptions) {
  const admin = new Redis(BENCH_REDIS_URL);
  await admin.flushdb();
  const prefix = '{bench}';
  const queue = new Queue('q', { connection: new Redis(BENCH_REDIS_URL), prefix });
  let done = 0;
  const worker = new Worker('q', async () => { done++; }, { connection: new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: null }), prefix, concurrency: 8 });
  await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
  await sleep(500);
  const monitor = await monitorRedisDb(BENCH_REDIS_URL);
  monitor.ignore(admin);
  await sleep(200);
  const before = monitor.read();
  for (let i = 0; i < jobs; i++) {
    await queue.add('j', { i }, { jobId: `j-${i}`, ...opts });
    if (gapMs > 0) await sleep(gapMs);
  }
  while (done < jobs) await sleep(20);
  await sleep(300);
  const d = redisDelta(before, monitor.read());
  monitor.close();
  const top = Object.entries(d.byCommand).sort((a, b) => b[1] - a[1]).slice(0, 16).map(([c, k]) => `${c} ${fmt(k / jobs, 1)}`).join(', ');
  console.log(`${label.padEnd(44)} ${fmt(d.total / jobs, 1)} commands per job (${fmt(d.fromScripts / jobs, 1)} inside scripts): ${top}`);
  await worker.close();
  await queue.close();
  await admin.flushdb();
  admin.disconnect();
}

async function main() {
  const args = parseArgs();
  const jobs = numberArg(args, 'jobs', 200);
  const gapMs = numberArg(args, 'gap-ms', 5);
  const base = { attempts: 3, backoff: { type: 'pagos' }, removeOnFail: { age: 30 * 86_400 } };
  console.log(`Redis ${BENCH_REDIS_URL}, ${jobs} jobs, ${gapMs} ms apart, worker concurrency 8`);
  await run('removeOnComplete { age 7 d, count 50 000 }', jobs, gapMs, { ...base, removeOnComplete: { age: 7 * 86_400, count: 50_000 } });
  await run('removeOnComplete true (provision-user)', jobs, gapMs, { ...base, removeOnComplete: true });
  await run('removeOnComplete true, all added at once', jobs, 0, { ...base, removeOnComplete: true });
}

main().then(() => process.exit(0), (error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
