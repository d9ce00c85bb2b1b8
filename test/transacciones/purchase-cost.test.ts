import { expect } from 'chai';
import { conektaBody, startStack, type Stack } from '../support/stack';
import { countQueries } from '../support/query-count';

/**
 * What one card purchase costs PostgreSQL (issue 26): counted on the web's and
 * the worker's own knex, so a change that adds a round trip to the happy path
 * fails here. API mode, Telegram notices off (the default), every guarantee on.
 *
 * Web: the pending row with its `creada` event (one statement, which also finds
 * an earlier copy), the claim, the `paid` transition (its row answers), the
 * answer's read after the worker's signal. Worker: the `provisioning`
 * transition (its row is what the job needs), the `active` transition.
 */
describe('a card purchase costs at most six PostgreSQL statements (issue 26)', function () {
  this.timeout(30_000);
  let s: Stack;
  before(async () => { s = await startStack(); });
  after(async () => { await s.close(); });

  let n = 0;
  const buy = () => s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${s.tenant.apiKey}`)
    .set('Idempotency-Key', `cost-${++n}-0000000`).send(conektaBody(s.tenant.productoId, s.conekta.token('visa_4242')));

  async function counted() {
    const count = countQueries({ web: s.t.container.knex, worker: s.worker!.container.knex });
    try {
      const res = await buy();
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      // The request waits for the worker's signal, sent after its last statement.
      expect(res.body).to.include({ estado_pago: 'paid', estado_hotspot: 'active' });
      return { id: res.body.transaccion_id as string, statements: count.statements() };
    } finally {
      count.stop();
    }
  }

  it('with product, company and router already read in this auth generation: 4 in the web, 2 in the worker, every event written', async () => {
    await counted(); // fills the per-process caches
    const { id, statements } = await counted();
    const detail = JSON.stringify(statements, null, 1);
    expect(statements.web, detail).to.have.length(4);
    expect(statements.worker, detail).to.have.length(2);
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
    expect(statements.web, detail).to.have.length(8);
    expect(statements.worker, detail).to.have.length(3);
  });
});
