/**
 * Benchmark 2 (issue 8 item 4): end-to-end purchases, from the payment request
 * (Conekta sandbox) to the hotspot user present on the simulated router.
 *
 *   npx tsx bench/purchases.ts [--routers 10] [--rate 100] [--seconds 20] [--warmup 3]
 *                              [--offline 0.2] [--probe-seconds 8] [--probe-concurrency 48]
 *                              [--env KEY=VALUE,...] [--node-args="--max-old-space-size=128 ..."] (default: the Procfile's flags)
 *                              [--loader import|require] [--profile] [--dump [file.json]]
 *                              [--idle-seconds 10] [--settle-seconds 11] [--baseline-root DIR]
 *
 * Processes: the web dyno (src/server.ts) and the worker dyno (workers/index.ts)
 * as real child processes on the database pagos_bench and Redis db 11; this
 * process hosts the Conekta sandbox, one RouterOS simulator per router (each
 * router a company with its own API key) and the load generator.
 *
 * Pay-to-provisioned is measured from the moment a request is sent until the
 * simulator applies `/ip/hotspot/user/add` for that transaction (the user's
 * comment is the transaction id), both clocks in this process.
 *
 * Phases:
 *   probe     closed loop, --probe-concurrency purchases in flight: the most
 *             purchases/s this machine completes (then the queue drains);
 *   online    open loop at --rate purchases/s for --seconds, every router up:
 *             sustained purchases/s, p50/p99 pay-to-provisioned (targets
 *             >= 100/s, p99 < 250 ms);
 *   offline   the same with --offline of the routers refusing connections:
 *             the online routers' p99 must stay <= 1.5 x the online phase's p99.
 * Peak RSS (VmHWM) of web and worker is read at the end (target < 250 MB each).
 *
 * Work per purchase (issue 26), counted by the servers, not the clients:
 * PostgreSQL transactions of the bench database (pg_stat_database
 * xact_commit + xact_rollback, read from another database so reading does not
 * count) and Redis commands on the bench's db number (MONITOR: every command,
 * scripts' inner calls included, as INFO commandstats counts them; other
 * databases on the server left out), each less what the idle stack does over
 * the same span (measured for --idle-seconds after the warm-up and printed as
 * "idle stack per second"). A backend that goes idle less than a second after
 * its last report holds its statistics for up to 10 s (PGSTAT_IDLE_INTERVAL),
 * so every reading is taken after --settle-seconds of an idle stack. The
 * client-side counts per process are printed too.
 *
 * --baseline-root DIR runs everything first with the web and worker of
 * another checkout (e.g. `git worktree add /work/wt/base <commit>`, with
 * node_modules linked), its own migrations and seeding (the bench database is
 * dropped and recreated before each run), then with this one, and prints the
 * two side by side.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Redis from 'ioredis';
import { startConektaSandbox } from '../sim/conekta';
import { startRouterOsSimulator, type RouterOsSimulator } from '../sim/routeros';
import { execFileSync } from 'node:child_process';
import {
  machineCpu, waitForQuiet, ROOT, dropBenchDatabase, openPgCounter, monitorRedisDb, redisDelta, type RedisCounts,
  benchLibFor,
  BENCH_DATABASE, BENCH_ENV, BENCH_REDIS_URL, COUNT_DIR, COUNT_PRELOAD, LOG_DIR, describeRoundTrips, readRoundTrips, attributeCpu, cpuSnapshot, fmt, freePort, line, numberArg, parseArgs, procfileNodeFlags,
  percentile, printMachine, sleep, startChild, tail, verdict, waitForHttp, type BenchEscenario, type Child,
} from './lib/common';

interface Purchase {
  phase: string;
  router: number;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  trx?: string;
  estadoHotspot?: string;
  error?: string;
}

interface PhaseResult {
  name: string;
  offered: number;
  seconds: number;
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  /** Users that appeared on routers per second, over the last 90% of the phase window (steady state). */
  provisionedPerSec: number;
  answeredPerSec: number;
  p2p: number[];
  p2pOnline: number[];
  /** The same, for purchases sent after the first 10% of the window (no phase-start transient). */
  p2pSteady: number[];
  response: number[];
  notProvisioned: number;
  loopDelayP99: number;
  /**
   * Per purchase, counted by the servers, idle cost over the same span subtracted: PostgreSQL transactions of the
   * bench database (each autocommit statement is one), Redis commands on the bench's db (scripts' inner calls included).
   * Also Redis commands and their server time server-wide (INFO commandstats: other people's databases count too).
   */
  work: { pgXacts: number; redis: number; redisFromScripts: number; topRedis: string; serverWideRedisCalls: number; redisUsec: number; spanSec: number };
  /** Exact round trips per purchase issued by each process (bench/lib/count-preload.ts). */
  trips: { web: string; worker: string };
  /** Median and p99 of each stage of the online routers' purchases, ms. */
  stages: Array<[string, number, number]>;
  cpu: { web: number; worker: number; bench: number; pgRedis: number; foreign: number; seconds: number; machineBusy: number; quietBefore: number };
}

