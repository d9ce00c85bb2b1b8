import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
const url = 'redis://127.0.0.1:6379/4';
async function run(label: string, opts: Record<string, unknown>, qopts: Record<string, unknown> = {}, wopts: Record<string, unknown> = {}) {
  const r = new Redis(url); await r.flushdb();
  const prefix = '{exp}';
  const q = new Queue('q', { connection: new Redis(url), prefix, ...qopts });
  let done = 0;
  const w = new Worker('q', async () => { done++; }, { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, concurrency: 8, ...wopts });
  await w.waitUntilReady(); await q.waitUntilReady();
  await new Promise((res) => setTimeout(res, 500));
  const counts: Record<string, number> = {}; let total = 0;
  const mon = await new Redis(url).monitor();
  mon.on('monitor', (_t: string, args: string[], _s: string, db: string) => { if (db !== '4') return; total++; const n = String(args[0]).toLowerCase(); counts[n] = (counts[n] ?? 0) + 1; });
  await new Promise((res) => setTimeout(res, 200));
  const N = 200;
  for (let i = 0; i < N; i++) { await q.add('j', { i }, { jobId: `j-${i}`, ...opts }); await new Promise((res) => setTimeout(res, 5)); }
  while (done < N) await new Promise((res) => setTimeout(res, 20));
  await new Promise((res) => setTimeout(res, 300));
  mon.disconnect();
  console.log(label, (total / N).toFixed(1), Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, v]) => `${k} ${(v / N).toFixed(1)}`).join(', '));
  await w.close(); await q.close(); await r.flushdb(); r.disconnect();
}
(async () => {
  await run('current', { attempts: 3, backoff: { type: 'pagos' }, removeOnComplete: { age: 7 * 86400, count: 50000 }, removeOnFail: { age: 30 * 86400 } });
  await run('removeOnComplete:true', { attempts: 3, backoff: { type: 'pagos' }, removeOnComplete: true, removeOnFail: { age: 30 * 86400 } });
  await run('roc true + maxLen 0?', { attempts: 3, backoff: { type: 'pagos' }, removeOnComplete: true, removeOnFail: { age: 30 * 86400 } }, { streams: { events: { maxLen: 0 } } });
  await run('roc count 1000', { attempts: 3, backoff: { type: 'pagos' }, removeOnComplete: { count: 1000 }, removeOnFail: { age: 30 * 86400 } });
  process.exit(0);
})();
