import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { conektaBody, startStack, type Stack } from '../support/stack';
import { setPasarela } from '../support/fixtures';
import { countQueries } from '../support/query-count';
import { countRedisCommands } from '../support/redis-count';
import { TEST_REDIS_URL } from '../support/env';

/**
 * What one card purchase costs PostgreSQL (issue 26): counted on the web's and
 * the worker's own knex, so a change that adds a round trip to the happy path
 * fails here. API mode, Telegram notices off (the default), every guarantee on.
 *
 * Web: the pending row with its `creada` event (one statement, which also finds
 * an earlier copy), the claim, the `paid` transition (its row answers, with
 * what the worker's signal says its activation changed: no read after the
 * signal). Worker: the `provisioning` transition (its row is what the job
 * needs), the `active` transition.
 */
describe('a card purchase costs at most five PostgreSQL statements (issue 26)', function () {
  this.timeout(30_000);
  let s: Stack;
  before(async () => { s = await startStack(); });
  after(async () => { await s.close(); });

  let n = 0;
  const buy = () => s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${s.escenario.apiKey}`)
    .set('Idempotency-Key', `cost-${++n}-0000000`).send(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')));

  async function counted() {
    const count = countQueries({ web: s.t.container.knex, worker: s.worker!.container.knex });
    const redis = await countRedisCommands(TEST_REDIS_URL, s.t.container.config.redis.keyPrefix);
    try {
      const res = await buy();
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      // The request waits for the worker's signal, sent after its last statement.
      expect(res.body).to.include({ estado_pago: 'paid', estado_hotspot: 'active' });
      return { id: res.body.transaccion_id as string, statements: count.statements(), redis: await redis.stop() };
    } finally {
      count.stop();
    }
  }

  it('with product, company and router already read in this auth generation: 3 in the web, 2 in the worker, every event written', async () => {
    await counted(); // fills the per-process caches, and opens the worker's watch of the auth generation
    await counted(); // the watch is live now: the generation read in this purchase is kept
    const { id, statements, redis } = await counted();
    const detail = JSON.stringify({ statements, redis }, null, 1);
    expect(statements.web, detail).to.have.length(3);
    expect(statements.worker, detail).to.have.length(2);
    // Redis, counted by the server (scripts' calls included), BullMQ's job left out (bench/RESULTS.md counts it):
    // the portal gate's script (4: itself, the generation, the key's window, its usage count; not the key's last
    // use, raised by the first purchase less than LAST_USE_RESOLUTION_MS ago), the card-testing script (3: itself,
    // the router's declines checked, its payments window counted; this body names no device), the worker's
    // PUBLISH. No SUBSCRIBE/UNSUBSCRIBE of the request's own signal (one pattern subscription per process), no
    // HGET + HSET of the key's last use.
    expect(redis.app.total, detail).to.be.at.most(8);
    expect(redis.app.byCommand, detail).to.include({ publish: 1 }).and.not.to.have.any.keys('subscribe', 'unsubscribe', 'psubscribe', 'hget', 'hset', 'zadd');
    // Two scripts and the PUBLISH: the worker asks no GET of the auth generation (it watches its change channel).
    expect(redis.app.sent, detail).to.deep.equal({ evalsha: 2, publish: 1 });
    expect(statements.web.filter((sql) => /^begin|^commit/i.test(sql)), detail).to.deep.equal([]);
    // Fewer statements, the same history: one event per transition, and the creation.
    const events = await s.t.container.knex('transaccion_eventos').where({ transaccion_id: id }).orderBy('id').pluck('tipo');
    expect(events).to.deep.equal(['creada', 'pago_aprobado', 'aprovisionando', 'usuario_activo']);
    expect(s.sim.state.userList.filter((u) => u.comment === id)).to.have.length(1);
  });

  it('after an admin write (a new auth generation) the key, product, company and router are read again: 4 more in the web, 1 in the worker', async () => {
    await s.t.container.authGeneration.bump();
    const { statements } = await counted();
    const detail = JSON.stringify(statements, null, 1);
    expect(statements.web, detail).to.have.length(7);
    expect(statements.worker, detail).to.have.length(3);
  });
});

describe('a cash reference paid by its webhook: PostgreSQL statements (issue 26)', function () {
  this.timeout(30_000);
  let s: Stack;
  let server: http.Server;
  let appUrl: string;
  before(async () => {
    // The reference's confirmation job (it asks the gateway until the reference is paid or expires) waits a
    // minute here, so that only the issuing and the webhook's path are counted.
    s = await startStack({ env: { JOB_BACKOFF_BASE_MS: '60000', JOB_BACKOFF_CAP_MS: '60000' } });
    server = http.createServer(s.t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const key = s.conekta.createWebhookKey();
    await setPasarela(s.t.container.knex, s.escenario.empresaId, 'conekta', { webhook_llave: key.public_key });
    await s.t.container.authGeneration.bump(); // an edit by SQL: as an admin write would
  });
  after(async () => {
    server.close();
    await s.close();
  });

  let n = 0;
  async function referenceAndPayment() {
    const key = `cash-cost-${++n}-00000`;
    const count = countQueries({ web: s.t.container.knex, worker: s.worker!.container.knex });
    let issued: Record<string, string[]>;
    let id: string;
    try {
      const res = await s.t.request.post('/api/v1/payments/pagar-efectivo').set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', key)
        .send({ producto_id: s.escenario.productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'conekta' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      id = res.body.transaccion_id as string;
      issued = count.statements();
    } finally {
      count.stop();
    }
    // The worker's signal comes after its last statement; listened for before the payment.
    const listener = s.t.container.signals.listen(id);
    await listener.ready();
    const paying = countQueries({ web: s.t.container.knex, worker: s.worker!.container.knex });
    try {
      const reference = (await s.t.container.knex('transacciones').where({ id }).first()).referencia_pago as string;
      paying.stop();
      const counted = countQueries({ web: s.t.container.knex, worker: s.worker!.container.knex });
      try {
        const paid = await fetch(`${s.conekta.url}/sandbox/cash/pay`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reference, webhook_url: `${appUrl}/api/v1/webhook/conekta/${s.escenario.empresaId}` }),
        });
        expect(((await paid.json()) as { webhook: { status: number } }).webhook.status).to.equal(200);
        expect(await listener.wait(10_000), 'provisioning signal').to.equal(true);
        return { id, issued, paid: counted.statements() };
      } finally {
        counted.stop();
      }
    } finally {
      listener.close();
    }
  }

  it('the reference: 4 in the web (what is for sale comes from the card purchase\'s cache); its webhook to the user on the router: 5 in the web and 2 in the worker, with every event', async () => {
    await referenceAndPayment(); // fills the per-process caches
    const { id, issued, paid } = await referenceAndPayment();
    const detail = JSON.stringify({ issued, paid }, null, 1);
    // Issuing: earlier copy, open references of the device, the row with its event, the reference with its event (and the row it answers).
    expect(issued.web, detail).to.have.length(4);
    expect(issued.worker, detail).to.deep.equal([]);
    // Paid: the company (webhook key), the delivery's record, the sale, the paid transition, the delivery's result; the worker's two transitions.
    expect(paid.web, detail).to.have.length(5);
    expect(paid.worker, detail).to.have.length(2);
    const events = await s.t.container.knex('transaccion_eventos').where({ transaccion_id: id }).orderBy('id').pluck('tipo');
    expect(events).to.include.members(['creada', 'referencia_emitida', 'pago_aprobado', 'aprovisionando', 'usuario_activo']);
    expect(s.sim.state.userList.filter((u) => u.comment === id)).to.have.length(1);
  });
});