interface RunSummary {
  label: string;
  capacity: number | null;
  capacityP99: number | null;
  sustained: number;
  p50: number;
  p99: number;
  offlineRatio: number | null;
  online: PhaseResult;
  probe: PhaseResult | null;
  idle: { pgPerSec: number; redisPerSec: number; redisTop: string };
  peak: { web: number | null; worker: number | null };
}

function gitHead(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 70);
  } catch {
    return 'unknown commit';
  }
}

async function main() {
  const args = parseArgs();
  printMachine('bench/purchases.ts — end-to-end purchases: pay (Conekta sandbox) to user present on the RouterOS simulator');
  const baseline = args.get('baseline-root');
  const runs: RunSummary[] = [];
  if (baseline) {
    const root = path.resolve(baseline);
    runs.push(await runOnce(args, root, `baseline: ${root} (${gitHead(root)})`));
  }
  runs.push(await runOnce(args, ROOT, `this checkout: ${ROOT} (${gitHead(ROOT)})`));
  if (runs.length > 1) compare(runs);
}

function compare(runs: RunSummary[]) {
  line('=');
  console.log('SIDE BY SIDE (per purchase; server-side counts, idle subtracted; "probe": the closed loop, "online": the open loop)');
  const perOk = (p: PhaseResult | null, v: (p: PhaseResult) => number) => (p && p.ok > 0 ? (v(p) / p.ok) * 1000 : NaN);
  const rows: Array<[string, (r: RunSummary) => string]> = [
    ['probe: PostgreSQL transactions / purchase', (r) => fmt(r.probe?.work.pgXacts ?? NaN, 2)],
    ['probe: Redis commands / purchase', (r) => fmt(r.probe?.work.redis ?? NaN, 1)],
    ['probe: web CPU ms / purchase', (r) => fmt(perOk(r.probe, (p) => p.cpu.web), 2)],
    ['probe: worker CPU ms / purchase', (r) => fmt(perOk(r.probe, (p) => p.cpu.worker), 2)],
    ['probe: PostgreSQL+Redis CPU ms / purchase', (r) => fmt(perOk(r.probe, (p) => p.cpu.pgRedis), 2)],
    ['probe: other people\'s CPU (cores)', (r) => fmt(r.probe ? r.probe.cpu.foreign / Math.max(1, r.probe.cpu.seconds) : NaN, 2)],
    ['online: PostgreSQL transactions / purchase', (r) => fmt(r.online.work.pgXacts, 2)],
    ['online: Redis commands / purchase', (r) => fmt(r.online.work.redis, 1)],
    ['online:   of which inside scripts', (r) => fmt(r.online.work.redisFromScripts, 1)],
    ['online: web CPU ms / purchase', (r) => fmt(perOk(r.online, (p) => p.cpu.web), 2)],
    ['online: worker CPU ms / purchase', (r) => fmt(perOk(r.online, (p) => p.cpu.worker), 2)],
    ['online: PostgreSQL+Redis CPU ms / purchase', (r) => fmt(perOk(r.online, (p) => p.cpu.pgRedis), 2)],
    ['capacity (closed loop) purchases/s', (r) => fmt(r.capacity ?? NaN, 1)],
    ['capacity p99 ms', (r) => fmt(r.capacityP99 ?? NaN, 0)],
    ['online: sustained purchases/s', (r) => fmt(r.sustained, 1)],
    ['online: pay-to-provisioned p50 / p99 ms', (r) => `${fmt(r.p50, 0)} / ${fmt(r.p99, 0)}`],
    ['offline phase p99 ratio', (r) => fmt(r.offlineRatio ?? NaN, 2)],
    ['idle stack: PostgreSQL xacts/s', (r) => fmt(r.idle.pgPerSec, 2)],
    ['idle stack: Redis commands/s', (r) => fmt(r.idle.redisPerSec, 1)],
    ['peak RSS web / worker MB', (r) => `${fmt(r.peak.web ?? NaN, 0)} / ${fmt(r.peak.worker ?? NaN, 0)}`],
    ['online: other people\'s CPU (cores)', (r) => fmt(r.online.cpu.foreign / Math.max(1, r.online.cpu.seconds), 2)],
  ];
  const width = 48;
  for (const [i, r] of runs.entries()) console.log(`  [${i}] ${r.label}`);
  console.log(`  ${''.padEnd(width)} ${runs.map((_, i) => `[${i}]`.padStart(14)).join('')}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)} ${runs.map((r) => value(r).padStart(14)).join('')}`);
  line('=');
}

