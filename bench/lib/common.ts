/**
 * Shared pieces of the benchmarks (run by hand, never by the test suite):
 * the machine description, the dedicated database `pagos_bench` and Redis db 11,
 * the environment given to the web and worker children, child process
 * handling, seeding tenants, and small statistics helpers.
 *
 * Everything listens on and talks to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import Redis from 'ioredis';
import { createKnex, migrateLatest, type Knex } from '../../src/platform/db/knex';
import { loadConfig, type Config } from '../../src/platform/config';
import { createSecretBox, type SecretBox } from '../../src/platform/crypto/secret-box';
import { createRouterApiKeys, createRoutersStore } from '../../src/features/routers';
import { newEmpresaId, newRouterId } from '../../src/platform/ids';

export const ROOT = path.resolve(__dirname, '../..');

/** The node flags (the heap cap) the Procfile gives a process type, so benchmarks run it as the dyno does. */
export function procfileNodeFlags(processType: 'web' | 'worker'): string[] {
  const line = fs.readFileSync(path.join(ROOT, 'Procfile'), 'utf8').split('\n').find((l) => l.startsWith(`${processType}:`)) ?? '';
  return line.split(/\s+/).filter((token) => /^--max-(old|semi)-space-size=\d+$/.test(token));
}
export const LOG_DIR = path.join(os.tmpdir(), 'pagos-bench');

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pagos_bench';
/** The bench's database name (BENCH_DATABASE_URL's; default pagos_bench). */
export const BENCH_DATABASE = new URL(BENCH_DATABASE_URL).pathname.replace(/^\//, '');
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';

/** What every bench child (web, worker) and the bench process itself run with. */
export const BENCH_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL: BENCH_DATABASE_URL,
  DATABASE_POOL_SIZE: '20',
  REDIS_URL: BENCH_REDIS_URL,
  JWT_APIKEY_SECRET: 'bench-apikey-secret-0123456789abcdef0123456789',
  JWT_SESSION_SECRET: 'bench-session-secret-0123456789abcdef01234567',
  SECRET_KEY: 'bench-secret-key',
  SUPER_ADMIN_INITIAL_EMAIL: 'root@pagos.bench',
  // Production refuses a trivial initial password (or one containing the email's name).
  SUPER_ADMIN_INITIAL_PASSWORD: 'Bench-Initial-Pass-9431',
  BCRYPT_ROUNDS: '4',
  // Production refuses to start without it; secrets are encrypted as in production.
  ENCRYPTION_KEY_MERCADO_PAGO: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
  LOG_LEVEL: 'warn',
  // Production serves /metrics only with a token (purchases.ts reads the web's heap there).
  METRICS_TOKEN: 'bench-metrics-token-0123456789abcdef',
  PUBLIC_BASE_URL: 'http://127.0.0.1:8000',
  TRUST_PROXY: 'false',
  // The RouterOS simulator listens on loopback, which routers may not use otherwise (issue 21.8).
  ROUTER_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
  // The bench measures the machinery, not the limits: every limit far above the load.
  RATE_LIMIT_PORTAL_KEY_POINTS: '1000000',
  RATE_LIMIT_PAYMENTS_ROUTER_POINTS: '1000000',
  RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '1000000',
  RATE_LIMIT_DECLINES_ROUTER_POINTS: '1000000',
  RATE_LIMIT_DECLINES_CARD_POINTS: '1000000',
};

export function benchConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({ ...BENCH_ENV, ...extra });
}

// ---------------------------------------------------------------- machine

export function machineInfo(): { nproc: number; cpu: string; node: string; memGb: number; kernel: string } {
  let cpu = 'unknown';
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':').slice(1).join(':').trim();
  } catch { /* not Linux */ }
  return { nproc: os.availableParallelism(), cpu, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30), kernel: os.release() };
}

export function printMachine(title: string): void {
  const m = machineInfo();
  line('=');
  console.log(title);
  console.log(`machine: nproc=${m.nproc}  cpu="${m.cpu}"  mem=${m.memGb} GB  node=${m.node}  kernel=${m.kernel}`);
  console.log(`date: ${new Date().toISOString()}  loadavg(1m) at start=${os.loadavg()[0]!.toFixed(2)}  db=${BENCH_DATABASE_URL.replace(/\/\/[^@]*@/, '//')}  redis=${BENCH_REDIS_URL}`);
  line('=');
}

