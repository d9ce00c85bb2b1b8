/** GET /api/v1/admin/mi-empresa/transacciones[/{id}]: filters, keyset pagination and the detail with its history. */
import { expect } from 'chai';
import { decodeCursor, encodeCursor } from '../../src/features/ventas';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertRouter } from '../support/fixtures';
import { as, insertTransaccion, escenarioWithSession } from '../support/cliente';

describe('cliente admin: sales', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  const base = '/api/v1/admin/mi-empresa/transacciones';
  const ids = (body: { transacciones: Array<{ id: string }> }) => body.transacciones.map((x) => x.id);

  /** Every page, following next_cursor. */
  async function allPages(token: string, query: Record<string, unknown>) {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const res: { status: number; body: { transacciones: Array<{ id: string }>; next_cursor: string | null } } =
        await t.request.get(base).query({ ...query, ...(cursor ? { cursor } : {}) }).set(as(token));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      seen.push(...ids(res.body));
      cursor = res.body.next_cursor;
      if (!cursor) return seen;
    }
    throw new Error('too many pages');
  }

  describe('list', () => {
    it('newest first (ties broken by id), paginated by an opaque cursor, microseconds kept', async () => {
      const a = await escenarioWithSession(t);
      const base0 = Date.parse('2025-01-15T10:00:00Z');
      const rows = [];
      for (let i = 0; i < 12; i++) {
        // Pairs share a timestamp down to the microsecond; others differ only in microseconds.
        const micro = String(123456 + Math.floor(i / 2)).padStart(6, '0');
        const at = new Date(base0).toISOString().replace('.000Z', `.${micro}Z`);
        rows.push(await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, creado_en: at }));
      }
      const expected = (await t.container.knex('transacciones').where({ empresa_id: a.empresa.id })
        .orderBy([{ column: 'creado_en', order: 'desc' }, { column: 'id', order: 'desc' }]).select('id')).map((r) => r.id);

      const first = await t.request.get(base).query({ limit: 5 }).set(as(a.token));
      expect(first.status).to.equal(200);
      expect(first.body.limit).to.equal(5);
      expect(ids(first.body)).to.deep.equal(expected.slice(0, 5));
      expect(first.body.next_cursor).to.match(/^[A-Za-z0-9_-]+$/);
      const decoded = decodeCursor(first.body.next_cursor);
      expect(decoded.id).to.equal(expected[4]);
      expect(decoded.creadoEn).to.match(/\.\d{6}Z$/);

      expect(await allPages(a.token, { limit: 5 })).to.deep.equal(expected);
      expect(await allPages(a.token, { limit: 1 })).to.deep.equal(expected);
      const exact = await t.request.get(base).query({ limit: 12 }).set(as(a.token));
      expect(exact.body.next_cursor).to.equal(null);
      expect(rows).to.have.length(12);
    });

    it('is stable under inserts: new sales never shift or repeat rows of later pages', async () => {
      const a = await escenarioWithSession(t);
      for (let i = 0; i < 9; i++) {
        await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, creado_en: new Date(Date.now() - (10 - i) * 1000) });
      }
      const before = await allPages(a.token, { limit: 100 });
      const page1 = await t.request.get(base).query({ limit: 3 }).set(as(a.token));
      // Three new sales arrive between page 1 and page 2.
      for (let i = 0; i < 3; i++) await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id });
      const seen = [...ids(page1.body)];
      let cursor = page1.body.next_cursor;
      while (cursor) {
        const res = await t.request.get(base).query({ limit: 3, cursor }).set(as(a.token));
        seen.push(...ids(res.body));
        cursor = res.body.next_cursor;
      }
      expect(seen).to.deep.equal(before);
    });

    it('filters by payment and hotspot status, router, dates, customer email (case-insensitive) and hotspot user', async () => {
      const a = await escenarioWithSession(t);
      const r2 = await insertRouter(t.container, a.empresa.id);
      const b = await escenarioWithSession(t);
      const mk = (extra: Record<string, unknown>) => insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, ...extra });
      const paidJan = await mk({ estado_pago: 'paid', creado_en: '2025-01-10T12:00:00Z', cliente_email: 'Ana.Lopez@Example.com' });
      const failedJan31 = await mk({ estado_pago: 'paid', estado_hotspot: 'failed', creado_en: '2025-01-31T23:59:59.999999Z' });
      const pendingFeb = await mk({ creado_en: '2025-02-01T00:00:00Z', router_id: r2.id, hotspot_usuario: 'kx7mp2q' });
      const declinedDec = await mk({ estado_pago: 'declined', creado_en: '2024-12-31T23:00:00Z', cliente_email: 'ana.lopez@example.com' });
      await insertTransaccion(t.container, { empresa_id: b.empresa.id, router_id: b.router.id, estado_pago: 'paid', cliente_email: 'ana.lopez@example.com', hotspot_usuario: 'kx7mp2q' });

      const q = async (query: Record<string, unknown>) => {
        const res = await t.request.get(base).query(query).set(as(a.token));
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return ids(res.body).sort();
      };
      expect(await q({ estado_pago: 'paid' })).to.deep.equal([paidJan.id, failedJan31.id].sort());
      expect(await q({ estado_hotspot: 'failed' })).to.deep.equal([failedJan31.id]);
      expect(await q({ estado_pago: 'paid', estado_hotspot: 'active' })).to.deep.equal([paidJan.id]);
      expect(await q({ router_id: r2.id })).to.deep.equal([pendingFeb.id]);
      expect(await q({ desde: '2025-01-01', hasta: '2025-01-31' })).to.deep.equal([paidJan.id, failedJan31.id].sort());
      expect(await q({ desde: '2025-02-01' })).to.deep.equal([pendingFeb.id]);
      expect(await q({ hasta: '2024-12-31T23:30:00Z' })).to.deep.equal([declinedDec.id]);
      expect(await q({ desde: '2025-01-10T12:00:00Z', hasta: '2025-01-10T12:00:00Z' })).to.deep.equal([paidJan.id]);
      expect(await q({ email: 'ANA.LOPEZ@example.COM' })).to.deep.equal([paidJan.id, declinedDec.id].sort());
      expect(await q({ usuario: 'kx7mp2q' })).to.deep.equal([pendingFeb.id]);
      expect(await q({ usuario: 'KX7MP2Q' })).to.deep.equal([]);
      expect(await q({ email: 'ana.lopez@example.com', estado_pago: 'declined', hasta: '2025-01-01' })).to.deep.equal([declinedDec.id]);
    });

    it('a router of another company is 404; a deleted router of this company still filters its sales', async () => {
      const a = await escenarioWithSession(t);
      const b = await escenarioWithSession(t);
      const gone = await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: 'RTR_0000DEAD' });
      const foreign = await t.request.get(base).query({ router_id: b.router.id }).set(as(a.token));
      expect(foreign.status).to.equal(404);
      expect(foreign.body).to.deep.equal({ detail: 'Router no encontrado', code: 'not_found' });
      const deleted = await t.request.get(base).query({ router_id: 'RTR_0000DEAD' }).set(as(a.token));
      expect(ids(deleted.body)).to.deep.equal([gone.id]);
    });

    it('rejects a bad limit, cursor, date, status or unknown filter (422)', async () => {
      const a = await escenarioWithSession(t);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ limit: 201 }, "El campo 'limit' debe ser menor o igual a 200"],
        [{ limit: 0 }, "El campo 'limit' debe ser mayor o igual a 1"],
        [{ limit: 'diez' }, "El campo 'limit' debe ser de tipo entero"],
        [{ cursor: 'no-es-un-cursor' }, "El campo 'cursor' no es válido"],
        [{ cursor: Buffer.from('["2025-01-01", "x"]').toString('base64url') }, "El campo 'cursor' no es válido"],
        [{ cursor: encodeCursor('2025-01-01T00:00:00.000000Z', "TRX_AAAAAAAAAAAA' OR 1=1") }, "El campo 'cursor' no es válido"],
        [{ desde: 'ayer' }, "El campo 'desde' tiene un formato inválido"],
        [{ hasta: '2025-01-01T10:00' }, "El campo 'hasta' tiene un formato inválido"],
        [{ desde: '2025-02-30' }, "El campo 'desde' no es una fecha válida"],
        [{ hasta: '2025-13-01T10:00:00Z' }, "El campo 'hasta' no es una fecha válida"],
        [{ hasta: '2025-02-29T10:00:00Z' }, "El campo 'hasta' no es una fecha válida"],
        [{ hasta: '2025-01-01T25:00:00Z' }, "El campo 'hasta' no es una fecha válida"],
        [{ desde: '2025-02-01', hasta: '2025-01-01' }, "El campo 'desde' no puede ser posterior a 'hasta'"],
        [{ estado_pago: 'aprobado' }, "El campo 'estado_pago' debe ser uno de: pending, paid, declined, unknown, expired, refunded, charged_back"],
        [{ empresa_id: 'EMP_0000000000' }, "Campo no permitido: 'empresa_id'"],
      ];
      for (const [query, detail] of cases) {
        const res = await t.request.get(base).query(query).set(as(a.token));
        expect(res.status, JSON.stringify(query)).to.equal(422);
        expect(res.body.detail, JSON.stringify(query)).to.equal(detail);
      }
      const max = await t.request.get(base).query({ limit: 200 }).set(as(a.token));
      expect(max.status).to.equal(200);
      const byDefault = await t.request.get(base).set(as(a.token));
      expect(byDefault.body.limit).to.equal(50);
    });

    it('never returns the encrypted password, the idempotency key or other companies\' sales', async () => {
      const a = await escenarioWithSession(t);
      const b = await escenarioWithSession(t);
      const mine = await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id });
      const theirs = await insertTransaccion(t.container, { empresa_id: b.empresa.id, router_id: b.router.id });
      const res = await t.request.get(base).set(as(a.token));
      expect(ids(res.body)).to.deep.equal([mine.id]);
      const text = JSON.stringify(res.body);
      for (const forbidden of ['hotspot_password', mine.hotspot_password_enc, mine.idempotency_key, mine.request_hash, theirs.id]) {
        expect(text).not.to.include(forbidden);
      }
    });
  });

  describe('detail', () => {
    it('returns the sale, the customer hotspot password (decrypted) and its history, oldest event first', async () => {
      const a = await escenarioWithSession(t);
      const row = await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, hotspot_password_enc: t.container.secrets.seal('clave-del-cliente') });
      await t.container.transacciones.event(row.id, 'creada', { gateway: 'conekta', monto: '20.00' });
      await t.container.transacciones.transition(row.id, { event: 'pago_aprobado', from: ['pending'] });
      const res = await t.request.get(`${base}/${row.id}`).set(as(a.token));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ id: row.id, empresa_id: a.empresa.id, estado_pago: 'paid', monto: 20, monto_decimal: '20.00', hotspot_password: 'clave-del-cliente' });
      expect(res.body.pagado_en).to.be.a('string');
      expect(res.body.eventos.map((e: { tipo: string }) => e.tipo)).to.deep.equal(['creada', 'pago_aprobado']);
      expect(res.body.eventos[1]).to.include({ de: 'pending', a: 'paid' });
      const text = JSON.stringify(res.body);
      for (const forbidden of ['hotspot_password_enc', row.hotspot_password_enc, row.idempotency_key, 'request_hash']) {
        expect(text).not.to.include(forbidden);
      }
    });

    it('another company\'s sale, a missing or malformed id is 404; a super admin is 403', async () => {
      const a = await escenarioWithSession(t);
      const b = await escenarioWithSession(t);
      const theirs = await insertTransaccion(t.container, { empresa_id: b.empresa.id, router_id: b.router.id });
      for (const id of [theirs.id, 'TRX_000000000000', 'nope', theirs.id.toLowerCase()]) {
        const res = await t.request.get(`${base}/${id}`).set(as(a.token));
        expect(res.status, id).to.equal(404);
        expect(res.body).to.deep.equal({ detail: 'Transacción no encontrada', code: 'not_found' });
      }
      const root = await loginSuperAdmin(t);
      expect((await t.request.get(`${base}/${theirs.id}`).set(as(root))).status).to.equal(403);
    });
  });
});
