/**
 * 100,000 sales of one company (plus another company's): the first and the
 * 500th page are served by the same index, reading about one page of rows.
 */
import { expect } from 'chai';
import { encodeCursor } from '../../src/features/ventas';
import { startTestApp, type TestContext } from '../support/harness';
import { as, explain, escenarioWithSession } from '../support/cliente';

const ROWS = 100_000;
const PAGE = 50;

describe('cliente admin: sales keyset pagination on 100,000 rows', function () {
  this.timeout(120_000);
  let t: TestContext;
  let a: Awaited<ReturnType<typeof escenarioWithSession>>;

  before(async () => {
    t = await startTestApp();
    a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    // One statement per company; pairs of rows share a timestamp so the id breaks ties.
    const seed = (empresaId: string, routerId: string, count: number, offset: number) => t.container.knex.raw(`
      INSERT INTO transacciones (
        id, empresa_id, router_id, producto_id, producto_nombre, perfil_mikrotik_nombre, gateway, idempotency_key, request_hash,
        monto, moneda, cliente_nombre, cliente_email, tipo_usuario, hotspot_usuario, hotspot_password_enc, confirmar_hasta,
        estado_pago, estado_hotspot, creado_en)
      SELECT 'TRX_' || upper(lpad(to_hex(g + ?), 12, '0')), ?, ?, 1, 'Plan', '1hora', 'conekta', 'k' || g, repeat('0', 64),
             20.00, 'MXN', 'Cliente', 'c' || g || '@example.com', 'usuario_contrasena', 'u' || g, 'x', now(),
             (ARRAY['pending','paid','declined','paid'])[1 + g % 4],
             CASE WHEN g % 4 IN (1, 3) THEN 'active' ELSE 'pending' END,
             timestamptz '2025-06-01 12:00:00.123456+00' - (g / 2) * interval '1.000001 second'
        FROM generate_series(1, ?) g`, [offset, empresaId, routerId, count]);
    await seed(a.empresa.id, a.router.id, ROWS, 0);
    await seed(b.empresa.id, b.router.id, 20_000, 1_000_000);
    await t.container.knex.raw('ANALYZE transacciones');
  });

  after(async () => {
    // Leave nothing big behind for the other test files.
    await t.container.knex.raw('TRUNCATE transaccion_eventos, transacciones');
    await t.close();
  });

  /** The (creado_en with microseconds, id) of the n-th row (0-based) in list order. */
  async function rowAt(n: number) {
    const row = await t.container.knex('transacciones').where({ empresa_id: a.empresa.id })
      .orderBy([{ column: 'creado_en', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(n).first(
        'id', t.container.knex.raw(`to_char(creado_en AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts`),
      );
    return row as { id: string; ts: string };
  }

  async function idsAt(offset: number, limit: number) {
    return (await t.container.knex('transacciones').where({ empresa_id: a.empresa.id })
      .orderBy([{ column: 'creado_en', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(offset).limit(limit).select('id')).map((r) => r.id as string);
  }

  function assertKeysetIndex(nodes: Array<Record<string, any>>) {
    const types = nodes.map((n) => n['Node Type']);
    expect(types).not.to.include('Seq Scan');
    expect(types).not.to.include('Sort');
    const scans = nodes.filter((n) => n['Relation Name'] === 'transacciones');
    expect(scans).to.have.length(1);
    expect(scans[0]!['Node Type']).to.equal('Index Scan');
    expect(scans[0]!['Index Name']).to.equal('transacciones_empresa_keyset');
    return scans[0]!;
  }

  it('the first page uses the keyset index (EXPLAIN of the exact query the endpoint runs)', async () => {
    const nodes = await explain(t.container, t.container.ventas.listQuery(a.empresa.id, { limit: PAGE }));
    assertKeysetIndex(nodes);
    const res = await t.request.get('/api/v1/admin/mi-empresa/transacciones').set(as(a.token));
    expect(res.status).to.equal(200);
    expect(res.body.transacciones.map((x: { id: string }) => x.id)).to.deep.equal(await idsAt(0, PAGE));
  });

  it('the 500th page uses the same index, with the cursor as an index condition, and reads one page of rows', async () => {
    const last = await rowAt(499 * PAGE - 1);
    const cursor = encodeCursor(last.ts, last.id);
    const query = t.container.ventas.listQuery(a.empresa.id, { limit: PAGE, cursor });
    const scan = assertKeysetIndex(await explain(t.container, query));
    expect(scan['Index Cond']).to.match(/ROW\(creado_en, \(?id\)?(::text)?\) < ROW\(/);

    // EXPLAIN ANALYZE: the scan stops after limit + 1 rows, whatever the page number.
    const { sql, bindings } = query.toSQL();
    const analyzed = await t.container.knex.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, bindings as any);
    const nodes: Array<Record<string, any>> = [];
    const walk = (n: Record<string, any>) => { nodes.push(n); (n.Plans ?? []).forEach(walk); };
    walk(analyzed.rows[0]['QUERY PLAN'][0].Plan);
    const indexScan = nodes.find((n) => n['Index Name'] === 'transacciones_empresa_keyset')!;
    expect(indexScan['Actual Rows']).to.be.at.most(PAGE + 1);

    const res = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ cursor }).set(as(a.token));
    expect(res.status).to.equal(200);
    expect(res.body.transacciones.map((x: { id: string }) => x.id)).to.deep.equal(await idsAt(499 * PAGE, PAGE));
    expect(res.body.next_cursor).to.be.a('string');
  });

  it('following next_cursor from the 499th page lands exactly on the 500th', async () => {
    const last = await rowAt(498 * PAGE - 1);
    const page499 = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ cursor: encodeCursor(last.ts, last.id) }).set(as(a.token));
    expect(page499.body.transacciones.map((x: { id: string }) => x.id)).to.deep.equal(await idsAt(498 * PAGE, PAGE));
    const page500 = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ cursor: page499.body.next_cursor }).set(as(a.token));
    expect(page500.body.transacciones.map((x: { id: string }) => x.id)).to.deep.equal(await idsAt(499 * PAGE, PAGE));
  });

  it('the last page has no next cursor', async () => {
    const last = await rowAt(ROWS - 11);
    const res = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ cursor: encodeCursor(last.ts, last.id) }).set(as(a.token));
    expect(res.body.transacciones).to.have.length(10);
    expect(res.body.next_cursor).to.equal(null);
  });
});
