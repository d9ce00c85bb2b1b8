/**
 * Issue 21, item 2: voucher jobs must not delay paid sales. Vouchers have a
 * queue of their own, one company's vouchers hold only a fair share of the
 * voucher workers and of a router's slots, and a company has at most
 * FICHAS_MAX_PENDIENTES_POR_EMPRESA vouchers waiting for their router.
 * The bounds below are how long a test waits *up to*, not speed assertions; what
 * shows the order is that each is done while most of the big batch is still
 * waiting (behind it, the batch would be over first).
 */
import { expect } from 'chai';
import { startRouterOsSimulator, type RouterOsSimulator } from '../../sim/routeros';
import { createFichasFairShare } from '../../src/features/fichas';
import type { Leases } from '../../src/platform/jobs/leases';
import { loginAs, testConfig } from '../support/harness';
import { conektaBody, eventually, startStack, type Stack, type Escenario } from '../support/stack';

describe('fichas: a big voucher batch on a slow router does not delay sales nor other companies', function () {
  this.timeout(120_000);
  let s: Stack;
  let fastSim: RouterOsSimulator;
  let other: Escenario;
  let third: Escenario;
  let loteId: string;

  before(async () => {
    s = await startStack({
      env: {
        // The set-up: four workers for sales, a router answering just under the command timeout.
        WORKER_HOTSPOT_CONCURRENCY: '4',
        WORKER_FICHAS_CONCURRENCY: '4',
        WORKER_FICHAS_PER_EMPRESA: '2',
        WORKER_FICHAS_PER_ROUTER: '2',
        FICHAS_MAX_PENDIENTES_POR_EMPRESA: '300',
        PROVISIONING_WAIT_MS: '8000',
        // A busy machine must not turn a card sale ambiguous (the stack's 1.5 s is for its timeout tests).
        GATEWAY_TIMEOUT_MS: '10000',
        // Logging in to the slow router takes a couple of its 1.2 s answers.
        MIKROTIK_CONNECT_TIMEOUT_MS: '5000',
      },
    });
    fastSim = await startRouterOsSimulator({ port: 0, username: 'api', password: 'api-pass', profiles: [{ name: 'plan-1h', 'session-timeout': '1h', 'shared-users': '1' }] });
    other = await s.addEscenario(fastSim);
    third = await s.addEscenario(fastSim);
    // Tenant one's router: every answer takes 1.2 s against a 1.5 s command timeout.
    await s.sim.faults.set({ replyDelayMs: 1200 });
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const res = await s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${token}`)
      .send({ producto_id: s.escenario.productoId, cantidad: 200 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    loteId = res.body.id;
  });
  after(async () => {
    await s.clearFaults();
    await s.close();
    await fastSim.close();
  });

  const pay = (escenario: Escenario, key: string) => s.t.request.post('/api/v1/payments/pagar-conekta')
    .set('Authorization', `Bearer ${escenario.apiKey}`).set('Idempotency-Key', key)
    .send(conektaBody(escenario.productoId, s.conekta.token('visa_4242')));
  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const pendientes = async () => Number((await s.t.container.knex('fichas').where({ lote_id: loteId, estado: 'pendiente' }).count('* as n').first())!.n);

  it('vouchers go to their own queue, not the sales queue', async () => {
    const { hotspot, fichas } = s.t.container.jobs.queues;
    expect(await fichas.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')).to.be.greaterThan(100);
    expect(await hotspot.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')).to.equal(0);
  });

  it("another company's paid sale is provisioned within a few seconds while the batch is on the slow router", async () => {
    const res = await pay(other, 'otra-empresa-venta-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.estado_pago).to.equal('paid');
    await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 30_000, 'the other company\'s sale active');
    expect(fastSim.state.userList.filter((u) => u.comment === res.body.transaccion_id)).to.have.length(1);
    expect(await pendientes(), 'the batch is still being worked on').to.be.greaterThan(50);
  });

  it("a sale on the slow router itself goes ahead of the batch's voucher commands", async () => {
    const res = await pay(s.escenario, 'misma-empresa-venta-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    // A few router round trips of 1.2 s each; behind 200 vouchers it would be minutes.
    await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 30_000, 'the sale on the slow router active');
    expect(s.sim.state.userList.filter((u) => u.comment === res.body.transaccion_id)).to.have.length(1);
    expect(await pendientes(), 'the batch is still being worked on').to.be.greaterThan(50);
  });

  it("another company's small batch is not queued behind the big one (fair share of the voucher workers)", async () => {
    const token = await loginAs(s.t, third.admin.email, third.admin.password);
    const res = await s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${token}`)
      .send({ producto_id: third.productoId, cantidad: 10 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await eventually(async () => {
      const n = await s.t.container.knex('fichas').where({ lote_id: res.body.id, estado: 'disponible' }).count('* as n').first();
      return Number(n!.n) === 10;
    }, 45_000, 'the small batch on its router');
    expect(await pendientes(), 'the batch is still being worked on').to.be.greaterThan(50);
    // The big batch never had more than its share of the slow router at once.
    expect(s.worker!.container.mikrotik.stats().find((r) => r.routerId === s.escenario.routerId)!.inFlight).to.be.at.most(3);
  });

  it('outstanding vouchers per company are capped: a Spanish 422 limite_fichas', async () => {
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const res = await s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${token}`)
      .send({ producto_id: s.escenario.productoId, cantidad: 150 });
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body.code).to.equal('limite_fichas');
    expect(res.body.detail).to.match(/fichas pendientes/).and.match(/máximo es 300/);
    // Another company is not counted against this one.
    const otherToken = await loginAs(s.t, other.admin.email, other.admin.password);
    const ok = await s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${otherToken}`)
      .send({ producto_id: other.productoId, cantidad: 150 });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
  });
});

describe('fichas fair share: how long a voucher turned away waits', () => {
  it('a quarter second, doubling each time it is turned away up to half a minute, jittered ±50 %', () => {
    const unused = {} as Leases;
    const share = createFichasFairShare({ config: testConfig(), leases: unused, store: { owner: async () => null } });
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 6].map((n) => share.busyDelayMs(n, middle))).to.deep.equal([250, 500, 1000, 2000, 4000, 16_000]);
    expect(share.busyDelayMs(50, middle)).to.equal(30_000);
    expect(share.busyDelayMs(50, () => 0.999)).to.be.below(45_000).and.above(44_000);
    expect(share.busyDelayMs(0, () => 0)).to.equal(125);
  });
});
