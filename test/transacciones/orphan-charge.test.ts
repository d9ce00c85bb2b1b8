/**
 * A purchase whose first request lost PostgreSQL between writing its row and
 * claiming the charge (issue 17): the client got a 503 and retries with the
 * same Idempotency-Key. Nothing was ever sent to the gateway, so the retry
 * claims the charge and charges, exactly once. A row whose charge was claimed
 * is never charged by a copy: that one is the confirmation job's.
 *
 * The fault (the database answering with a dropped connection) is injected
 * with sinon on the store's claim; everything else is the real stack.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';

const DETAIL = 'El servicio no está disponible por un momento; intenta de nuevo';
/** What pg raises when the connection dies under a statement (knex puts the SQL in front). */
const dropped = () => new Error('update "transacciones" set "cobro_iniciado_en" = now() - Connection terminated unexpectedly');

describe('a purchase whose first request never reached the gateway is charged by its retry, once', function () {
  this.timeout(40_000);
  let s: Stack;
  before(async () => { s = await startStack(); });
  after(async () => { await s.close(); });
  afterEach(() => { sinon.restore(); return s.clearFaults(); });

  const pay = (body: object, key: string) =>
    s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${s.escenario.apiKey}`).set('Idempotency-Key', key).send(body);
  const byKey = (key: string) => s.t.container.knex('transacciones').where({ idempotency_key: key }).first();

  it('the database drops right after the insert: 503, no charge; the retry with the same key charges once and gets the credentials', async () => {
    const claim = sinon.stub(s.t.container.transacciones, 'claimCharge').callThrough();
    claim.onFirstCall().rejects(dropped());
    const body = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));

    const first = await pay(body, 'orphan-retry-0001');
    expect(first.status).to.equal(503);
    expect(first.headers['retry-after']).to.equal('2');
    expect(first.body.detail).to.equal(DETAIL);
    const orphan = await byKey('orphan-retry-0001');
    expect(orphan).to.include({ estado_pago: 'pending', cobro_iniciado_en: null, gateway_id: null });
    expect(s.conekta.state.chargeCount(orphan.id)).to.equal(0);

    const retry = await pay(body, 'orphan-retry-0001');
    expect(retry.status, JSON.stringify(retry.body)).to.equal(200);
    expect(retry.body).to.include({ transaccion_id: orphan.id, estado_pago: 'paid', estado_hotspot: 'active' });
    expect(s.conekta.state.chargeCount(orphan.id)).to.equal(1);
    expect(s.sim.state.userList.filter((u) => u.comment === orphan.id)).to.have.length(1);
    expect((await byKey('orphan-retry-0001')).cobro_iniciado_en).to.be.instanceOf(Date);

    const again = await pay(body, 'orphan-retry-0001');
    expect(again.body).to.deep.equal(retry.body);
    expect(s.conekta.state.chargeCount(orphan.id)).to.equal(1);
  });

  it('five retries of an orphaned request at once: one claims and charges, all five get the same answer', async () => {
    const claim = sinon.stub(s.t.container.transacciones, 'claimCharge').callThrough();
    claim.onFirstCall().rejects(dropped());
    const body = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));
    expect((await pay(body, 'orphan-five-0001')).status).to.equal(503);
    const retries = await Promise.all(Array.from({ length: 5 }, () => pay(body, 'orphan-five-0001')));
    expect(retries.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    for (const r of retries) expect(r.body).to.deep.equal(retries[0]!.body);
    const id = retries[0]!.body.transaccion_id as string;
    expect(s.conekta.state.chargeCount(id)).to.equal(1);
    expect(s.sim.state.userList.filter((u) => u.comment === id)).to.have.length(1);
  });

  it('the charge went through but the database was lost while recording it: the retry has the gateway asked and answers paid, without charging again', async () => {
    const transition = sinon.stub(s.t.container.transacciones, 'transition').callThrough();
    transition.withArgs(sinon.match.string, sinon.match({ event: 'pago_aprobado' })).onFirstCall().rejects(dropped());
    const body = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));
    expect((await pay(body, 'orphan-recorded-0001')).status).to.equal(503);
    const row = await byKey('orphan-recorded-0001');
    expect(row).to.include({ estado_pago: 'pending', gateway_id: null });
    expect(s.conekta.state.chargeCount(row.id)).to.equal(1);

    const retry = await pay(body, 'orphan-recorded-0001');
    expect(retry.status, JSON.stringify(retry.body)).to.equal(200);
    expect(retry.body).to.include({ transaccion_id: row.id, estado_pago: 'paid' });
    expect(s.conekta.state.chargeCount(row.id)).to.equal(1);
    await eventually(async () => s.sim.state.userList.filter((u) => u.comment === row.id).length === 1, 10_000, 'user on the router');
  });

  it('a claim that was written but whose answer was lost is never charged by a copy: the retry answers pending and the confirmation job decides', async () => {
    const claim = sinon.stub(s.t.container.transacciones, 'claimCharge').callThrough();
    claim.onFirstCall().callsFake(async function (this: unknown, id: string) {
      await claim.wrappedMethod.call(this, id);
      throw dropped();
    });
    const body = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));
    expect((await pay(body, 'orphan-claimed-0001')).status).to.equal(503);
    const row = await byKey('orphan-claimed-0001');
    expect(row.cobro_iniciado_en).to.be.instanceOf(Date);

    const retry = await pay(body, 'orphan-claimed-0001');
    expect(retry.status).to.equal(202);
    expect(retry.body).to.include({ transaccion_id: row.id, estado_pago: 'pending' });
    expect(s.conekta.state.chargeCount(row.id)).to.equal(0);
    // The confirmation job asks the gateway (never charges) and keeps the row pending until its deadline.
    await s.t.container.confirmations.confirm(row.id, { finalAttempt: false }).catch(() => undefined);
    await eventually(async () => (await s.t.container.transacciones.history(row.id)).some((e) => e.tipo === 'confirmacion'), 5000, 'asked the gateway');
    expect(s.conekta.state.chargeCount(row.id)).to.equal(0);
    expect((await byKey('orphan-claimed-0001')).estado_pago).to.equal('pending');
  });
});
