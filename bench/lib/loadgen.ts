/**
 * A small closed-loop HTTP load generator, run as its own process so it does
 * not share an event loop with the server it loads:
 *
 *   node --import tsx bench/lib/loadgen.ts '<json options>'
 *
 * `connections` workers each send a request, wait for the answer, send the
 * next, over a keep-alive Agent with exactly `connections` sockets. Requests
 * finished during the first `warmupMs` are not counted. Prints one JSON line:
 * { requests, errors, seconds, rps, p50, p90, p99, max, statuses, bodyBytes }.
 */
import http from 'node:http';

export interface LoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Expected status; anything else counts as an error. */
  expectStatus?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  bodyBytes: number;
  /** CPU seconds this load generator used during the measured window. */
  cpuSeconds: number;
}

async function run(o: LoadOptions): Promise<LoadResult> {
  const url = new URL(o.url);
  if (url.hostname !== '127.0.0.1') throw new Error('el generador de carga sólo habla con 127.0.0.1');
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const expect = o.expectStatus ?? 200;
  const started = performance.now();
  const measureFrom = started + o.warmupMs;
  const end = measureFrom + o.durationMs;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let bodyBytes = 0;
  let cpuAtStart: NodeJS.CpuUsage | null = null;

  const once = () => new Promise<void>((resolve) => {
    const t0 = performance.now();
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method: o.method ?? 'GET', headers: o.headers, agent,
    }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => {
        const t1 = performance.now();
        if (t0 >= measureFrom && t1 <= end) {
          latencies.push(t1 - t0);
          const s = String(res.statusCode);
          statuses[s] = (statuses[s] ?? 0) + 1;
          if (res.statusCode !== expect) errors++;
          bodyBytes = bytes;
        }
        resolve();
      });
      res.on('error', () => { errors++; resolve(); });
    });
    req.on('error', () => { if (performance.now() >= measureFrom) errors++; resolve(); });
    req.end();
  });

  const worker = async () => {
    while (performance.now() < end) {
      if (!cpuAtStart && performance.now() >= measureFrom) cpuAtStart = process.cpuUsage();
      await once();
    }
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? NaN;
  const seconds = o.durationMs / 1000;
  return {
    requests: latencies.length, errors, seconds, rps: latencies.length / seconds,
    p50: pick(50), p90: pick(90), p99: pick(99), max: latencies[latencies.length - 1] ?? NaN, statuses, bodyBytes,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

if (require.main === module) {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  run(options).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }, (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
