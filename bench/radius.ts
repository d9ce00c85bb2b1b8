/**
 * Benchmark 3 (issue 22): RADIUS mode.
 *
 *   npx tsx bench/radius.ts [--users 2000] [--serial 1000] [--inflight 32] [--sales 20]
 *
 * One run, on the demo stack (scripts/demo.ts startDemo, in this process) with
 * its FreeRADIUS, on the database `pagos_bench_radius` and Redis db 12:
 *
 *   logins   Access-Requests (CHAP, Message-Authenticator) from four simulated
 *            routers (127.0.0.41-44) through FreeRADIUS with our tables and
 *            configuration: users keyed "<router>:<user>" in radcheck, a plan
 *            group in radgroupreply, Simultaneous-Use and the Max-All-Session /
 *            Expire-After counters, post-auth written. One at a time, then
 *            --inflight at once: logins per second and latency.
 *   sales    --sales card purchases (Conekta sandbox) on each of the demo's two
 *            routers, alternating: the API-mode router (a hotspot user created
 *            through the RouterOS API by the worker) and the RADIUS-mode router
 *            (credentials written for FreeRADIUS). Pay-to-accept runs from the
 *            moment the payment request is sent until a hotspot login with the
 *            sale's credentials is accepted on that router (retried every 5 ms
 *            after the answer): the API router's simulator checking its local
 *            user, the RADIUS router's simulator asking FreeRADIUS.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startDemo, type RunningDemo } from '../scripts/demo';
import { RadiusClient, RadiusTimeoutError } from '../sim/radius/client';
import { radiusSchemaFor } from '../src/platform/db/radius-schema';
import { fmt, line, numberArg, parseArgs, percentile, printMachine, sleep } from './lib/common';

const DATABASE_URL = process.env.BENCH_RADIUS_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pagos_bench_radius';
const REDIS_URL = process.env.BENCH_RADIUS_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const ROUTERS = ['127.0.0.41', '127.0.0.42', '127.0.0.43', '127.0.0.44'].map((address, i) => ({
  id: `RTR_BE0000${String(i + 1).padStart(2, '0')}`, address, secret: `bench-secret-${i + 1}-${crypto.randomBytes(6).toString('hex')}`,
}));

async function freshDatabase(): Promise<void> {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name not supported: ${name}`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

async function freeUdpPorts(): Promise<[number, number]> {
  const dgram = await import('node:dgram');
  const socks = await Promise.all([0, 1].map(() => new Promise<import('node:dgram').Socket>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = socks.map((s) => s.address().port) as [number, number];
  for (const s of socks) s.close();
  return ports;
}

function summary(label: string, latencies: number[], seconds: number, accepted: number): string {
  return `${label.padEnd(26)} ${String(latencies.length).padStart(5)} logins in ${fmt(seconds, 2)} s = ${fmt(latencies.length / seconds, 0).padStart(5)}/s`
    + `  accepted ${accepted}  p50 ${fmt(percentile(latencies, 50), 2)} ms  p99 ${fmt(percentile(latencies, 99), 2)} ms`;
}

async function benchLogins(demo: RunningDemo, args: Map<string, string>): Promise<void> {
  const users = numberArg(args, 'users', 2000);
  const serial = numberArg(args, 'serial', 1000);
  const inflight = numberArg(args, 'inflight', 32);
  const knex = demo.web.container.knex;
  const schema = radiusSchemaFor(demo.config.database.schema);
  const t = (name: string) => knex.withSchema(schema).table(name);
  await t('nas').insert(ROUTERS.map((r) => ({ nasname: r.address, shortname: r.id, secret: r.secret, type: 'other' })));
  await t('radgroupreply').insert([
    { groupname: 'prod_bench', attribute: 'Session-Timeout', op: '=', value: '3600' },
    { groupname: 'prod_bench', attribute: 'Acct-Interim-Interval', op: '=', value: '60' },
    { groupname: 'prod_bench', attribute: 'Mikrotik-Rate-Limit', op: '=', value: '2M/10M' },
  ]);
  const rows = Array.from({ length: users }, (_, i) => ({ router: ROUTERS[i % ROUTERS.length]!, name: `PT-B${String(i).padStart(5, '0')}`, password: String(1000 + (i % 9000)) }));
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await t('radcheck').insert(chunk.flatMap((u) => [
      { username: `${u.router.id}:${u.name}`, attribute: 'Cleartext-Password', op: ':=', value: u.password },
      { username: `${u.router.id}:${u.name}`, attribute: 'Simultaneous-Use', op: ':=', value: '1' },
      { username: `${u.router.id}:${u.name}`, attribute: 'Max-All-Session', op: ':=', value: '3600' },
      { username: `${u.router.id}:${u.name}`, attribute: 'Expire-After', op: ':=', value: '86400' },
    ]));
    await t('radusergroup').insert(chunk.map((u) => ({ username: `${u.router.id}:${u.name}`, groupname: 'prod_bench', priority: 1 })));
  }
  const server = { address: '127.0.0.1', authPort: demo.config.radius.authPort, acctPort: demo.config.radius.acctPort };
  const clients = new Map(ROUTERS.map((r) => [r.id, new RadiusClient({ sourceAddress: r.address, timeoutMs: 3000, tries: 2 })]));
  let unanswered = 0;
  const login = async (u: (typeof rows)[number]): Promise<{ ms: number; ok: boolean }> => {
    const id = crypto.randomBytes(1);
    const challenge = crypto.randomBytes(16);
    const response = crypto.createHash('md5').update(Buffer.concat([id, Buffer.from(u.password), challenge])).digest();
    const start = performance.now();
    try {
      const answer = await clients.get(u.router.id)!.accessRequest({ ...server, secret: u.router.secret }, {
        userName: u.name, chap: { id: id[0]!, challenge, response },
        attributes: [['NAS-Identifier', u.router.id], ['Calling-Station-Id', '02:00:00:00:00:01'], ['Framed-IP-Address', '10.5.50.10']],
      });
      return { ms: performance.now() - start, ok: answer.code === 'Access-Accept' };
    } catch (error) {
      if (!(error instanceof RadiusTimeoutError)) throw error;
      unanswered++;
      return { ms: performance.now() - start, ok: false };
    }
  };
  // Warm-up (connections, caches of the dynamic clients).
  for (const r of ROUTERS) await login(rows.find((u) => u.router.id === r.id)!);

  console.log('FreeRADIUS logins with our tables (CHAP, 4 routers, sqlcounters, post-auth)');
  let start = performance.now();
  const serialLat: number[] = [];
  let accepted = 0;
  for (let i = 0; i < serial; i++) {
    const r = await login(rows[i % rows.length]!);
    serialLat.push(r.ms);
    if (r.ok) accepted++;
  }
  console.log(`  ${summary('one at a time', serialLat, (performance.now() - start) / 1000, accepted)}  unanswered ${unanswered}`);
  unanswered = 0;

  start = performance.now();
  const parallelLat: number[] = [];
  accepted = 0;
  let next = 0;
  await Promise.all(Array.from({ length: inflight }, async () => {
    while (next < rows.length) {
      const r = await login(rows[next++]!);
      parallelLat.push(r.ms);
      if (r.ok) accepted++;
    }
  }));
  console.log(`  ${summary(`${inflight} in flight`, parallelLat, (performance.now() - start) / 1000, accepted)}  unanswered ${unanswered}`);
  console.log('  (not accepted and answered = Access-Reject; FreeRADIUS logs why, e.g. "No connections available" when its SQL pool is exhausted)');
  for (const c of clients.values()) c.close();
}

async function benchSales(demo: RunningDemo, args: Map<string, string>): Promise<void> {
  const sales = numberArg(args, 'sales', 20);
  const modes = [
    { modo: 'api', apiKey: demo.seed.apiKey, producto: demo.seed.productos[0]!.id, state: demo.sim.state, times: [] as number[], failed: 0 },
    { modo: 'radius', apiKey: demo.seed.radiusRouter.apiKey, producto: demo.seed.radiusRouter.productos[0]!.id, state: demo.radiusRouter.sim.state, times: [] as number[], failed: 0 },
  ];
  let device = 0;
  const sale = async (m: (typeof modes)[number]): Promise<void> => {
    const n = ++device;
    const ip = `10.5.${60 + Math.floor(n / 250)}.${(n % 250) + 2}`;
    const start = performance.now();
    const res = await fetch(`${demo.apiUrl}/api/v1/payments/pagar-conekta`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${m.apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-radius-${crypto.randomUUID()}` },
      body: JSON.stringify({
        producto_id: m.producto, token_tarjeta: `tok_test_visa_4242_${crypto.randomBytes(6).toString('hex')}`,
        nombre_cliente: 'Bench', email_cliente: 'bench@example.com', mac_cliente: `02:BE:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`, ip_cliente: ip,
      }),
    });
    const body = await res.json() as { usuario_hotspot?: { usuario: string; contrasena: string } };
    const creds = body.usuario_hotspot;
    if (!res.ok || !creds) { m.failed++; return; }
    const deadline = performance.now() + 15_000;
    for (;;) {
      try {
        const id = await m.state.login({ user: creds.usuario, password: creds.contrasena, ip });
        m.times.push(performance.now() - start);
        m.state.removeActive(id);
        return;
      } catch {
        if (performance.now() > deadline) { m.failed++; return; }
        await sleep(5);
      }
    }
  };
  for (let i = 0; i < 2; i++) for (const m of modes) await sale(m); // warm-up
  for (const m of modes) { m.times = []; m.failed = 0; }
  for (let i = 0; i < sales; i++) for (const m of modes) await sale(m);
  console.log(`Pay-to-accept, ${sales} card sales per mode, one at a time, alternating`);
  for (const m of modes) {
    console.log(`  ${m.modo.padEnd(7)} p50 ${fmt(percentile(m.times, 50), 0)} ms  p99 ${fmt(percentile(m.times, 99), 0)} ms  max ${fmt(Math.max(...m.times), 0)} ms  failed ${m.failed}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  printMachine('bench/radius.ts: FreeRADIUS logins and pay-to-accept, RADIUS mode beside API mode');
  console.log(`this bench's data: ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} and ${REDIS_URL} (the line above names the other benches')`);
  await freshDatabase();
  const [auth, acct] = await freeUdpPorts();
  const demo = await startDemo({
    databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, apiPort: 0, portalPort: 0, radiusPortalPort: 0, privateServices: false, buildPanel: false,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-bench-radius-')),
    log: () => undefined,
    env: {
      LOG_LEVEL: 'warn', RADIUS_AUTH_PORT: String(auth), RADIUS_ACCT_PORT: String(acct),
      RATE_LIMIT_PORTAL_KEY_POINTS: '1000000', RATE_LIMIT_PAYMENTS_ROUTER_POINTS: '1000000', RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '1000000',
      RATE_LIMIT_DECLINES_ROUTER_POINTS: '1000000', RATE_LIMIT_DECLINES_CARD_POINTS: '1000000',
    },
  });
  try {
    if (!demo.radius) throw new Error('FreeRADIUS is not installed or did not start: apt-get install freeradius freeradius-postgresql freeradius-utils');
    line();
    await benchLogins(demo, args);
    line();
    await benchSales(demo, args);
    line();
  } finally {
    await demo.stop();
  }
}

main().then(() => process.exit(0), (error: Error) => {
  console.error(error);
  process.exit(1);
});
