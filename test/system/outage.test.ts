/**
 * Issue 17: PostgreSQL and then Redis are cut under the running stack (web,
 * worker, RouterOS simulator, gateway sandboxes) while purchases are in flight.
 * Each store sits behind a TCP proxy (test/support/tcp-proxy.ts) that the test
 * closes, destroying every open connection, and reopens on the same port.
 *
 * Clients behave like the captive portal (portal/src/card.ts payWithRetries):
 * one Idempotency-Key per purchase, retried on a 503 or on no answer with
 * exponential backoff (here 250 ms doubling to a 2 s cap, at least Retry-After),
 * then they poll the transaction's status until it is settled.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import crypto from 'node:crypto';
import { expect } from 'chai';
import pino from 'pino';
import { TEST_ENV, TEST_REDIS_URL } from '../support/env';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const DETAIL = 'El servicio no está disponible por un momento; intenta de nuevo';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Phase = 'before' | 'postgres-cut' | 'between' | 'redis-cut' | 'after';

interface Exchange {
  /** What made it: a customer's purchase (pay or poll) or the prober. */
  kind: 'purchase' | 'probe';
  phase: Phase;
  start: number;
  end?: number;
  status: number | 'no-answer';
  ms?: number;
  retryAfter?: string;
  detail?: unknown;
  code?: unknown;
}

function proxied(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = proxy.host;
  u.port = String(proxy.port);
  return u.toString();
}

