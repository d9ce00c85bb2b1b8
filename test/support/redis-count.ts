/**
 * Counts the Redis commands a piece of work costs the server, as the bench
 * does (bench/purchases.ts, issue 26): MONITOR, scripts' inner calls included,
 * but only this test file's own: the commands of connections named after its
 * key prefix (the app's `pagos:<prefix>`, BullMQ's `<prefix>{pagos}:…`) and
 * the script calls that follow one of their EVAL/EVALSHA (MONITOR shows a
 * script's calls right after it, as `lua`). Other files running side by side,
 * other databases on the server and the test's own connections are left out.
 *
 * Split in two: `queues`, the commands on BullMQ's keys (a job's
 * add/fetch/complete, whose count varies with timing: a worker woken or
 * already busy, the idle polling and scheduled jobs that may land in the
 * window), and `app`, everything else (portal gate, rate limits, signals, the
 * auth generation), which a test can pin exactly.
 *
 * Connections are told apart by name at `stop()` (CLIENT LIST), so a
 * connection must still be open then to be counted.
 */
import Redis from 'ioredis';
import { QUEUE_PREFIX, QueueName } from '../../src/platform/jobs/definitions';

export interface RedisTally {
  total: number;
  byCommand: Record<string, number>;
  /** The commands sent by a client (not a script's calls). */
  sent: Record<string, number>;
}

export interface RedisCount {
  stop(): Promise<{ app: RedisTally; queues: RedisTally }>;
}

/**
 * A MONITOR connection that survives a busy shared Redis: MONITOR is its first
 * command (ioredis's `monitor` option) and an error listener is in place before
 * it is sent. Lines of other clients that arrive just before it counts as
 * monitoring (or while it disconnects) answer no command of its own; ioredis
 * reports them as a command queue error, which without a listener is an
 * uncaught exception that fails whichever test is running.
 */
export async function openMonitor(url: string): Promise<Redis> {
  const monitor = new Redis(url, { monitor: true, lazyConnect: true });
  monitor.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    monitor.once('monitoring', () => resolve());
    monitor.connect().catch(reject);
  });
  return monitor;
}

export async function countRedisCommands(url: string, prefix: string): Promise<RedisCount> {
  if (!prefix) throw new Error('countRedisCommands: a key prefix tells this file\'s connections apart');
  const db = new URL(url).pathname.replace(/^\//, '') || '0';
  const queueKeys = Object.values(QueueName).map((queue) => `${prefix}${QUEUE_PREFIX}:${queue}:`);
  const seen: Array<{ source: string; command: string; queue: boolean }> = [];
  const monitor = await openMonitor(url);
  monitor.on('monitor', (_time: string, args: string[], source: string, database: string) => {
    if (database !== db) return;
    const queue = args.some((arg) => queueKeys.some((key) => String(arg).startsWith(key)));
    seen.push({ source, command: String(args[0] ?? '?').toLowerCase(), queue });
  });
  return {
    async stop() {
      // Lets the last commands' lines arrive.
      await new Promise((resolve) => setTimeout(resolve, 50));
      monitor.disconnect();
      const admin = new Redis(url);
      let list: string;
      try {
        list = String(await admin.client('LIST'));
      } finally {
        admin.disconnect();
      }
      const ours = new Set<string>();
      for (const line of list.split('\n')) {
        const addr = /(?:^| )addr=(\S+)/.exec(line)?.[1];
        const name = /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '';
        if (addr && name.includes(prefix)) ours.add(addr);
      }
      const app: RedisTally = { total: 0, byCommand: {}, sent: {} };
      const queues: RedisTally = { total: 0, byCommand: {}, sent: {} };
      let script: RedisTally | null = null; // the tally of the script whose calls follow
      for (const { source, command, queue } of seen) {
        let tally: RedisTally | null;
        if (source === 'lua') {
          tally = script;
        } else {
          tally = ours.has(source) ? (queue ? queues : app) : null;
          script = command === 'evalsha' || command === 'eval' ? tally : null;
        }
        if (!tally) continue;
        tally.total++;
        tally.byCommand[command] = (tally.byCommand[command] ?? 0) + 1;
        if (source !== 'lua') tally.sent[command] = (tally.sent[command] ?? 0) + 1;
      }
      return { app, queues };
    },
  };
}
