/** GET /api/v1/admin/mi-empresa/transacciones/export.csv: the sales list's filters, streamed CSV, quoting and formula neutralising (issue 16). */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { createVentasExport, csvCell } from '../../src/features/ventas';
import { newTransaccionId } from '../../src/platform/ids';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { as, insertTransaccion, escenarioWithSession } from '../support/cliente';

/** RFC 4180 reader (quotes, doubled quotes, CRLF inside quotes): an independent check of what we write. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

const text = (res: any, cb: (err: Error | null, body: string) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
};

describe('cliente admin: sales CSV export', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });
  const url = '/api/v1/admin/mi-empresa/transacciones/export.csv';

  async function exportCsv(token: string, query: Record<string, string> = {}) {
    const res = await t.request.get(url).query(query).set(as(token)).buffer(true).parse(text);
    return res;
  }

  it('a download with a BOM, headers, one row per sale in the company\'s zone, quoted cells, formulas neutralised and no secret', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    const tricky = await insertTransaccion(t.container, {
      empresa_id: a.empresa.id, router_id: a.router.id, estado_pago: 'paid', monto: '1234.50',
      cliente_nombre: 'López, "Ana"\r\nMaría', cliente_email: '=HYPERLINK("http://evil.test","clic")@x.mx', cliente_telefono: '+52 55 1234 5678',
      creado_en: new Date('2026-11-17T05:30:00Z'), pagado_en: new Date('2026-11-17T05:30:01Z'),
    });
    const plain = await insertTransaccion(t.container, {
      empresa_id: a.empresa.id, router_id: a.router.id, estado_pago: 'declined', cliente_nombre: '@SUM(A1:A9)', decline_message: '-1+2',
      creado_en: new Date('2026-11-18T12:00:00Z'),
    });
    await insertTransaccion(t.container, { empresa_id: b.empresa.id, router_id: b.router.id, cliente_nombre: 'Otra Empresa' });

    const res = await exportCsv(a.token);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.match(new RegExp(`^attachment; filename="ventas-${a.empresa.id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const body = res.body as string;
    expect(body.charCodeAt(0)).to.equal(0xfeff);
    const rows = parseCsv(body.slice(1));
    const header = rows[0]!;
    expect(header.slice(0, 4)).to.deep.equal(['id', 'fecha (America/Mexico_City)', 'creado_en_utc', 'router_id']);
    expect(rows).to.have.length(3);
    const rec = (row: string[]) => Object.fromEntries(header.map((h, i) => [h, row[i]]));
    const [first, second] = [rec(rows[1]!), rec(rows[2]!)];
    expect(first.id).to.equal(plain.id); // newest first
    expect(first.cliente_nombre).to.equal("'@SUM(A1:A9)");
    expect(first.motivo_rechazo).to.equal("'-1+2");
    expect(second).to.include({
      id: tricky.id, 'fecha (America/Mexico_City)': '2026-11-16 23:30:00', creado_en_utc: '2026-11-17T05:30:00.000Z', monto: '1234.50', moneda: 'MXN',
      cliente_nombre: 'López, "Ana"\r\nMaría', cliente_email: '\'=HYPERLINK("http://evil.test","clic")@x.mx', cliente_telefono: "'+52 55 1234 5678",
      estado_pago: 'paid', 'pagado_en (America/Mexico_City)': '2026-11-16 23:30:01',
    });
    expect(body).not.to.include('Otra Empresa');
    expect(body).not.to.include('hotspot-pass'); // the fixture's hotspot passwords
    expect(body).not.to.include('idem-');
    expect(body).not.to.include('gAAAAA'); // nothing encrypted either
    expect(header.join(',')).not.to.match(/password|idempotency|request_hash|tarjeta|token/i);

    // The company's zone is used.
    await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ zona_horaria: 'UTC' }).expect(200);
    const utc = parseCsv(((await exportCsv(a.token)).body as string).slice(1));
    expect(utc[0]![1]).to.equal('fecha (UTC)');
    expect(utc[2]![1]).to.equal('2026-11-17 05:30:00');
  });

  it('the same filters as the sales list, giving the same sales in the same order', async () => {
    const a = await escenarioWithSession(t);
    const other = await t.container.knex('routers').insert({
      id: `RTR_${crypto.randomBytes(4).toString('hex').toUpperCase()}`, empresa_id: a.empresa.id, nombre: 'Terraza', host: '127.0.0.1', puerto: 8728, usuario: 'a', password_enc: 'x',
    }).returning('id');
    const routerB = other[0].id as string;
    for (let i = 0; i < 12; i++) {
      await insertTransaccion(t.container, {
        empresa_id: a.empresa.id, router_id: i % 3 === 0 ? routerB : a.router.id, estado_pago: i % 2 ? 'paid' : 'declined',
        creado_en: new Date(Date.UTC(2026, 10, 1 + i, 15)), cliente_email: i === 5 ? 'Buscada@Example.com' : `c${i}@example.com`,
      });
    }
    const cases: Array<Record<string, string>> = [
      {}, { estado_pago: 'paid' }, { router_id: routerB }, { desde: '2026-11-03', hasta: '2026-11-07' },
      { desde: '2026-11-03T15:00:00Z', hasta: '2026-11-05T15:00:00Z' }, { email: 'buscada@example.com' }, { estado_pago: 'declined', router_id: a.router.id },
    ];
    for (const q of cases) {
      const list = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ ...q, limit: 200 }).set(as(a.token));
      expect(list.status, JSON.stringify(q)).to.equal(200);
      const res = await exportCsv(a.token, q);
      expect(res.status, JSON.stringify(q)).to.equal(200);
      const ids = parseCsv((res.body as string).slice(1)).slice(1).map((r) => r[0]);
      expect(ids, JSON.stringify(q)).to.deep.equal(list.body.transacciones.map((x: { id: string }) => x.id));
    }
  });

  it('streams page by page with the keyset cursor: every sale once, in order, never more than a page read at a time', async () => {
    const a = await escenarioWithSession(t);
    const rows = Array.from({ length: 1205 }, (_, i) => ({
      id: newTransaccionId(), empresa_id: a.empresa.id, router_id: a.router.id, producto_id: 1, producto_nombre: 'P', perfil_mikrotik_nombre: 'p',
      gateway: 'conekta', idempotency_key: `bulk-${i}-${crypto.randomUUID()}`, request_hash: 'h', monto: '10.00', moneda: 'MXN', cliente_nombre: `C ${i}`,
      cliente_email: `c${i}@example.com`, tipo_usuario: 'usuario_contrasena', hotspot_usuario: `b${i}`, hotspot_password_enc: 'x', confirmar_hasta: new Date(),
      // Many share a timestamp: the cursor's id tie-break must keep each exactly once.
      creado_en: new Date(Date.UTC(2026, 9, 1) + Math.floor(i / 4) * 1000),
    }));
    for (let i = 0; i < rows.length; i += 400) await t.container.knex('transacciones').insert(rows.slice(i, i + 400));

    const res = await exportCsv(a.token);
    expect(res.status).to.equal(200);
    const ids = parseCsv((res.body as string).slice(1)).slice(1).map((r) => r[0]);
    expect(ids).to.have.length(1205);
    expect(new Set(ids).size).to.equal(1205);
    const expected = [...rows].sort((x, y) => (y.creado_en.getTime() - x.creado_en.getTime()) || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((r) => r.id);
    expect(ids).to.deep.equal(expected);

    // The service reads pages of the size it is given, one query each (a small page to count them).
    const queries: string[] = [];
    const onQuery = (q: { sql: string }) => { if (/from "transacciones"/.test(q.sql)) queries.push(q.sql); };
    t.container.knex.on('query', onQuery);
    try {
      const service = createVentasExport({ ventas: t.container.ventas, zonaHoraria: async () => 'UTC', pageSize: 100 });
      const csv = await service.csv(a.empresa.id, {});
      let size = 0;
      for await (const chunk of csv.stream) size += Buffer.byteLength(chunk);
      expect(size).to.be.greaterThan(1205 * 50);
    } finally {
      t.container.knex.off('query', onQuery);
    }
    expect(queries).to.have.length(13); // 12 full pages of 100 and the last 5
    expect(queries.every((q) => / limit [?$]/i.test(q)), queries[0]).to.equal(true);
  });

  it('bad filters are 4xx in Spanish before any byte; another company\'s router is 404; no session 401; a super admin 403', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ router_id: b.router.id }, 404, /^Router no encontrado$/],
      [{ desde: '2026-11-10', hasta: '2026-11-01' }, 422, /'desde' no puede ser posterior a 'hasta'/],
      [{ desde: '2026-02-30' }, 422, /'desde' no es una fecha válida/],
      [{ estado_pago: 'regalado' }, 422, /estado_pago/],
      [{ limit: '5' }, 422, /limit/],
    ];
    for (const [q, status, detail] of cases) {
      const res = await t.request.get(url).query(q).set(as(a.token));
      expect(res.status, JSON.stringify(q)).to.equal(status);
      expect(res.headers['content-type'], JSON.stringify(q)).to.match(/application\/json/);
      expect(res.body.detail, JSON.stringify(q)).to.match(detail);
    }
    expect((await t.request.get(url)).status).to.equal(401);
    expect((await t.request.get(url).set(as(await loginSuperAdmin(t)))).status).to.equal(403);
  });

  it('csvCell: quotes only when needed and neutralises formula starts', () => {
    expect(csvCell('simple')).to.equal('simple');
    expect(csvCell(null)).to.equal('');
    expect(csvCell(20)).to.equal('20');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('di "hola"')).to.equal('"di ""hola"""');
    expect(csvCell(' x')).to.equal('" x"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`).startsWith(`'${start}`) || csvCell(`${start}1`).startsWith(`"'${start}`), JSON.stringify(start)).to.equal(true);
  });
});