describe('riding out a PostgreSQL and a Redis outage (issue 17)', function () {
  this.timeout(180_000);

  let pg: TcpProxy;
  let redis: TcpProxy;
  let s: Stack;
  let server: http.Server;
  let base: string;
  const logs: Array<Record<string, unknown>> = [];
  let phase: Phase = 'before';
  const exchanges: Exchange[] = [];

  before(async () => {
    const db = new URL(TEST_ENV.DATABASE_URL!);
    const rd = new URL(TEST_REDIS_URL);
    pg = await startTcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    redis = await startTcpProxy({ host: rd.hostname, port: Number(rd.port || 6379) });
    // The web container's log lines, to check how the outage was logged.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'warn', base: { process: 'web' } }, sink);
    s = await startStack({
      schedules: true,
      logger,
      env: {
        DATABASE_URL: proxied(TEST_ENV.DATABASE_URL!, pg),
        REDIS_URL: proxied(TEST_REDIS_URL, redis),
        DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
        REDIS_COMMAND_TIMEOUT_MS: '1000',
        RATE_LIMIT_PAYMENTS_ROUTER_POINTS: '100000',
        JOB_RECONCILE_EVERY_MS: '1000',
        JOB_STALE_AFTER_MS: '3000',
      },
    });
    server = http.createServer(s.t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  after(async function () {
    this.timeout(30_000);
    await pg?.restore();
    await redis?.restore();
    await new Promise((resolve) => server?.close(resolve));
    await s?.close();
    await pg?.close();
    await redis?.close();
  });

  /** One HTTP exchange as the portal makes it: no answer (refused, reset, timed out) is an outcome too. */
  async function call(method: 'GET' | 'POST', path: string, body?: object, key?: string, kind: Exchange['kind'] = 'purchase'): Promise<{ status: number | 'no-answer'; body: Record<string, unknown>; retryAfter: number }> {
    const headers: Record<string, string> = { 'X-API-Key': s.escenario.apiKey, Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const started = Date.now();
    const exchange: Exchange = { kind, phase, start: started, status: 'no-answer' };
    exchanges.push(exchange);
    try {
      const res = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(15_000) });
      const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      exchange.status = res.status;
      exchange.end = Date.now();
      exchange.ms = exchange.end - started;
      if (res.status >= 500) {
        exchange.retryAfter = res.headers.get('retry-after') ?? undefined;
        exchange.detail = parsed.detail;
        exchange.code = parsed.code;
      }
      return { status: res.status, body: parsed, retryAfter: Number(res.headers.get('retry-after') ?? 0) };
    } catch {
      exchange.end = Date.now();
      return { status: 'no-answer', body: {}, retryAfter: 0 };
    }
  }

  /** The portal's policy: retry a 503 or no answer (and, as its manual retry does, any 5xx), same request, backoff, total limit. */
  async function withRetries(send: () => ReturnType<typeof call>): Promise<Awaited<ReturnType<typeof call>>> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const res = await send();
      const retryable = res.status === 'no-answer' || res.status >= 500;
      if (!retryable || Date.now() - started > 60_000) return res;
      await sleep(Math.max(Math.min(250 * 2 ** attempt, 2000), res.retryAfter * 1000));
    }
  }

  /** A customer's purchase: pay (retried with the same key), then poll until the payment is settled. */
  async function purchase(i: number): Promise<{ key: string; estado_pago: string; transaccion_id?: string; status: number | 'no-answer' }> {
    const key = `outage-${i}-${crypto.randomUUID()}`;
    const body = conektaBody(s.escenario.productoId, `tok_test_visa_4242_${crypto.randomBytes(6).toString('hex')}`);
    const paid = await withRetries(() => call('POST', '/api/v1/payments/pagar-conekta', body, key));
    if (paid.status !== 200 && paid.status !== 202) return { key, estado_pago: 'failed', status: paid.status };
    let estado = String(paid.body.estado_pago);
    const id = String(paid.body.transaccion_id);
    const deadline = Date.now() + 60_000;
    while (['pending', 'unknown'].includes(estado) && Date.now() < deadline) {
      await sleep(500);
      const polled = await withRetries(() => call('GET', `/api/v1/payments/transacciones/${id}`));
      if (polled.status === 200) estado = String(polled.body.estado_pago);
    }
    return { key, estado_pago: estado, transaccion_id: id, status: paid.status };
  }

  async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('answers 503 with Retry-After while a store is cut, never 500; every purchase is settled once, users on the router equal paid orders', async () => {
    const CLIENTS = 4;
    let launching = true;
    let next = 0;
    const outcomes: Array<Awaited<ReturnType<typeof purchase>>> = [];
    const customers = Array.from({ length: CLIENTS }, async () => {
      while (launching) {
        outcomes.push(await purchase(next++));
        await sleep(100);
      }
    });

    // The prober: every 250 ms, a portal status poll of a paid transaction (it always reads PostgreSQL).
    const known = await purchase(-1);
    outcomes.push(known);
    let probing = true;
    const prober = (async () => {
      while (probing) {
        await call('GET', `/api/v1/payments/transacciones/${known.transaccion_id}`, undefined, undefined, 'probe');
        await sleep(250);
      }
    })();

    await sleep(1500);
    const pgCut = { from: Date.now(), to: 0 };
    phase = 'postgres-cut';
    await pg.cut();
    await sleep(1500);
    const pgHealth = await health();
    await sleep(3000);
    pgCut.to = Date.now();
    await pg.restore();
    phase = 'between';
    await sleep(3000);
    const redisCut = { from: Date.now(), to: 0 };
    phase = 'redis-cut';
    await redis.cut();
    await sleep(1500);
    const redisHealth = await health();
    await sleep(3500);
    redisCut.to = Date.now();
    await redis.restore();
    phase = 'after';
    await sleep(1500);
    launching = false;
    probing = false;
    await Promise.all([...customers, prober]);
    /** Made and answered while the store was cut. */
    const within = (e: Exchange, cut: { from: number; to: number }) => e.start >= cut.from && e.end !== undefined && e.end <= cut.to;
    /** In flight at some moment of the cut. */
    const overlaps = (e: Exchange, cut: { from: number; to: number }) => e.start < cut.to && (e.end ?? Infinity) > cut.from;

    // /health named the store that was down, in the original's words.
    expect(pgHealth.status).to.equal(503);
    expect(pgHealth.body).to.include({ status: 'unhealthy', code: 'service_unavailable' });
    expect(pgHealth.body.checks).to.deep.equal({ postgres: 'error', redis: 'ok' });
    expect(redisHealth.status).to.equal(503);
    expect(redisHealth.body).to.include({ status: 'unhealthy' });
    expect(redisHealth.body.checks).to.deep.equal({ postgres: 'ok', redis: 'error' });
    const healthy = await eventually(async () => { const h = await health(); return h.status === 200 ? h : null; }, 10_000, 'healthy again');
    expect(healthy.body).to.deep.equal({ status: 'healthy', estado: 'ok', checks: { postgres: 'ok', redis: 'ok' } });

    // No 500; every 503 is the outage answer with Retry-After; 503s happened while PostgreSQL was cut.
    const count = (predicate: (e: Exchange) => boolean) => exchanges.filter(predicate).length;
    const serverErrors = exchanges.filter((e) => typeof e.status === 'number' && e.status >= 500 && e.status !== 503);
    const unhandled = logs.filter((l) => l.msg === 'unhandled error').map((l) => (l.err as { message?: string } | undefined)?.message);
    expect(serverErrors, JSON.stringify({ serverErrors: serverErrors.slice(0, 3), unhandled: unhandled.slice(0, 3) })).to.deep.equal([]);
    const unavailable = exchanges.filter((e) => e.status === 503);
    for (const e of unavailable) expect(e).to.deep.include({ retryAfter: '2', detail: DETAIL, code: 'service_unavailable' });
    // While PostgreSQL was cut, every poll made was answered, a 503 (the pool waits DATABASE_ACQUIRE_TIMEOUT_MS, 1 s here, at most;
    // a poll left hanging would be 'no-answer').
    const probesPgCut = exchanges.filter((e) => e.kind === 'probe' && within(e, pgCut));
    expect(probesPgCut.length).to.be.greaterThan(5);
    expect(probesPgCut.map((e) => e.status)).to.deep.equal(probesPgCut.map(() => 503));
    // Purchases were in flight during both cuts, and some of them met the 503.
    const purchasesPgCut = exchanges.filter((e) => e.kind === 'purchase' && overlaps(e, pgCut));
    const purchasesRedisCut = exchanges.filter((e) => e.kind === 'purchase' && overlaps(e, redisCut));
    expect(purchasesPgCut.length).to.be.greaterThan(0);
    expect(purchasesRedisCut.length).to.be.greaterThan(0);
    expect(purchasesPgCut.filter((e) => e.status === 503).length).to.be.greaterThan(0);

    // Where Redis is only an optimisation, requests kept being served while it was cut.
    const probesRedisCut = exchanges.filter((e) => e.kind === 'probe' && within(e, redisCut));
    expect(probesRedisCut.length).to.be.greaterThan(0);
    expect(probesRedisCut.map((e) => e.status)).to.deep.equal(probesRedisCut.map(() => 200));
    const startedRedisCut = exchanges.filter((e) => e.kind === 'purchase' && e.phase === 'redis-cut');
    expect(startedRedisCut.filter((e) => e.status !== 200 && e.status !== 202), 'purchases during the Redis cut').to.deep.equal([]);

    // Every purchase was settled after the retries: paid, or, rarely (a claim recorded whose charge never
    // reached the gateway before the database went away), expired with no money taken at the gateway.
    const notPaid = outcomes.filter((o) => o.estado_pago !== 'paid');
    for (const o of notPaid) {
      expect(o.estado_pago, JSON.stringify(o)).to.equal('expired');
      expect(s.conekta.state.chargeCount(o.transaccion_id!), `${o.transaccion_id} expired but was charged`).to.equal(0);
    }
    expect(notPaid.length, JSON.stringify(notPaid)).to.be.at.most(Math.floor(outcomes.length / 20));
    const ids = outcomes.map((o) => o.transaccion_id!);
    expect(new Set(ids).size).to.equal(outcomes.length);

    // The worker kept its jobs and reconnected: each paid order gets its user, exactly one, on the router.
    const knex = s.t.container.knex;
    await eventually(async () => {
      const waiting = await knex('transacciones').where('estado_pago', 'paid').whereNot('estado_hotspot', 'active').count<{ count: string }[]>('* as count');
      return Number(waiting[0]!.count) === 0;
    }, 40_000, 'every paid order provisioned');
    const paidRows = await knex('transacciones').where('estado_pago', 'paid').select('id');
    const allRows = await knex('transacciones').select('id', 'estado_pago');
    expect(allRows.length, 'one row per purchase').to.equal(outcomes.length);
    expect(paidRows.length).to.equal(outcomes.length - notPaid.length);
    const ours = s.sim.state.userList.filter((u) => paidRows.some((r) => r.id === u.comment));
    expect(ours.length, 'users on the router = paid orders').to.equal(paidRows.length);
    for (const row of paidRows) expect(s.sim.state.userList.filter((u) => u.comment === row.id), row.id).to.have.length(1);

    // Nobody was charged twice: one Conekta order per transaction, as many orders as paid purchases.
    for (const row of paidRows) expect(s.conekta.state.chargeCount(row.id), row.id).to.equal(1);
    expect(s.conekta.state.orders.size).to.equal(paidRows.length);

    // Logged as warnings naming the store, never as unhandled errors.
    expect(logs.filter((l) => l.msg === 'unhandled error')).to.deep.equal([]);
    expect(logs.some((l) => l.level === 40 && l.store === 'postgres')).to.equal(true);

    // The report (issue 17's closing note).
    const purchaseExchanges = exchanges.filter((e) => e.kind === 'purchase');
    const report = {
      purchases: outcomes.length,
      purchaseRequests: purchaseExchanges.length,
      purchase503: purchaseExchanges.filter((e) => e.status === 503).length,
      purchaseRequestsInFlightDuringPgCut: purchasesPgCut.length,
      purchaseRequestsInFlightDuringRedisCut: purchasesRedisCut.length,
      probes: exchanges.filter((e) => e.kind === 'probe').length,
      probe503DuringPgCut: probesPgCut.length,
      probe200DuringRedisCut: probesRedisCut.length,
      status500: count((e) => e.status === 500),
      noAnswer: count((e) => e.status === 'no-answer'),
      paid: paidRows.length,
      usersOnRouter: ours.length,
      conektaOrders: s.conekta.state.orders.size,
      slowest503Ms: Math.max(...unavailable.map((e) => e.ms ?? 0)),
      slowestPurchaseRequestDuringRedisCutMs: Math.max(0, ...purchasesRedisCut.map((e) => e.ms ?? 0)),
    };
    console.log(`      outage: ${JSON.stringify(report)}`);
  });

  it('after both outages a purchase is provisioned at once: web and worker reconnected by themselves', async () => {
    const key = `after-outage-${crypto.randomUUID()}`;
    const res = await call('POST', '/api/v1/payments/pagar-conekta', conektaBody(s.escenario.productoId, `tok_test_visa_4242_${crypto.randomBytes(6).toString('hex')}`), key);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ estado_pago: 'paid', estado_hotspot: 'active' });
    expect(s.sim.state.userList.filter((u) => u.comment === res.body.transaccion_id)).to.have.length(1);
  });
});