export const line = (ch = '-') => console.log(ch.repeat(78));

// ---------------------------------------------------------------- database and Redis

/** Creates `pagos_bench` when missing, migrates it, empties every table and Redis db 11. */
export async function prepareDatabase(): Promise<Knex> {
  await createBenchDatabase();
  const knex = createKnex(benchConfig(), 4);
  await migrateLatest(knex);
  const tables = (await knex.raw<{ rows: Array<{ tablename: string }> }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_migrations%'`,
  )).rows.map((r) => `"${r.tablename}"`);
  if (tables.length > 0) await knex.raw(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
  const redis = new Redis(BENCH_REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  return knex;
}

export interface BenchEscenario {
  empresaId: string;
  routerId: string;
  keyId: string;
  apiKey: string;
  productoIds: number[];
}

/**
 * One company with one router (at host:port, the RouterOS simulator), an API key
 * issued exactly as the service does, and `products` products on profile `plan-1h`.
 */
export async function seedEscenario(
  knex: Knex,
  secrets: SecretBox,
  router: { host: string; port: number; username: string; password: string },
  options: { products?: number; index?: number } = {},
): Promise<BenchEscenario> {
  const config = benchConfig();
  const apiKeys = createRouterApiKeys(config, createRoutersStore(knex));
  const n = options.index ?? 0;
  const empresaId = newEmpresaId();
  await knex('empresas').insert({
    id: empresaId, nombre: `WiFi Bench ${n}`, contacto_email: `ops${n}@bench.test`,
  });
  await knex('empresa_pasarelas').insert({
    empresa_id: empresaId, pasarela: 'conekta', secreto_enc: secrets.seal('key_test_private_bench'), llave_publica: 'key_test_public_bench',
  });
  const routerId = newRouterId();
  await knex('routers').insert({
    id: routerId, empresa_id: empresaId, nombre: `Router ${n}`, host: router.host, puerto: router.port,
    usuario: router.username, password_enc: secrets.seal(router.password),
  });
  const issued = apiKeys.issue(routerId, empresaId);
  await knex('router_api_keys').insert(issued.row);
  const productoIds: number[] = [];
  const count = options.products ?? 1;
  for (let i = 0; i < count; i++) {
    const [row] = await knex('productos').insert({
      empresa_id: empresaId, router_id: routerId, perfil_mikrotik_id: '*1', perfil_mikrotik_nombre: 'plan-1h', perfil_verificado: true,
      nombre_venta: `${i + 1} hora${i === 0 ? '' : 's'} de Internet`, descripcion: `Acceso ilimitado por ${i + 1} h`, precio: `${(i + 1) * 10}.00`, moneda: 'MXN',
      detalles: JSON.stringify({ velocidad: '10 Mbps', dispositivos: 1 }), limit_uptime: `${i + 1}h`, vigencia_minutos: 1440,
      ...(i === 0 ? { destacado: true } : {}), orden_visual: i,
    }).returning('id');
    productoIds.push(row.id as number);
  }
  return { empresaId, routerId, keyId: issued.row.key_id, apiKey: issued.apiKey, productoIds };
}

export const benchSecrets = () => createSecretBox(BENCH_ENV.ENCRYPTION_KEY_MERCADO_PAGO!);

// ---------------------------------------------------------------- children

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  logFile: string;
  /** Peak resident set size so far (VmHWM), in MB; null if the process is gone. */
  peakRssMb(): number | null;
  rssMb(): number | null;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function statusField(pid: number, field: string): number | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Math.round(Number(m[1]) / 1024 * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** Starts `node [nodeArgs] --import tsx [--import each of imports] <entry> [args]` with exactly `env` (plus PATH/HOME). */
export function startChild(
  name: string, entry: string, env: Record<string, string>,
  options: {
    args?: string[]; nodeArgs?: string[]; imports?: string[]; /** tsx as ESM loader hooks (default, like `tsx`) or CommonJS-only require hook */ loader?: 'import' | 'require';
    /** Another checkout to run `entry` from (a baseline); the imports stay this checkout's. */
    root?: string;
  } = {},
): Child {
  const root = options.root ?? ROOT;
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const loader = options.loader === 'require' ? ['--require', 'tsx/cjs'] : ['--import', 'tsx'];
  const imports = (options.imports ?? []).flatMap((file) => (options.loader === 'require'
    ? ['--require', path.join(ROOT, file)]
    : ['--import', pathToFileURL(path.join(ROOT, file)).href]));
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, ...imports, path.join(root, entry), ...(options.args ?? [])], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const pid = proc.pid!;
  let exited = false;
  proc.once('exit', () => { exited = true; });
  return {
    name, proc, pid, logFile,
    peakRssMb: () => statusField(pid, 'VmHWM'),
    rssMb: () => statusField(pid, 'VmRSS'),
    async stop(signal = 'SIGTERM') {
      if (exited) return;
      const done = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(signal);
      const timer = setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls GET url until it answers `status`; throws with the child's log tail otherwise. */
export async function waitForHttp(url: string, child: Child | null, ms = 30_000, status = 200): Promise<void> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    if (child && child.proc.exitCode !== null) throw new Error(`${child.name} terminó (código ${child.proc.exitCode}):\n${tail(child.logFile)}`);
    try {
      const got = await new Promise<number>((resolve, reject) => {
        const req = http.get(url, { agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        req.on('error', reject);
        req.setTimeout(2000, () => req.destroy(new Error('timeout')));
      });
      if (got === status) return;
      last = `HTTP ${got}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} no respondió ${status} en ${ms} ms (${last})${child ? `\n${tail(child.logFile)}` : ''}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile of an unsorted list (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

export function parseArgs(argv = process.argv.slice(2)): Map<string, string> {
  // `--help` prints the bench's own header (its usage) and touches nothing: a bench empties its database and Redis db.
  if (argv.includes('--help') || argv.includes('-h')) {
    const header = /\/\*\*([\s\S]*?)\*\//.exec(fs.readFileSync(process.argv[1]!, 'utf8'));
    console.log(header ? header[1]!.replace(/^ \* ?/gm, '').trim() : 'No usage header in this bench.');
    process.exit(0);
  }
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    const k = eq < 0 ? a.slice(2) : a.slice(2, eq);
    const v = eq < 0 ? undefined : a.slice(eq + 1);
    if (v !== undefined) out.set(k, v);
    else if (argv[i + 1] && !argv[i + 1]!.startsWith('--')) out.set(k, argv[++i]!);
    else out.set(k, 'true');
  }
  return out;
}

export function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} debe ser un número`);
  return n;
}

/** CPU time (user+system, seconds) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** CPU seconds of every PostgreSQL and Redis server process (for attributing the 2 cores). */
export function serviceCpuSeconds(): { postgres: number; redis: number } {
  let postgres = 0;
  let redis = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm = '';
    try { comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim(); } catch { continue; }
    if (comm === 'postgres' || comm.startsWith('postgres')) postgres += cpuSeconds(Number(entry)) ?? 0;
    else if (comm.startsWith('redis-server')) redis += cpuSeconds(Number(entry)) ?? 0;
  }
  return { postgres, redis };
}

/** Machine-wide CPU ticks (busy, total) from /proc/stat: busy share over a window = Δbusy/Δtotal. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const first = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (first[3] ?? 0) + (first[4] ?? 0);
    const total = first.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

// ---------------------------------------------------------------- who used the CPU

export interface CpuSnapshot {
  at: number;
  procs: Map<number, { cpu: number; cmd: string }>;
}

/** utime+stime of every process, with its command line (for telling ours from other people's load). */
export function cpuSnapshot(): CpuSnapshot {
  const procs = new Map<number, { cpu: number; cmd: string }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cpu = cpuSeconds(pid);
    if (cpu === null) continue;
    let cmd = '';
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { /* gone */ }
    if (!cmd) {
      try { cmd = `[${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`; } catch { /* gone */ }
    }
    procs.set(pid, { cpu, cmd });
  }
  return { at: Date.now(), procs };
}

export interface CpuAttribution {
  seconds: number;
  /** core-seconds */
  ours: number;
  /** PostgreSQL background processes and Redis: shared by every database/db number. */
  shared: number;
  foreign: number;
  topForeign: string[];
}

/**
 * Splits the CPU used between two snapshots into: ours (the given pids, their
 * descendants we know of, and PostgreSQL backends connected to our database),
 * shared servers, and other people's processes on the machine. Processes that
 * both started and ended between the snapshots are not seen.
 */
export function attributeCpu(before: CpuSnapshot, after: CpuSnapshot, ourPids: number[], database = BENCH_DATABASE): CpuAttribution {
  const ours = new Set(ourPids);
  let o = 0;
  let s = 0;
  let f = 0;
  const foreign: Array<[string, number]> = [];
  for (const [pid, { cpu, cmd }] of after.procs) {
    const used = cpu - (before.procs.get(pid)?.cpu ?? 0);
    if (used <= 0) continue;
    if (ours.has(pid) || cmd.includes(`${database} `) || cmd.includes('bench/lib/loadgen.ts') || /^wrk /.test(cmd)) o += used;
    else if (/^postgres(:|\s|$)/.test(cmd) && !/postgres: \S+: \S+ \S+ \d/.test(cmd)) s += used; // background workers, not client backends
    else if (cmd.startsWith('redis-server') || cmd.startsWith('[redis') || cmd.includes('/bin/postgres ')) s += used;
    else if (cmd.startsWith('[') && /kworker|ksoftirqd|rcu_|migration/.test(cmd)) s += used;
    else { f += used; foreign.push([cmd.slice(0, 70), used]); }
  }
  foreign.sort((a, b) => b[1] - a[1]);
  return {
    seconds: (after.at - before.at) / 1000, ours: o, shared: s, foreign: f,
    topForeign: foreign.slice(0, 3).map(([cmd, used]) => `${used.toFixed(1)}s ${cmd}`),
  };
}

/** Waits (at most maxMs) until the machine is mostly idle, so a run does not start under someone else's load. */
export async function waitForQuiet(maxMs = 20_000, busyBelow = 0.25): Promise<number> {
  const deadline = Date.now() + maxMs;
  let busy = 1;
  while (Date.now() < deadline) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    busy = b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
    if (busy < busyBelow) return busy;
  }
  return busy;
}

// ---------------------------------------------------------------- round trips (bench/lib/count-preload.ts)

export const COUNT_DIR = path.join(LOG_DIR, 'counts');
export const COUNT_PRELOAD = 'bench/lib/count-preload.ts';

export interface RoundTrips {
  pg: number;
  pgByKind: Record<string, number>;
  redis: number;
  redisByCommand: Record<string, number>;
}

/** Asks a child started with COUNT_PRELOAD for its counts so far. */
export async function readRoundTrips(child: Child): Promise<RoundTrips | null> {
  const file = path.join(COUNT_DIR, `counts-${child.pid}.json`);
  try { fs.rmSync(file); } catch { /* first time */ }
  try { process.kill(child.pid, 'SIGUSR2'); } catch { return null; }
  for (let i = 0; i < 50; i++) {
    await sleep(20);
    try { return JSON.parse(fs.readFileSync(file, 'utf8')) as RoundTrips; } catch { /* not yet */ }
  }
  return null;
}

/** (after - before) / n, as "N PostgreSQL queries (kinds) + M Redis commands (top commands)". */
export function describeRoundTrips(before: RoundTrips | null, after: RoundTrips | null, n: number): string {
  if (!before || !after || n <= 0) return 'n/a';
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.entries(a).map(([k, v]) => [k, (v - (b[k] ?? 0)) / n] as [string, number]).filter(([, v]) => v > 0.05).sort((x, y) => y[1] - x[1]);
  const pgKinds = diff(after.pgByKind, before.pgByKind).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  const redisTop = diff(after.redisByCommand, before.redisByCommand).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  return `${((after.pg - before.pg) / n).toFixed(1)} PostgreSQL queries (${pgKinds}) + ${((after.redis - before.redis) / n).toFixed(1)} Redis commands (${redisTop})`;
}

// ---------------------------------------------------------------- server-side counts

/** What a bench needs from a checkout's own bench library to migrate and seed for that checkout's code. */
export interface BenchLib {
  prepareDatabase: typeof prepareDatabase;
  seedEscenario: typeof seedEscenario;
  benchSecrets: typeof benchSecrets;
}

/**
 * The bench library of the checkout at `root` (this one's, or a baseline's
 * `bench/lib/common.ts`): its migrations, seeding and secrets match its code.
 */
export async function benchLibFor(root: string): Promise<BenchLib> {
  if (root === ROOT) return { prepareDatabase, seedEscenario, benchSecrets };
  const mod = await import(pathToFileURL(path.join(root, 'bench/lib/common.ts')).href) as Record<string, unknown>;
  const theirs = (mod.prepareDatabase ? mod : mod.default) as Omit<BenchLib, 'seedEscenario'> & { seedEscenario?: typeof seedEscenario; seedTenant?: typeof seedEscenario };
  // A checkout from before the glossary (b180db5) calls it seedTenant.
  const seed = theirs.seedEscenario ?? theirs.seedTenant;
  if (!seed) throw new Error(`${root}/bench/lib/common.ts exports neither seedEscenario nor seedTenant`);
  return { prepareDatabase: theirs.prepareDatabase, seedEscenario: seed, benchSecrets: theirs.benchSecrets };
}

/** Runs `work` on a connection to the server's `postgres` database, where the bench database is created and dropped. */
async function onAdminDatabase(work: (client: Client) => Promise<unknown>): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DATABASE)) throw new Error(`nombre de base no soportado: ${BENCH_DATABASE}`);
  const admin = new URL(BENCH_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the bench database when it is missing (empty, not migrated). */
async function createBenchDatabase(): Promise<void> {
  await onAdminDatabase(async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  });
}

