/**
 * Issue 21, item 11: a Redis that comes back empty loses no sale. Under a
 * running stack (web and worker in this process, the RouterOS simulator, the
 * gateway sandboxes), paid sales wait for an unreachable router; then every
 * key of this stack is deleted (what an empty Redis looks like to it: the
 * shared test Redis may not be flushed) and the router comes back. Nothing is
 * restarted: the worker puts its schedules back, the reconciler finds the
 * paid rows in PostgreSQL, and every user is created on the router.
 */
import { expect } from 'chai';
import { TEST_REDIS_URL } from '../support/env';
import { currentScope, deleteRedisKeys } from '../support/scope';
import { conektaBody, eventually, mercadoPagoBody, startStack, type Stack } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

describe('Redis that comes back empty: every charged sale still gets its user', function () {
  this.timeout(90_000);
  let s: Stack;
  before(async () => {
    s = await startStack({
      schedules: true,
      env: {
        JOB_RECONCILE_EVERY_MS: '1000',
        JOB_SCHEDULES_CHECK_EVERY_MS: '500',
        PROVISIONING_WAIT_MS: '300',
        // A busy machine must not turn a card sale ambiguous (the stack's 1.5 s is for its timeout tests).
        GATEWAY_TIMEOUT_MS: '10000',
      },
    });
  });
  after(async () => {
    await s.clearFaults();
    await s.close();
  });

  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();

  it('paid sales in flight when Redis is emptied are all on the router within a couple of reconcile intervals', async () => {
    const maintenance = s.t.container.jobs.queues.maintenance;
    expect(await maintenance.getJobScheduler('reconcile')).to.not.equal(undefined);
    // The router is unreachable: the sales are charged, their provisioning jobs retry.
    await s.sim.faults.set({ refuseConnections: true });
    const sales = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => s.t.request.post('/api/v1/payments/pagar-conekta').set('X-API-Key', s.escenario.apiKey)
        .set('Idempotency-Key', `redis-vacio-conekta-${i}`).send(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')))),
      ...Array.from({ length: 4 }, (_, i) => s.t.request.post('/api/v1/payments/pagar-mercado-pago').set('X-API-Key', s.escenario.apiKey)
        .set('Idempotency-Key', `redis-vacio-mp-${i}`).send(mercadoPagoBody(s.escenario.productoId, 'APRO'))),
    ]);
    const ids: string[] = [];
    for (const res of sales) {
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.estado_pago).to.equal('paid');
      expect(res.body.estado_hotspot).to.not.equal('active');
      ids.push(res.body.transaccion_id);
    }
    expect(await s.t.container.jobs.queues.hotspot.getJob(`provision-user-${ids[0]}`)).to.not.equal(undefined);

    // Redis loses everything: jobs, schedules, counters. (Deleting key by key is not atomic the way a
    // restart is: a job running in between can write itself or its schedule back, so delete until they are gone.)
    const provisionJobsLeft = async () => (await Promise.all(ids.map((id) => s.t.container.jobs.queues.hotspot.getJob(`provision-user-${id}`)))).filter(Boolean).length;
    let gone = false;
    for (let i = 0; i < 20 && !gone; i++) {
      await deleteRedisKeys(currentScope().redisPrefix);
      gone = !(await maintenance.getJobScheduler('reconcile')) && (await provisionJobsLeft()) === 0;
    }
    expect(gone, 'the jobs and schedules deleted').to.equal(true);
    await s.sim.faults.clear();

    // The schedules come back by themselves, and the reconciler finds the paid rows in PostgreSQL.
    await eventually(async () => maintenance.getJobScheduler('reconcile'), 5_000, 'the reconcile schedule back in Redis');
    await eventually(async () => {
      for (const id of ids) if ((await row(id)).estado_hotspot !== 'active') return false;
      return true;
    }, 20_000, 'every paid sale active');
    for (const id of ids) {
      expect(s.sim.state.userList.filter((u) => u.comment === id), id).to.have.length(1);
      expect((await row(id)).estado_pago).to.equal('paid');
    }
    // Charged once each: nothing in the recovery charged again.
    for (const id of ids.slice(0, 4)) expect(s.conekta.state.chargeCount(id)).to.equal(1);
    for (const id of ids.slice(4)) expect(s.mp.state.paymentsFor(id)).to.have.length(1);
  });
});

describe('Redis that restarts empty: the schedules come back as soon as it does', function () {
  this.timeout(90_000);
  let s: Stack;
  let proxy: TcpProxy;
  before(async () => {
    const rd = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy({ host: rd.hostname, port: Number(rd.port || 6379) });
    const url = new URL(TEST_REDIS_URL);
    url.hostname = proxy.host;
    url.port = String(proxy.port);
    s = await startStack({
      schedules: true,
      env: {
        REDIS_URL: url.toString(),
        JOB_RECONCILE_EVERY_MS: '1000',
        // Only the reconnect can bring them back within this test: the periodic check is an hour away.
        JOB_SCHEDULES_CHECK_EVERY_MS: '3600000',
        PROVISIONING_WAIT_MS: '300',
        GATEWAY_TIMEOUT_MS: '10000',
      },
    });
  });
  after(async () => {
    await proxy?.restore();
    await s?.clearFaults();
    await s?.close();
    await proxy?.close();
  });

  it('stopped, restarted without its data: the worker puts its schedules back on reconnect and the paid sale gets its user', async () => {
    await s.sim.faults.set({ refuseConnections: true });
    const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('X-API-Key', s.escenario.apiKey)
      .set('Idempotency-Key', 'redis-reinicio-0001').send(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.estado_pago).to.equal('paid');
    const id = res.body.transaccion_id as string;

    // Redis goes away; while it is down its data is lost (deleted behind the proxy); then it is back, empty.
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 500));
    await deleteRedisKeys(currentScope().redisPrefix);
    await proxy.restore();
    await s.sim.faults.clear();

    const maintenance = s.t.container.jobs.queues.maintenance;
    await eventually(async () => maintenance.getJobScheduler('reconcile'), 10_000, 'the reconcile schedule back after the reconnect');
    await eventually(async () => (await s.t.container.knex('transacciones').where({ id }).first()).estado_hotspot === 'active', 20_000, 'the paid sale active');
    expect(s.sim.state.userList.filter((u) => u.comment === id)).to.have.length(1);
    expect(s.conekta.state.chargeCount(id)).to.equal(1);
  });
});
