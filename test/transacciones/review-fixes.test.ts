import { expect } from 'chai';
import crypto from 'node:crypto';
import { createJobQueues } from '../../src/platform/jobs/queues';
import { createLogger } from '../../src/platform/logger';
import { createRedis } from '../../src/platform/redis';
import { createSignals } from '../../src/platform/signals';
import { loginAs, testConfig } from '../support/harness';
import { conektaBody, eventually, mercadoPagoBody, MP_WEBHOOK_SECRET, startStack, type Stack } from '../support/stack';

describe('money path edge cases (refund races, Redis trouble, webhooks across tenants, late answers)', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => { s = await startStack(); });
  after(async () => { await s.close(); });
  afterEach(() => s.clearFaults());

  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const byKey = (key: string) => s.t.container.knex('transacciones').where({ idempotency_key: key }).first();
  const pay = (body: object, key: string, path = 'pagar-conekta', apiKey = s.escenario.apiKey) =>
    s.t.request.post(`/api/v1/payments/${path}`).set('X-API-Key', apiKey).set('Idempotency-Key', key).send(body);

  it('a refund that lands while the user is being created ends with the user disabled on the router', async () => {
    await s.sim.faults.set({ replyDelayMs: 400 });
    const pending = pay(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'race-refund-0001').then((r) => r);
    const trx = await eventually(async () => {
      const r = await byKey('race-refund-0001');
      return r?.estado_hotspot === 'provisioning' ? r : undefined;
    }, 10_000, 'provisioning');
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const refund = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${trx.id}/reembolso`).set('Authorization', `Bearer ${token}`).send({});
    expect(refund.status).to.equal(200);
    await pending;
    await eventually(async () => (await row(trx.id)).estado_hotspot === 'disabled', 15_000, 'disabled');
    await s.sim.faults.clear();
    const users = s.sim.state.userList.filter((u) => u.comment === trx.id);
    expect(users.every((u) => u.disabled === 'true')).to.equal(true);
  });

  it('with Redis unreachable, enqueueing fails fast and waiting ends at its deadline instead of hanging', async () => {
    // Its bound (JOB_ENQUEUE_TIMEOUT_MS) shortened: that it gives up at all is what is tested, not when.
    const config = testConfig({ REDIS_URL: 'redis://127.0.0.1:1/0', JOB_ENQUEUE_TIMEOUT_MS: '300' });
    const jobs = createJobQueues(config, createLogger(config));
    try {
      // An error at all: enqueueing gave up instead of waiting for a Redis that will never come.
      const error = await jobs.enqueue('provision-user', { transaccionId: 'TRX_000000000001' }).then(() => null, (e: Error) => e);
      expect(error).to.be.instanceOf(Error);
      // The purchase's wait for its provisioning signal ends at its deadline too; publishing does not hang.
      const publisher = createRedis(config, { maxRetriesPerRequest: 1 });
      publisher.on('error', () => undefined);
      const signals = createSignals(config, createLogger(config), publisher);
      const listener = signals.listen('TRX_000000000001');
      expect(await listener.wait(300)).to.equal(false);
      await signals.publish('TRX_000000000001'); // settles (a hang would never): publishing does not wait for Redis
      listener.close();
      await signals.close();
      publisher.disconnect();
    } finally {
      await jobs.close();
    }
  });

  it("one tenant's signed webhook cannot shadow another tenant's event with the same id", async () => {
    const other = await s.addEscenario(s.sim);
    s.mp.faults.add({ method: 'POST', path: '/v1/payments', when: 'after', hang: true });
    const res = await pay(mercadoPagoBody(s.escenario.productoId, 'APRO'), 'shadow-webhook-01', 'pagar-mercado-pago');
    expect(res.status).to.equal(202);
    const paymentId = String(s.mp.state.paymentsFor(res.body.transaccion_id)[0].id);
    const deliver = (empresaId: string, secret: string) => {
      const requestId = crypto.randomUUID();
      const ts = Math.floor(Date.now() / 1000);
      return s.t.request.post(`/api/v1/webhook/mercado-pago/${empresaId}?data.id=${paymentId}&type=payment`)
        .set('x-signature', s.mp.sign(paymentId, requestId, ts, secret)).set('x-request-id', requestId)
        .send({ action: 'payment.updated', data: { id: paymentId }, id: 777000111, type: 'payment', live_mode: false });
    };
    // The other company (its own secret, its own URL) sends the id first: it cannot touch our row...
    const shadow = await deliver(other.empresaId, MP_WEBHOOK_SECRET);
    expect(shadow.status).to.equal(200);
    expect(shadow.body.resultado).to.equal('ignorado');
    // ...nor keep our real delivery from being processed.
    const real = await deliver(s.escenario.empresaId, MP_WEBHOOK_SECRET);
    expect(real.body.resultado).to.be.oneOf(['changed', 'unchanged']);
    await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 10_000, 'active');
  });

  it('a charge the gateway cannot answer about is never expired blind; one that does not exist is', async () => {
    s.mp.faults.add({ method: 'POST', path: '/v1/payments', when: 'before', status: 500, times: 1 });
    const res = await pay(mercadoPagoBody(s.escenario.productoId, 'APRO'), 'gateway-down-0001', 'pagar-mercado-pago');
    expect(res.body.estado_pago).to.equal('unknown');
    await s.stopWorker(); // drive confirmation by hand
    try {
      await s.t.container.knex('transacciones').where({ id: res.body.transaccion_id }).update({ confirmar_hasta: new Date(Date.now() - 1000) });
      s.mp.faults.add({ path: /^\/v1\/payments/, when: 'before', status: 503, times: 100 });
      const unavailable = await s.t.container.confirmations.confirm(res.body.transaccion_id, { finalAttempt: true }).then(() => 'resolved', (e: Error) => e.name);
      expect(unavailable).to.equal('RetryLaterError');
      expect((await row(res.body.transaccion_id)).estado_pago).to.equal('unknown');
      s.mp.faults.clear();
      // The gateway answers: no such payment (the 500 came before creating it).
      expect(await s.t.container.confirmations.confirm(res.body.transaccion_id, { finalAttempt: false })).to.equal('expired');
      expect((await row(res.body.transaccion_id)).estado_pago).to.equal('expired');
    } finally {
      await s.startWorker();
    }
  });

  it('an expired charge that surfaces later is re-checked by the reconciler and provisioned', async () => {
    const res = await pay(conektaBody(s.escenario.productoId, s.conekta.token('timeout')), 'late-charge-00001');
    expect(res.body.estado_pago).to.equal('unknown');
    await s.stopWorker();
    try {
      // Pretend we gave up on it a while ago (e.g. the order was past the look-up window then).
      await s.t.container.knex('transacciones').where({ id: res.body.transaccion_id })
        .update({ estado_pago: 'expired', pago_expirado_en: new Date(Date.now() - 3600_000), actualizado_en: new Date(Date.now() - 3600_000) });
      await s.t.container.jobs.queues.payments.obliterate({ force: true }); // its earlier confirmation job is gone
      const counts = await s.t.container.reconciler.run();
      expect(counts.confirm).to.be.at.least(1);
    } finally {
      await s.startWorker();
    }
    await eventually(async () => {
      const r = await row(res.body.transaccion_id);
      return r.estado_pago === 'paid' && r.estado_hotspot === 'active';
    }, 15_000, 'paid late and provisioned');
    expect(s.conekta.state.chargeCount(res.body.transaccion_id)).to.equal(1);
  });

  it('an amount that does not match is held for review and left alone by the reconciler', async () => {
    const res = await pay(conektaBody(s.escenario.productoId, s.conekta.token('timeout')), 'amount-mismatch-1');
    expect(res.body.estado_pago).to.equal('unknown');
    await s.stopWorker();
    try {
      await s.t.container.knex('transacciones').where({ id: res.body.transaccion_id }).update({ monto: '21.00' });
      expect(await s.t.container.confirmations.confirm(res.body.transaccion_id, { finalAttempt: false })).to.equal('mismatch');
      const held = await row(res.body.transaccion_id);
      expect(held.estado_pago).to.equal('unknown');
      expect(held.requiere_revision).to.include('monto');
      await s.t.container.knex('transacciones').where({ id: res.body.transaccion_id }).update({ actualizado_en: new Date(Date.now() - 3600_000) });
      await s.t.container.jobs.queues.payments.obliterate({ force: true });
      expect((await s.t.container.reconciler.run()).confirm).to.equal(0);
    } finally {
      await s.startWorker();
    }
  });

  it("a name taken on the router by someone else's user gets fresh credentials instead of failing", async () => {
    await s.sim.faults.set({ refuseConnections: true });
    const res = await pay(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'name-taken-00001');
    expect(res.body.estado_pago).to.equal('paid');
    const firstName = res.body.usuario_hotspot.usuario as string;
    s.sim.state.addUser({ name: firstName, password: 'x', profile: 'default', comment: 'creado a mano' });
    await s.sim.faults.clear();
    const final = await eventually(async () => {
      const r = await row(res.body.transaccion_id);
      return r.estado_hotspot === 'active' && r;
    }, 15_000, 'active with new credentials');
    expect(final.hotspot_usuario).not.to.equal(firstName);
    expect(s.sim.state.userList.filter((u) => u.comment === final.id)).to.have.length(1);
    const poll = await s.t.request.get(`/api/v1/payments/transacciones/${final.id}`).set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', 'name-taken-00001');
    expect(poll.body.usuario_hotspot.usuario).to.equal(final.hotspot_usuario);
  });

  it('invalid Mercado Pago fields are a 422, not a gateway error', async () => {
    const res = await pay(mercadoPagoBody(s.escenario.productoId, 'APRO', { issuer_id: 'abc' }), 'bad-issuer-00001', 'pagar-mercado-pago');
    expect(res.status).to.equal(422);
    expect(res.body.detail).to.include('issuer_id');
  });
});
