/**
 * Benchmark 1 (issue 8 item 4): the captive portal's catalog request with key
 * authentication, rate limiting and usage counting, against a bare Koa route
 * returning the same JSON. Target: full route >= 0.5 x the bare route's throughput.
 *
 *   npx tsx bench/catalog.ts [--connections 32] [--seconds 5] [--warmup 2] [--rounds 4] [--loadgen auto|node|wrk] [--env KEY=VALUE,...] [--profile]
 *
 * Process model, identical for both servers: the server alone in a child
 * process (the real one is src/server.ts, started exactly as the web dyno),
 * loaded over keep-alive HTTP on 127.0.0.1 by a load generator in another
 * process (wrk when installed and --loadgen is auto or wrk, otherwise
 * bench/lib/loadgen.ts). Only one server is under load at a time; rounds
 * alternate bare and full so drift (other load on the machine, CPU boost)
 * hits both alike. Uses the database pagos_bench and Redis db 11.
 * --profile writes a V8 CPU profile of the web process (bench/lib/profile-summary.ts reads it).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import {
  attributeCpu, cpuSnapshot, waitForQuiet, type CpuAttribution,
  BENCH_ENV, BENCH_REDIS_URL, procfileNodeFlags, LOG_DIR, ROOT, benchSecrets, cpuSeconds, fmt, freePort, line, machineCpu, numberArg, parseArgs,
  prepareDatabase, printMachine, seedEscenario, serviceCpuSeconds, startChild, verdict, waitForHttp, type Child,
} from './lib/common';
import type { LoadResult } from './lib/loadgen';

const PATH = '/api/v1/catalogo_perfiles_venta';

interface Measured extends LoadResult {
  serverCpu: number;
  machineBusy: number;
  servicesCpu: number;
  cpu: CpuAttribution;
  quietBefore: number;
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 but prints its banner; ENOENT means it is not installed.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function runNodeLoad(url: string, headers: Record<string, string>, connections: number, durationMs: number, warmupMs: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/loadgen.ts'), JSON.stringify({ url, headers, connections, durationMs, warmupMs })], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`loadgen falló: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

/** wrk's figures in the same shape (status codes beyond "non-2xx" are not reported by wrk). */
function runWrk(url: string, headers: Record<string, string>, connections: number, durationMs: number, warmupMs: number): Promise<LoadResult> {
  const hdr = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const wrk = (ms: number) => new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', ['-t', '1', '-c', String(connections), '-d', `${Math.max(1, Math.round(ms / 1000))}s`, '--latency', ...hdr, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk falló: ${out}`))));
  });
  const ms = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? 1);
  return (async () => {
    if (warmupMs > 0) await wrk(warmupMs);
    const text = await wrk(durationMs);
    const pct = (p: string) => {
      const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
      return m ? ms(m[1]!, m[2]!) : NaN;
    };
    const total = /(\d+) requests in ([\d.]+)(s|m)/.exec(text);
    const requests = total ? Number(total[1]) : 0;
    const seconds = total ? Number(total[2]) * (total[3] === 'm' ? 60 : 1) : durationMs / 1000;
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
    const errors = non2xx + (socketErrors ? socketErrors.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0);
    const maxM = /Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)/.exec(text);
    return {
      requests, errors, seconds, rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? requests / seconds),
      p50: pct('50'), p90: pct('90'), p99: pct('99'), max: maxM ? ms(maxM[1]!, maxM[2]!) : NaN,
      statuses: { '2xx': requests - non2xx, other: non2xx }, bodyBytes: 0, cpuSeconds: NaN,
    };
  })();
}

async function measure(
  loadgen: 'node' | 'wrk', server: Child, url: string, headers: Record<string, string>,
  connections: number, durationMs: number, warmupMs: number,
): Promise<Measured> {
  const quietBefore = await waitForQuiet(8_000);
  // CPU is sampled around the whole run (warm-up included) and scaled to the measured share.
  const snap0 = cpuSnapshot();
  const s0 = cpuSeconds(server.pid) ?? 0;
  const m0 = machineCpu();
  const svc0 = serviceCpuSeconds();
  const result = loadgen === 'wrk'
    ? await runWrk(url, headers, connections, durationMs, warmupMs)
    : await runNodeLoad(url, headers, connections, durationMs, warmupMs);
  const share = durationMs / (durationMs + warmupMs);
  const m1 = machineCpu();
  const svc1 = serviceCpuSeconds();
  const cpu = attributeCpu(snap0, cpuSnapshot(), [process.pid, server.pid]);
  return {
    ...result,
    cpu,
    quietBefore,
    serverCpu: ((cpuSeconds(server.pid) ?? 0) - s0) * share,
    machineBusy: m1.total > m0.total ? (m1.busy - m0.busy) / (m1.total - m0.total) : NaN,
    servicesCpu: (svc1.postgres + svc1.redis - svc0.postgres - svc0.redis) * share,
  };
}

