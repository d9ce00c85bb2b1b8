/**
 * Benchmark (issue 21 item 1): do other tenants' portal requests stall while a
 * 1000-voucher sheet renders?
 *
 *   npx tsx bench/pdf-stall.ts [--seconds 8] [--connections 4] [--baseline-root DIR]
 *
 * The web process (src/server.ts, started as the web dyno) serves one tenant's
 * portal catalog to `connections` keep-alive clients, first alone, then while
 * another tenant downloads its 1000-voucher PDF over and over. Reported: the
 * catalog's p50/p99/max in each phase and the sheets rendered. With
 * --baseline-root (another checkout, e.g. `git worktree add /tmp/before <commit>`
 * with node_modules linked), the same is measured on that code first, so the two
 * are compared in one run. Uses pagos_bench and Redis db 11 like the other benches
 * (BENCH_DATABASE_URL and BENCH_REDIS_URL choose others).
 */
import http from 'node:http';
import path from 'node:path';
import {
  BENCH_ENV, ROOT, benchLibFor, dropBenchDatabase, fmt, freePort, line, numberArg, parseArgs, percentile, printMachine, procfileNodeFlags,
  startChild, waitForHttp,
} from './lib/common';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(port: number, method: string, url: string, headers: Record<string, string>, body?: object): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const data = body ? Buffer.from(JSON.stringify(body)) : undefined;
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));

interface Phase { p50: number; p99: number; max: number; requests: number; sheets: number; sheetMs: number[] }

async function measure(root: string, label: string, seconds: number, connections: number): Promise<{ idle: Phase; busy: Phase }> {
  // A fresh database for each checkout, migrated and seeded by that checkout's own bench library.
  const lib = await benchLibFor(root);
  await dropBenchDatabase();
  const knex = await lib.prepareDatabase();
  const secrets = lib.benchSecrets();
  const router = { host: '127.0.0.1', port: 9, username: 'api', password: 'unused' };
  const portalEscenario = await lib.seedEscenario(knex, secrets, router, { products: 6, index: 0 });
  const printingEscenario = await lib.seedEscenario(knex, secrets, router, { products: 1, index: 1 });
  await knex.destroy();
  const port = await freePort();
  const web = startChild(`pdf-web-${label}`, path.relative(ROOT, path.join(root, 'src/server.ts')), { ...BENCH_ENV, PORT: String(port), ROUTER_ALLOWED_NETWORKS: '127.0.0.0/8' }, { nodeArgs: procfileNodeFlags('web') });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, web, 180_000);
    const root = json(await request(port, 'POST', '/api/v1/auth/login', {}, { email: BENCH_ENV.SUPER_ADMIN_INITIAL_EMAIL, password: BENCH_ENV.SUPER_ADMIN_INITIAL_PASSWORD }));
    const su = { Authorization: `Bearer ${root.access_token}` };
    const password = 'Bench-Admin-Pass-2231';
    const created = await request(port, 'POST', '/admin/usuarios', su, { email: 'printer@bench.test', password, nombre: 'Impresor', rol: 'cliente_admin', empresa_id: printingEscenario.empresaId });
    if (created.status !== 200 && created.status !== 201) throw new Error(`usuario: ${created.status} ${created.body}`);
    const admin = json(await request(port, 'POST', '/api/v1/auth/login', {}, { email: 'printer@bench.test', password }));
    const ca = { Authorization: `Bearer ${admin.access_token}` };
    const lote = await request(port, 'POST', '/api/v1/admin/fichas/lotes', ca, { producto_id: printingEscenario.productoIds[0], cantidad: 1000 });
    if (lote.status !== 201) throw new Error(`lote: ${lote.status} ${lote.body}`);
    const loteId = json(lote).id as string;
    const portal = { Authorization: `Bearer ${portalEscenario.apiKey}` };
    for (let i = 0; i < 200; i++) await request(port, 'GET', '/api/v1/catalogo_perfiles_venta', portal); // warm up

    const phase = async (printing: boolean): Promise<Phase> => {
      const latencies: number[] = [];
      const sheetMs: number[] = [];
      const until = Date.now() + seconds * 1000;
      const clients = Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          const t0 = process.hrtime.bigint();
          const r = await request(port, 'GET', '/api/v1/catalogo_perfiles_venta', portal);
          if (r.status !== 200) throw new Error(`catálogo: ${r.status}`);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      });
      const printer = (async () => {
        while (printing && Date.now() < until) {
          const t0 = Date.now();
          const r = await request(port, 'GET', `/api/v1/admin/fichas/lotes/${loteId}/pdf`, ca);
          if (r.status !== 200) throw new Error(`pdf: ${r.status} ${r.body.toString().slice(0, 200)}`);
          sheetMs.push(Date.now() - t0);
        }
      })();
      await Promise.all([...clients, printer]);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), requests: latencies.length, sheets: sheetMs.length, sheetMs };
    };
    const idle = await phase(false);
    const busy = await phase(true);
    return { idle, busy };
  } finally {
    await web.stop();
  }
}

async function main() {
  const args = parseArgs();
  const seconds = numberArg(args, 'seconds', 8);
  const connections = numberArg(args, 'connections', 4);
  printMachine('Portal catalog latency while a 1000-voucher PDF renders');
  const roots: Array<[string, string]> = [];
  const baseline = args.get('baseline-root');
  if (baseline) roots.push(['before', path.resolve(baseline)]);
  roots.push(['this code', ROOT]);
  const rows: string[] = [];
  for (const [label, root] of roots) {
    const { idle, busy } = await measure(root, label.replace(/\s+/g, '-'), seconds, connections);
    rows.push(`${label.padEnd(10)} | idle p50 ${fmt(idle.p50)} p99 ${fmt(idle.p99)} max ${fmt(idle.max)} ms (${idle.requests} req)`
      + ` | printing p50 ${fmt(busy.p50)} p99 ${fmt(busy.p99)} max ${fmt(busy.max)} ms (${busy.requests} req, ${busy.sheets} sheets, ${fmt(percentile(busy.sheetMs, 50), 0)} ms each)`);
  }
  line();
  for (const row of rows) console.log(row);
  agent.destroy();
}

main().catch((error) => { console.error(error); process.exit(1); });