async function runOnce(args: Map<string, string>, root: string, label: string): Promise<RunSummary> {
  const routers = numberArg(args, 'routers', 10);
  const rate = numberArg(args, 'rate', 100);
  const seconds = numberArg(args, 'seconds', 20);
  const warmupSec = numberArg(args, 'warmup', 3);
  const offlineShare = numberArg(args, 'offline', 0.2);
  const probeSeconds = numberArg(args, 'probe-seconds', 8);
  const probeConcurrency = numberArg(args, 'probe-concurrency', 48);
  const extraEnv = Object.fromEntries((args.get('env') ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));

  const idleSeconds = numberArg(args, 'idle-seconds', 10);
  const settleMs = numberArg(args, 'settle-seconds', 11) * 1000;
  const benchStarted = Date.now();
  line('=');
  console.log(`RUN ${label}`);
  line('=');

  // ---- world: database (migrated and seeded by the checkout under test), sandbox, simulators, tenants
  const lib = await benchLibFor(root);
  if (args.has('baseline-root')) await dropBenchDatabase(); // another checkout's migrations next
  const knex = await lib.prepareDatabase();
  const conekta = await startConektaSandbox({ port: 0, host: '127.0.0.1' });
  const provisionedAt = new Map<string, number>();
  const sims: RouterOsSimulator[] = [];
  for (let i = 0; i < routers; i++) {
    const sim = await startRouterOsSimulator({
      port: 0, host: '127.0.0.1', username: 'api', password: `router-pass-${i}`,
      profiles: [{ name: 'plan-1h', 'session-timeout': '1h', 'shared-users': '1' }],
    });
    // Observe provisioning: the first time a user with our transaction id appears on the router.
    const state = sim.state;
    const addUser = state.addUser.bind(state);
    state.addUser = (input) => {
      const id = addUser(input);
      const comment = (input as Record<string, string | undefined>).comment;
      if (comment && !provisionedAt.has(comment)) provisionedAt.set(comment, performance.now());
      return id;
    };
    sims.push(sim);
  }
  const secrets = lib.benchSecrets();
  const escenarios: BenchEscenario[] = [];
  for (let i = 0; i < routers; i++) {
    escenarios.push(await lib.seedEscenario(knex, secrets, { host: sims[i]!.host, port: sims[i]!.port, username: sims[i]!.username, password: sims[i]!.password }, { products: 3, index: i }));
  }

  // ---- the two dynos
  const port = await freePort();
  const childEnv = {
    ...BENCH_ENV,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    CONEKTA_API_URL: conekta.url,
    MERCADOPAGO_API_URL: 'http://127.0.0.1:9',
    TELEGRAM_API_URL: 'http://127.0.0.1:9',
    ...extraEnv,
  };
  const profileDir = path.join(LOG_DIR, 'profiles');
  // The Procfile's heap cap unless --node-args says otherwise (--node-args="" runs without one).
  const nodeArgs = [
    ...(args.has('profile') ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(args.has('node-args') ? (args.get('node-args') ?? '').split(' ').filter(Boolean) : procfileNodeFlags('web')),
  ];
  const loader = args.get('loader') === 'require' ? 'require' : 'import';
  const countEnv = { ...childEnv, BENCH_COUNT_DIR: COUNT_DIR };
  const web = startChild('purchases-web', 'src/server.ts', countEnv, { nodeArgs, imports: [COUNT_PRELOAD], loader, root });
  const worker = startChild('purchases-worker', 'workers/index.ts', countEnv, { nodeArgs, imports: [COUNT_PRELOAD], loader, root });
  const children: Child[] = [web, worker];
  let closing = false;
  const pgCounter = await openPgCounter();
  const redisCounter = await monitorRedisDb(BENCH_REDIS_URL);
  const cleanup = async () => {
    if (closing) return;
    closing = true;
    redisCounter.close();
    await pgCounter.close().catch(() => undefined);
    await Promise.all(children.map((c) => c.stop()));
    await Promise.all([conekta.close(), ...sims.map((s) => s.close())]);
    await knex.destroy().catch(() => undefined);
  };
  process.once('SIGINT', () => { void cleanup().then(() => process.exit(130)); });

  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, web, 60_000);
    console.log(`routers: ${routers} simulators (one company + API key each); web pid ${web.pid}, worker pid ${worker.pid}; logs in ${LOG_DIR}`);
    console.log(`child settings: ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ') || 'service defaults'} `
      + '(rate limits raised to 1e6; LOG_LEVEL=warn; NODE_ENV=production)');
    console.log(`children run as: node ${[...nodeArgs, loader === 'require' ? '--require tsx/cjs' : '--import tsx'].join(' ')} <entry>`);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });
    let seq = 0;
    const purchases: Purchase[] = [];

    const buy = (phase: string, router: number): Promise<Purchase> => {
      const escenario = escenarios[router]!;
      const n = ++seq;
      const body = JSON.stringify({
        producto_id: escenario.productoIds[0], token_tarjeta: `tok_test_visa_4242_b${n}`,
        nombre_cliente: 'Ana López', email_cliente: `cliente${n}@example.com`, telefono_cliente: '5512345678',
        tipo_usuario: 'usuario_contrasena',
        mac_cliente: `02:00:${[n >> 24, n >> 16, n >> 8, n].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`,
        ip_cliente: `10.5.${(n >> 8) & 255}.${n & 255}`,
      });
      const p: Purchase = { phase, router, sentAt: performance.now() };
      purchases.push(p);
      return new Promise((resolve) => {
        const req = http.request({
          host: '127.0.0.1', port, path: '/api/v1/payments/pagar-conekta', method: 'POST', agent,
          headers: {
            Authorization: `Bearer ${escenario.apiKey}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
            'Idempotency-Key': `bench-${process.pid}-${n}`,
          },
        }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => { text += c; });
          res.on('end', () => {
            p.answeredAt = performance.now();
            p.status = res.statusCode;
            try {
              const json = JSON.parse(text) as { transaccion_id?: string; estado_hotspot?: string; detail?: string };
              p.trx = json.transaccion_id;
              p.estadoHotspot = json.estado_hotspot;
              if (res.statusCode !== 200) p.error = json.detail ?? text.slice(0, 200);
            } catch {
              p.error = text.slice(0, 200);
            }
            resolve(p);
          });
        });
        req.on('error', (error) => { p.answeredAt = performance.now(); p.error = error.message; resolve(p); });
        req.end(body);
      });
    };

    /** Open loop: `perSec` purchases a second, round-robin over `routerSet`, for `ms`. */
    const openLoop = async (phase: string, perSec: number, ms: number, routerSet: number[]) => {
      const inflight: Array<Promise<Purchase>> = [];
      const start = performance.now();
      let sent = 0;
      while (true) {
        const elapsed = performance.now() - start;
        if (elapsed >= ms) break;
        const due = Math.floor((elapsed / 1000) * perSec);
        while (sent < due) {
          inflight.push(buy(phase, routerSet[sent % routerSet.length]!));
          sent++;
        }
        await sleep(2);
      }
      return inflight;
    };

    /** Closed loop: `concurrency` purchases always in flight for `ms`. */
    const closedLoop = async (phase: string, concurrency: number, ms: number, routerSet: number[]) => {
      const end = performance.now() + ms;
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) await buy(phase, routerSet[next++ % routerSet.length]!);
      }));
    };

    /**
     * Where the time goes, from the transaction's history (PostgreSQL now() of each
     * statement, same machine clock as this process's performance.timeOrigin).
     */
    const stageBreakdown = async (list: Purchase[]): Promise<Array<[string, number, number]>> => {
      if (list.length === 0) return [];
      const rows: Array<{ transaccion_id: string; tipo: string; creado_en: Date }> = [];
      for (let i = 0; i < list.length; i += 1000) {
        rows.push(...await knex('transaccion_eventos').whereIn('transaccion_id', list.slice(i, i + 1000).map((p) => p.trx!))
          .whereIn('tipo', ['creada', 'pago_aprobado', 'aprovisionando', 'usuario_activo']).select('transaccion_id', 'tipo', 'creado_en'));
      }
      const at = new Map<string, Record<string, number>>();
      for (const r of rows) {
        const m = at.get(r.transaccion_id) ?? {};
        m[r.tipo] ??= new Date(r.creado_en).getTime() - performance.timeOrigin;
        at.set(r.transaccion_id, m);
      }
      const spans: Record<string, number[]> = {};
      const add = (k: string, v: number | undefined) => { if (v !== undefined && Number.isFinite(v)) (spans[k] ??= []).push(v); };
      for (const p of list) {
        const m = at.get(p.trx!);
        if (!m) continue;
        const added = provisionedAt.get(p.trx!)!;
        add('request -> row inserted (auth, limits, product, insert)', m.creada! - p.sentAt);
        add('row inserted -> paid (Conekta charge, transition)', m.pago_aprobado! - m.creada!);
        add('paid -> worker picks it (enqueue, queue wait, reads)', m.aprovisionando! - m.pago_aprobado!);
        add('worker picks it -> user on router (load router, /add)', added - m.aprovisionando!);
        add('user on router -> active (transition)', m.usuario_activo! - added);
        add('active -> answer received (queue event, read, respond)', p.answeredAt! - m.usuario_activo!);
      }
      return Object.entries(spans).map(([k, v]) => [k, percentile(v, 50), percentile(v, 99)]);
    };

    const waitProvisioned = async (list: Purchase[], graceMs: number) => {
      const deadline = performance.now() + graceMs;
      while (performance.now() < deadline && list.some((p) => p.trx && !provisionedAt.has(p.trx))) await sleep(20);
    };

    const queueDepth = async (redis: Redis) => {
      const [wait, active, delayed] = await Promise.all([
        redis.llen('{pagos}:hotspot:wait'), redis.llen('{pagos}:hotspot:active'), redis.zcard('{pagos}:hotspot:delayed'),
      ]);
      return { wait, active, delayed };
    };
    const redis = new Redis(BENCH_REDIS_URL);
    await redis.ping();
    redisCounter.ignore(redis); // the bench's own queue-depth and INFO reads

    const allRouters = escenarios.map((_, i) => i);

    // ---- warm-up: the whole pipeline works, JIT and pools are warm
    const warm = await openLoop('warmup', rate, warmupSec * 1000, allRouters);
    const warmed = await Promise.all(warm);
    await waitProvisioned(warmed, 10_000);
    const warmBad = warmed.filter((p) => p.status !== 200 || !p.trx || !provisionedAt.has(p.trx));
    if (warmBad.length > 0) {
      throw new Error(`el calentamiento falló en ${warmBad.length}/${warmed.length} compras: ${warmBad.slice(0, 3).map((p) => `${p.status} ${p.error ?? p.estadoHotspot}`).join(' | ')}\n`
        + `web:\n${tail(web.logFile)}\nworker:\n${tail(worker.logFile)}`);
    }
    console.log(`warm-up: ${warmed.length} purchases, all provisioned`);

    // ---- idle: what the stack does with nothing to do (scheduled jobs, BullMQ's blocking waits, pollers)
    for (let i = 0; i < 100; i++) {
      const q = await queueDepth(redis);
      if (q.wait + q.active === 0) break;
      await sleep(100);
    }
    await sleep(settleMs); // the warm-up's statistics are all published (see the header)
    const idle0 = { at: performance.now(), pg: await pgCounter.read(), redis: redisCounter.read() };
    await sleep(idleSeconds * 1000);
    await sleep(0);
    const idle1 = { at: performance.now(), pg: await pgCounter.read(), redis: redisCounter.read() };
    const idleSpan = Math.max(0.001, (idle1.at - idle0.at) / 1000);
    const idleRedis = redisDelta(idle0.redis, idle1.redis);
    const idle = {
      pgPerSec: (idle1.pg - idle0.pg) / idleSpan,
      redisPerSec: idleRedis.total / idleSpan,
      redisTop: Object.entries(idleRedis.byCommand).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, k]) => `${c} ${fmt(k / idleSpan, 2)}`).join(', '),
    };
    console.log(`idle stack per second (over ${fmt(idleSpan, 1)} s): ${fmt(idle.pgPerSec, 2)} PostgreSQL transactions, ${fmt(idle.redisPerSec, 2)} Redis commands (${idle.redisTop || 'none'})`);

    const delay = monitorEventLoopDelay({ resolution: 5 });

    const redisStats = async () => {
      const text = await redis.info('commandstats');
      const out = new Map<string, { calls: number; usec: number }>();
      for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
      return out;
    };
    type WorkMark = { at: number; xacts: number; redis: RedisCounts; info: Map<string, { calls: number; usec: number }> };
    const mark = async (): Promise<WorkMark> => ({ at: performance.now(), xacts: await pgCounter.read(), redis: redisCounter.read(), info: await redisStats() });
    const workPer = async (before: WorkMark, purchasesDone: number) => {
      await sleep(settleMs); // the phase's statistics are all published (see the header)
      const after = await mark();
      const span = (after.at - before.at) / 1000;
      let calls = 0;
      let usec = 0;
      for (const [cmd, v] of after.info) {
        const b = before.info.get(cmd) ?? { calls: 0, usec: 0 };
        calls += v.calls - b.calls;
        usec += v.usec - b.usec;
      }
      const ours = redisDelta(before.redis, after.redis);
      const n = Math.max(1, purchasesDone);
      return {
        pgXacts: (after.xacts - before.xacts - idle.pgPerSec * span) / n,
        redis: (ours.total - idle.redisPerSec * span) / n,
        redisFromScripts: ours.fromScripts / n,
        topRedis: Object.entries(ours.byCommand).sort((a, b) => b[1] - a[1]).slice(0, 40).map(([c, k]) => `${c} ${fmt(k / n, 1)}`).join(', '),
        serverWideRedisCalls: calls / n, redisUsec: usec / n, spanSec: span,
      };
    };

    const runPhase = async (name: string, offered: number, runMs: number, routerSet: number[], online: Set<number>, drive: () => Promise<Array<Promise<Purchase>> | void>) => {
      const quietBefore = await waitForQuiet(10_000);
      await sleep(settleMs); // the previous phase's statistics are all published
      const work0 = await mark();
      const trips0 = { web: await readRoundTrips(web), worker: await readRoundTrips(worker) };
      const snap0 = cpuSnapshot();
      const machine0 = machineCpu();
      delay.reset();
      delay.enable();
      const startIdx = purchases.length;
      const t0 = performance.now();
      const started = await drive();
      if (started) await Promise.all(started);
      const windowEnd = t0 + runMs;
      const list = purchases.slice(startIdx);
      await Promise.all(list.map((p) => (p.answeredAt ? undefined : new Promise<void>((r) => { const t = setInterval(() => { if (p.answeredAt) { clearInterval(t); r(); } }, 10); }))));
      delay.disable();
      const snap1 = cpuSnapshot();
      const machine1 = machineCpu();
      // Online routers' users should all be there by now; give stragglers a little longer.
      await waitProvisioned(list.filter((p) => online.has(p.router)), 5000);
      const okList = list.filter((p) => p.status === 200 && p.trx);
      const onlineOk = okList.filter((p) => online.has(p.router));
      const p2p = onlineOk.filter((p) => provisionedAt.has(p.trx!)).map((p) => provisionedAt.get(p.trx!)! - p.sentAt);
      const statuses: Record<string, number> = {};
      for (const p of list) statuses[String(p.status ?? p.error)] = (statuses[String(p.status ?? p.error)] ?? 0) + 1;
      // Steady state: users that appeared on routers between 10% of the window and its end.
      const steadyFrom = t0 + runMs * 0.1;
      const provisionedInWindow = okList.filter((p) => {
        const at = provisionedAt.get(p.trx!);
        return at !== undefined && at >= steadyFrom && at <= windowEnd;
      }).length;
      const lastAnswer = Math.max(...list.map((p) => p.answeredAt ?? 0));
      const cpu = attributeCpu(snap0, snap1, [process.pid, web.pid, worker.pid]);
      const per = (pid: number) => (snap1.procs.get(pid)?.cpu ?? 0) - (snap0.procs.get(pid)?.cpu ?? 0);
      // Before the stage breakdown: its own reads of the bench database must not count.
      const work = await workPer(work0, list.length);
      const stages = await stageBreakdown(onlineOk.filter((p) => provisionedAt.has(p.trx!)));
      const trips = {
        web: describeRoundTrips(trips0.web, await readRoundTrips(web), list.length),
        worker: describeRoundTrips(trips0.worker, await readRoundTrips(worker), list.length),
      };
      const result: PhaseResult = {
        name, offered, seconds: runMs / 1000, sent: list.length, ok: okList.length, failed: list.length - okList.length, statuses,
        provisionedPerSec: provisionedInWindow / ((windowEnd - steadyFrom) / 1000),
        answeredPerSec: list.filter((p) => p.status === 200).length / ((lastAnswer - t0) / 1000),
        p2p: onlineOk.filter((p) => provisionedAt.has(p.trx!)).map((p) => provisionedAt.get(p.trx!)! - p.sentAt),
        p2pOnline: p2p,
        p2pSteady: onlineOk.filter((p) => provisionedAt.has(p.trx!) && p.sentAt >= steadyFrom).map((p) => provisionedAt.get(p.trx!)! - p.sentAt),
        response: list.filter((p) => online.has(p.router) && p.answeredAt).map((p) => p.answeredAt! - p.sentAt),
        notProvisioned: onlineOk.filter((p) => !provisionedAt.has(p.trx!)).length,
        loopDelayP99: delay.percentile(99) / 1e6,
        stages,
        work,
        trips,
        cpu: {
          web: per(web.pid), worker: per(worker.pid), bench: per(process.pid),
          pgRedis: cpu.ours - per(web.pid) - per(worker.pid) - per(process.pid) + cpu.shared, foreign: cpu.foreign, seconds: cpu.seconds,
          machineBusy: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total), quietBefore,
        },
      };
      return result;
    };

    const report = (r: PhaseResult, extra = '') => {
      const n = r.ok;
      console.log(`[${r.name}] offered ${r.offered}${r.name === 'probe' ? ' in flight' : '/s'} for ${r.seconds}s: sent ${r.sent}, 200 OK ${r.ok}, failed ${r.failed} ${JSON.stringify(r.statuses)}`);
      console.log(`  steady-state ${fmt(r.provisionedPerSec, 1)} users provisioned/s (200 answers ${fmt(r.answeredPerSec, 1)}/s); pay-to-provisioned${extra} n=${r.p2pOnline.length}: `
        + `p50 ${fmt(percentile(r.p2pOnline, 50))} ms, p90 ${fmt(percentile(r.p2pOnline, 90))} ms, p99 ${fmt(percentile(r.p2pOnline, 99))} ms, max ${fmt(percentile(r.p2pOnline, 100))} ms`);
      console.log(`  pay-to-provisioned after the first 10% of the window${extra}: p50 ${fmt(percentile(r.p2pSteady, 50))} ms, p99 ${fmt(percentile(r.p2pSteady, 99))} ms`);
      console.log(`  response time${extra}: p50 ${fmt(percentile(r.response, 50))} ms, p99 ${fmt(percentile(r.response, 99))} ms; `
        + `not provisioned: ${r.notProvisioned}; bench event-loop delay p99 ${fmt(r.loopDelayP99)} ms`);
      for (const [stage, p50, p99] of r.stages) console.log(`    ${stage.padEnd(58)} p50 ${fmt(p50).padStart(7)} ms  p99 ${fmt(p99).padStart(7)} ms`);
      const s = r.cpu.seconds;
      if (n > 0) {
        console.log(`  CPU per purchase: web ${fmt((r.cpu.web / n) * 1000, 2)} ms, worker ${fmt((r.cpu.worker / n) * 1000, 2)} ms, `
          + `PostgreSQL+Redis ${fmt((r.cpu.pgRedis / n) * 1000, 2)} ms, bench (sims+sandbox+client) ${fmt((r.cpu.bench / n) * 1000, 2)} ms; `
          + `cores busy: ${fmt((r.cpu.web + r.cpu.worker + r.cpu.pgRedis + r.cpu.bench) / s, 2)} ours, ${fmt(r.cpu.foreign / s, 2)} other people's (seen); `
          + `machine ${fmt(r.cpu.machineBusy * 100, 0)}% busy (idle before start: ${fmt((1 - r.cpu.quietBefore) * 100, 0)}%)`);
      }
      console.log(`  round trips per purchase: web ${r.trips.web}`);
      console.log(`                            worker ${r.trips.worker}`);
      console.log(`  server side, per purchase, idle subtracted (span ${fmt(r.work.spanSec, 1)} s): ${fmt(r.work.pgXacts, 2)} PostgreSQL transactions on ${BENCH_DATABASE}; `
        + `${fmt(r.work.redis, 1)} Redis commands on its db (${fmt(r.work.redisFromScripts, 1)} inside scripts): ${r.work.topRedis}`);
      console.log(`  server-wide Redis (INFO commandstats, other people's databases included): ${fmt(r.work.serverWideRedisCalls, 1)} commands, ${fmt(r.work.redisUsec, 0)} µs per purchase`);
    };

    // ---- probe: the most this machine does
    let probe: PhaseResult | null = null;
    if (probeSeconds > 0) {
      probe = await runPhase('probe', probeConcurrency, probeSeconds * 1000, allRouters, new Set(allRouters),
        () => closedLoop('probe', probeConcurrency, probeSeconds * 1000, allRouters));
      report(probe);
      // Let the worker drain before the timed phases.
      for (let i = 0; i < 100; i++) {
        const q = await queueDepth(redis);
        if (q.wait + q.active === 0) break;
        await sleep(100);
      }
    }

    // ---- online: every router up
    const online = await runPhase('online', rate, seconds * 1000, allRouters, new Set(allRouters),
      () => openLoop('online', rate, seconds * 1000, allRouters));
    report(online);

    // ---- offline: the last share of routers refuse connections
    const offlineCount = Math.round(routers * offlineShare);
    const offlineSet = new Set(allRouters.slice(routers - offlineCount));
    const onlineSet = new Set(allRouters.filter((i) => !offlineSet.has(i)));
    let offline: PhaseResult | null = null;
    let onlineSubsetP99 = NaN;
    if (offlineCount > 0) {
      for (const i of offlineSet) await sims[i]!.faults.set({ refuseConnections: true });
      offline = await runPhase('offline', rate, seconds * 1000, allRouters, onlineSet,
        () => openLoop('offline', rate, seconds * 1000, allRouters));
      report(offline, ' (online routers)');
      const offlinePurchases = purchases.filter((p) => p.phase === 'offline' && offlineSet.has(p.router));
      const offResp = offlinePurchases.filter((p) => p.answeredAt).map((p) => p.answeredAt! - p.sentAt);
      console.log(`  offline routers (${offlineCount}): ${offlinePurchases.length} purchases, paid ${offlinePurchases.filter((p) => p.status === 200).length}, `
        + `answered with estado_hotspot ${JSON.stringify(countBy(offlinePurchases.map((p) => p.estadoHotspot ?? String(p.status))))}, `
        + `response p50 ${fmt(percentile(offResp, 50))} ms (the request waits PROVISIONING_WAIT_MS, then answers; the job retries)`);
      const q = await queueDepth(redis);
      console.log(`  hotspot queue at the end: waiting ${q.wait}, active ${q.active}, delayed (retries) ${q.delayed}`);
      // Same routers in the online phase, for a like-for-like comparison.
      const onlineSubset = purchases.filter((p) => p.phase === 'online' && onlineSet.has(p.router) && p.trx && provisionedAt.has(p.trx));
      onlineSubsetP99 = percentile(onlineSubset.map((p) => provisionedAt.get(p.trx!)! - p.sentAt), 99);
      for (const i of offlineSet) await sims[i]!.faults.clear();
    }

    if (args.has('dump')) {
      const file = args.get('dump') === 'true' ? path.join(LOG_DIR, 'purchases.json') : args.get('dump')!;
      fs.writeFileSync(file, JSON.stringify(purchases.map((p) => ({ ...p, provisionedAt: p.trx ? provisionedAt.get(p.trx) : undefined }))));
      console.log(`raw purchases written to ${file}`);
    }

    // ---- memory
    const heap = await webHeap(port);
    const webPeak = web.peakRssMb();
    const workerPeak = worker.peakRssMb();
    const webNow = web.rssMb();
    const workerNow = worker.rssMb();
    redis.disconnect();
    agent.destroy();

    // ---- summary
    const p99A = percentile(online.p2pOnline, 99);
    const p50A = percentile(online.p2pOnline, 50);
    const sustained = online.provisionedPerSec;
    // Sustained: the offered 100/s was served (>= 98% of it provisioned in steady state, nothing failed or left behind).
    const sustainedOk = online.failed === 0 && online.notProvisioned === 0 && rate >= 100 && sustained >= 0.98 * rate;
    line();
    console.log('SUMMARY');
    if (probe) console.log(`  capacity probe (closed loop, ${probeConcurrency} in flight): ${fmt(probe.provisionedPerSec, 1)} purchases/s provisioned, p99 ${fmt(percentile(probe.p2pOnline, 99))} ms`);
    console.log(`  sustained at ${rate}/s offered: ${fmt(sustained, 1)} purchases/s provisioned, ${online.failed} failed, ${online.notProvisioned} not provisioned`
      + `   target >= 100/s sustained: ${verdict(sustainedOk)}`);
    console.log(`  pay-to-provisioned, all routers online: p50 ${fmt(p50A)} ms, p99 ${fmt(p99A)} ms   target p99 < 250 ms: ${verdict(p99A < 250)}`);
    if (offline) {
      const p99B = percentile(offline.p2pOnline, 99);
      console.log(`  ${Math.round(offlineShare * 100)}% routers offline: online routers p99 ${fmt(p99B)} ms = ${fmt(p99B / p99A, 2)} x all-online p99 `
        + `(${fmt(p99B / onlineSubsetP99, 2)} x the same routers' p99 in the online phase, ${fmt(onlineSubsetP99)} ms)   target <= 1.5x: ${verdict(p99B <= 1.5 * p99A)}`);
    }
    {
      const a = percentile(online.p2pSteady, 99);
      const b = offline ? percentile(offline.p2pSteady, 99) : NaN;
      console.log(`  (informational, first 10% of each window left out: all-online p99 ${fmt(a)} ms${offline ? `, offline-phase online routers p99 ${fmt(b)} ms = ${fmt(b / a, 2)} x` : ''})`);
    }
    console.log(`  peak RSS (VmHWM): web ${fmt(webPeak ?? NaN)} MB, worker ${fmt(workerPeak ?? NaN)} MB (RSS at end: ${fmt(webNow ?? NaN)} / ${fmt(workerNow ?? NaN)} MB)`
      + `   target < 250 MB each: ${verdict((webPeak ?? Infinity) < 250 && (workerPeak ?? Infinity) < 250)}`);
    if (heap) console.log(`  web heap at the end (from /metrics): ${heap}`);
    console.log(`  bench wall time ${fmt((Date.now() - benchStarted) / 1000, 0)} s`);
    line();
    return {
      label, capacity: probe ? probe.provisionedPerSec : null, capacityP99: probe ? percentile(probe.p2pOnline, 99) : null,
      sustained, p50: p50A, p99: p99A, offlineRatio: offline ? percentile(offline.p2pOnline, 99) / p99A : null,
      online, probe, idle, peak: { web: webPeak, worker: workerPeak },
    };
  } finally {
    await cleanup();
  }
}

/** The web's V8 heap figures from its Prometheus endpoint (default metrics), in MB. */
async function webHeap(port: number): Promise<string | null> {
  const text = await new Promise<string>((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics', agent: false, headers: { Authorization: `Bearer ${BENCH_ENV.METRICS_TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve(res.statusCode === 200 ? body : ''));
    }).on('error', () => resolve(''));
  });
  if (!text) return null;
  const metric = (name: string, label = '') => {
    const m = new RegExp(`^${name}${label ? `\\{[^}]*${label}[^}]*\\}` : ''}\\s+([\\d.e+]+)`, 'm').exec(text);
    return m ? Number(m[1]) / 2 ** 20 : NaN;
  };
  const spaces = ['new', 'old', 'code', 'large_object'].map((space) => `${space} ${fmt(metric('pagos_nodejs_heap_space_size_total_bytes', `space="${space}"`), 0)}`).join(', ');
  return `heap total ${fmt(metric('pagos_nodejs_heap_size_total_bytes'), 0)} MB (used ${fmt(metric('pagos_nodejs_heap_size_used_bytes'), 0)}; spaces: ${spaces}), `
    + `external ${fmt(metric('pagos_nodejs_external_memory_bytes'), 0)} MB, RSS ${fmt(metric('pagos_process_resident_memory_bytes'), 0)} MB`;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

main().then(() => process.exit(0), (error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