/** Drops the bench database (FORCE) so another checkout can migrate it from scratch (baseline runs). */
export async function dropBenchDatabase(): Promise<void> {
  await onAdminDatabase((client) => client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`));
}

/**
 * PostgreSQL transactions (commits + rollbacks) of the bench database so far,
 * as the server counts them, read over a connection to another database
 * (`postgres`), so that reading does not count itself.
 */
export async function openPgCounter(): Promise<{ read(): Promise<number>; close(): Promise<void> }> {
  const admin = new URL(BENCH_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  return {
    async read() {
      await client.query('SELECT pg_stat_clear_snapshot()');
      const r = await client.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [BENCH_DATABASE]);
      return Number(r.rows[0]?.n ?? 0);
    },
    close: () => client.end(),
  };
}

export interface RedisCounts {
  /** Commands run on the bench's Redis db, scripts' inner calls included (as INFO commandstats counts them). */
  total: number;
  byCommand: Record<string, number>;
  /** Of total, the calls made from inside Lua scripts. */
  fromScripts: number;
}

/**
 * Counts, from the Redis server's side (MONITOR), every command run on one
 * database number, scripts' inner calls included (MONITOR shows them with the
 * source "lua", as INFO commandstats counts them), leaving out the connections
 * named in `ignore` (the bench's own). Other people's databases on the same
 * server are not counted, which INFO (server-wide) cannot do.
 */
export async function monitorRedisDb(url: string): Promise<{ read(): RedisCounts; ignore(client: Redis): void; close(): void }> {
  const db = new URL(url).pathname.replace(/^\//, '') || '0';
  const ignored = new Set<string>();
  const counts: RedisCounts = { total: 0, byCommand: {}, fromScripts: 0 };
  const monitor = await new Redis(url).monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string, database: string) => {
    if (database !== db || ignored.has(source)) return;
    const name = String(args[0] ?? '?').toLowerCase();
    counts.total++;
    counts.byCommand[name] = (counts.byCommand[name] ?? 0) + 1;
    if (source === 'lua') counts.fromScripts++;
  });
  return {
    read: () => ({ total: counts.total, fromScripts: counts.fromScripts, byCommand: { ...counts.byCommand } }),
    ignore(client) {
      const stream = (client as unknown as { stream?: { localAddress?: string; localPort?: number } }).stream;
      if (stream?.localPort) ignored.add(`${stream.localAddress ?? '127.0.0.1'}:${stream.localPort}`);
    },
    close: () => monitor.disconnect(),
  };
}

/** (after - before) per unit, by command, the largest first. */
export function redisDelta(before: RedisCounts, after: RedisCounts): RedisCounts {
  const byCommand: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byCommand)) {
    const d = v - (before.byCommand[k] ?? 0);
    if (d > 0) byCommand[k] = d;
  }
  return { total: after.total - before.total, fromScripts: after.fromScripts - before.fromScripts, byCommand };
}
