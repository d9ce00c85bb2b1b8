import { expect } from 'chai';
import type { Knex } from 'knex';
import { loginAs } from '../support/harness';
import { insertRouter } from '../support/fixtures';
import { radiusSchemaFor } from '../../src/platform/db/radius-schema';
import { eventually, startStack, type Stack } from '../support/stack';

/**
 * PostgreSQL transactions as the server counts them (xact_commit): a statement
 * outside a transaction is one, a BEGIN … COMMIT block is one. Counted from
 * knex's own query events, on the web's and the worker's pools.
 */
function countTransactions(...instances: Knex[]) {
  let transactions = 0;
  let statements = 0;
  const listener = (q: { sql?: string; __knexTxId?: string }) => {
    const sql = (q.sql ?? '').trim().toUpperCase();
    if (!q.__knexTxId) { transactions++; statements++; return; }
    if (sql.startsWith('BEGIN')) transactions++;
    else if (!sql.startsWith('COMMIT') && !sql.startsWith('ROLLBACK') && !sql.startsWith('SAVEPOINT') && !sql.startsWith('RELEASE')) statements++;
  };
  for (const k of instances) k.on('query', listener);
  return {
    get transactions() { return transactions; },
    get statements() { return statements; },
    stop() { for (const k of instances) k.removeListener('query', listener); },
  };
}

describe('a voucher batch of 1000 at minimum cost (transactions per voucher)', function () {
  this.timeout(120_000);
  let s: Stack;
  let token: string;
  before(async () => {
    // Voucher workers not held back by the fair share (test/fichas/voucher-queue.test.ts covers it): this measures the cost of a voucher.
    s = await startStack({ env: { WORKER_FICHAS_PER_EMPRESA: '8', WORKER_FICHAS_PER_ROUTER: '8' } });
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });
  after(async () => { await s.close(); });

  const crear = (productoId: number) => s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${token}`)
    .send({ producto_id: productoId, cantidad: 1000, tipo_usuario: 'usuario_contrasena' });
  const porEstado = async (loteId: string) => {
    const rows = await s.t.container.knex('fichas').where({ lote_id: loteId }).select('estado').count('* as n').groupBy('estado');
    return Object.fromEntries(rows.map((r) => [r.estado, Number(r.n)]));
  };

  it('RADIUS mode: the request writes the batch and its FreeRADIUS rows in a handful of transactions, not per voucher', async () => {
    const router = await insertRouter(s.t.container, s.escenario.empresaId, { modo: 'radius', host: null, usuario: null, password_enc: null });
    const [p] = await s.t.container.knex('productos').insert({
      empresa_id: s.escenario.empresaId, router_id: router.id, perfil_mikrotik_nombre: 'vip', nombre_venta: '1 hora', precio: '20.00', moneda: 'MXN',
      limit_uptime: '1h', vigencia_minutos: 120, limite_velocidad: '2M/10M', dispositivos: 1,
    }).returning('id');
    const counter = countTransactions(s.t.container.knex, s.worker!.container.knex);
    const res = await crear(p.id);
    counter.stop();
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.por_estado).to.include({ disponible: 1000, pendiente: 0 });
    expect(await porEstado(res.body.id)).to.deep.equal({ disponible: 1000 });
    // Every voucher's rows are there: password, uptime limit, rate limit, group.
    const table = (name: string) => s.t.container.knex.withSchema(radiusSchemaFor(s.t.config.database.schema)).table(name);
    for (const name of ['radcheck', 'radreply', 'radusergroup']) {
      const users = await table(name).where('username', 'like', `${router.id}:%`).countDistinct('username as n').first();
      expect(Number(users!.n), name).to.equal(1000);
    }
    const sample = res.body.fichas[999] as { codigo: string; contrasena: string };
    const username = `${router.id}:${sample.codigo}`;
    expect(await table('radcheck').where({ username }).select('attribute', 'op', 'value').orderBy('id')).to.deep.equal([
      { attribute: 'Cleartext-Password', op: ':=', value: sample.contrasena }, { attribute: 'Simultaneous-Use', op: ':=', value: '1' },
      { attribute: 'Expire-After', op: ':=', value: '7200' }, { attribute: 'Max-All-Session', op: ':=', value: '3600' },
    ]);
    expect((await table('radreply').where({ username }).select('attribute')).map((r: { attribute: string }) => r.attribute))
      .to.have.members(['Acct-Interim-Interval', 'Session-Timeout', 'Mikrotik-Rate-Limit', 'Mikrotik-Group']);
    expect(await table('radusergroup').where({ username }).select('groupname', 'priority')).to.deep.equal([{ groupname: `prod_${p.id}`, priority: 1 }]);
    console.log(`      RADIUS batch of 1000: ${counter.transactions} transactions (${(counter.transactions / 1000).toFixed(3)} per voucher), ${counter.statements} statements`);
    expect(counter.transactions).to.be.at.most(20);
  });

  it('API mode: the request writes the batch in bulk; each voucher\'s job then costs a few transactions', async () => {
    const web = countTransactions(s.t.container.knex);
    const worker = countTransactions(s.worker!.container.knex);
    const res = await crear(s.escenario.productoId);
    const inRequest = web.transactions;
    web.stop();
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.fichas).to.have.length(1000);
    await eventually(async () => (await porEstado(res.body.id)).disponible === 1000, 90_000, 'batch on the router');
    worker.stop();
    expect(s.sim.state.userList.filter((u) => u.comment.startsWith(`ficha ${res.body.id} `))).to.have.length(1000);
    console.log(`      API batch of 1000: request ${inRequest} transactions; worker ${worker.transactions} (${(worker.transactions / 1000).toFixed(2)} per voucher), ${worker.statements} statements`);
    expect(inRequest).to.be.at.most(20);
    // Two per voucher (read it with its batch, move it to disponible); the router is read once per auth generation (issue 26).
    expect(worker.transactions / 1000).to.be.at.most(2.05);
  });
});