async function main() {
  const args = parseArgs();
  const connections = numberArg(args, 'connections', 32);
  const durationMs = numberArg(args, 'seconds', 5) * 1000;
  const warmupMs = numberArg(args, 'warmup', 2) * 1000;
  const rounds = numberArg(args, 'rounds', 4);
  const choice = args.get('loadgen') ?? 'auto';
  const extraEnv = Object.fromEntries((args.get('env') ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
  const loadgen: 'node' | 'wrk' = choice === 'wrk' || (choice === 'auto' && hasWrk()) ? 'wrk' : 'node';
  if (loadgen === 'wrk' && !hasWrk()) throw new Error('wrk no está instalado (apt-get install -y wrk) — use --loadgen node');

  printMachine('bench/catalog.ts — GET /api/v1/catalogo_perfiles_venta (key auth + rate limit + usage) vs bare Koa');
  console.log(`load generator: ${loadgen === 'wrk' ? 'wrk -t1' : 'bench/lib/loadgen.ts (node:http keep-alive Agent)'}, ${connections} keep-alive connections, `
    + `${warmupMs / 1000}s warm-up + ${durationMs / 1000}s measured per run, ${rounds} round(s) bare/full alternating`);

  const knex = await prepareDatabase();
  const secrets = benchSecrets();
  // A populated table: 50 companies with 6 products each; the bench key is tenant 0's.
  const escenarios = [];
  for (let i = 0; i < 50; i++) escenarios.push(await seedEscenario(knex, secrets, { host: '127.0.0.1', port: 9, username: 'api', password: 'pw' }, { products: 6, index: i }));
  const escenario = escenarios[0]!;
  await knex.destroy();

  const children: Child[] = [];
  const cleanup = async () => { await Promise.all(children.map((c) => c.stop())); };
  process.once('SIGINT', () => { void cleanup().then(() => process.exit(130)); });
  try {
    const fullPort = await freePort();
    const profileDir = path.join(LOG_DIR, 'profiles');
    const nodeArgs = [...procfileNodeFlags('web'), ...(args.has('profile') ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const full = startChild('catalog-web', 'src/server.ts', { ...BENCH_ENV, PORT: String(fullPort), PUBLIC_BASE_URL: `http://127.0.0.1:${fullPort}`, ...extraEnv }, { nodeArgs });
    if (Object.keys(extraEnv).length > 0) console.log(`web settings: ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    console.log(`web process: node ${nodeArgs.join(' ')} --import tsx src/server.ts (the Procfile's heap cap)`);
    if (args.has('profile')) console.log(`profiling the web process: ${profileDir} (summarize with npx tsx bench/lib/profile-summary.ts <file>)`);
    children.push(full);
    await waitForHttp(`http://127.0.0.1:${fullPort}/health`, full, 60_000);
    const headers = { Authorization: `Bearer ${escenario.apiKey}` };
    const fullUrl = `http://127.0.0.1:${fullPort}${PATH}`;
    const first = await get(fullUrl, headers);
    if (first.status !== 200) throw new Error(`la ruta real respondió ${first.status}: ${first.body.slice(0, 300)}`);
    const items = JSON.parse(first.body) as unknown[];
    fs.mkdirSync(LOG_DIR, { recursive: true });
    const bodyFile = path.join(LOG_DIR, 'catalog-body.json');
    fs.writeFileSync(bodyFile, first.body);

    const barePort = await freePort();
    const bare = startChild('catalog-bare', 'bench/lib/bare-server.ts', { PORT: String(barePort), BODY_FILE: bodyFile });
    children.push(bare);
    await waitForHttp(`http://127.0.0.1:${barePort}/health`, bare, 30_000);
    const bareUrl = `http://127.0.0.1:${barePort}${PATH}`;
    const bareFirst = await get(bareUrl, headers);
    if (bareFirst.body !== first.body) throw new Error('el servidor base no devuelve el mismo JSON');
    console.log(`response: ${items.length} products, ${Buffer.byteLength(first.body)} bytes of JSON (identical from both servers)`);

    const redis = new Redis(BENCH_REDIS_URL);
    const usageBefore = Number(await redis.hget('{pagos}:apikey-usage:counts', escenario.keyId) ?? 0);

    const results: Array<{ round: number; bare: Measured; full: Measured }> = [];
    for (let round = 1; round <= rounds; round++) {
      const b = await measure(loadgen, bare, bareUrl, headers, connections, durationMs, warmupMs);
      const f = await measure(loadgen, full, fullUrl, headers, connections, durationMs, warmupMs);
      results.push({ round, bare: b, full: f });
      console.log(`round ${round}: bare ${fmt(b.rps, 0)} req/s (p50 ${fmt(b.p50, 2)} ms, p99 ${fmt(b.p99, 2)} ms, errors ${b.errors}) | `
        + `full ${fmt(f.rps, 0)} req/s (p50 ${fmt(f.p50, 2)} ms, p99 ${fmt(f.p99, 2)} ms, errors ${f.errors}) | ratio ${fmt(f.rps / b.rps, 3)}`);
      for (const [name, m] of [['bare', b], ['full', f]] as const) {
        if (m.cpu.foreign / m.cpu.seconds > 0.1) {
          console.log(`  note: during the ${name} run other processes on this machine used ${fmt(m.cpu.foreign / m.cpu.seconds * 100, 0)}% of a core (${m.cpu.topForeign.join('; ')})`);
        }
      }
    }

    const usageAfter = Number(await redis.hget('{pagos}:apikey-usage:counts', escenario.keyId) ?? 0);
    const limiterKeys = await redis.keys('{pagos}:rl:portalPerKey*');
    redis.disconnect();
    const fullRequests = results.reduce((a, r) => a + r.full.requests, 0);

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bareRps = mean(results.map((r) => r.bare.rps));
    const fullRps = mean(results.map((r) => r.full.rps));
    const ratio = fullRps / bareRps;
    const cpuPerReq = (m: Measured) => (m.serverCpu / m.requests) * 1e6;
    line();
    console.log('SUMMARY (mean of rounds)');
    console.log(`  bare Koa route            ${fmt(bareRps, 0).padStart(7)} req/s   server CPU ${fmt(mean(results.map((r) => cpuPerReq(r.bare))), 0)} µs/req`);
    console.log(`  full route (auth+rl+usage) ${fmt(fullRps, 0).padStart(6)} req/s   server CPU ${fmt(mean(results.map((r) => cpuPerReq(r.full))), 0)} µs/req, `
      + `PostgreSQL+Redis CPU ${fmt(mean(results.map((r) => (r.full.servicesCpu / r.full.requests) * 1e6)), 0)} µs/req`);
    const foreignShare = mean(results.flatMap((r) => [r.bare, r.full]).map((m) => m.cpu.foreign / m.cpu.seconds));
    console.log(`  CPU used by other people's processes during the runs: ${fmt(foreignShare * 100, 0)}% of one core on average`);
    console.log(`  machine busy during full runs: ${fmt(mean(results.map((r) => r.full.machineBusy * 100)), 0)}% of ${machineCpuCount()} cores; during bare runs: ${fmt(mean(results.map((r) => r.bare.machineBusy * 100)), 0)}%`);
    console.log(`  usage counted in Redis for the key: +${usageAfter - usageBefore} (requests answered in measured windows: ${fullRequests}; warm-ups also count)`);
    console.log(`  rate limiter keys present: ${limiterKeys.length > 0 ? 'yes' : 'NO'}`);
    console.log(`  ratio full/bare = ${fmt(ratio, 3)}   target >= 0.5: ${verdict(ratio >= 0.5)}`);
    line();
    const errors = results.reduce((a, r) => a + r.full.errors + r.bare.errors, 0);
    if (errors > 0) console.log(`WARNING: ${errors} non-200 answers or socket errors during the runs`);
  } finally {
    await cleanup();
  }
}

const machineCpuCount = () => os.availableParallelism();

main().then(() => process.exit(0), (error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
