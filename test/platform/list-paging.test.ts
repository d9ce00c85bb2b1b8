/**
 * Server-side paging of the panel's lists (issue 25 item 6), end to end on
 * PostgreSQL: companies, users and voucher batches answer the bare array of
 * their contract, one page of it with `limit`/`offset`, sorted by `sort`/`order`,
 * filtered, with the total in `X-Total-Count` (readable cross-origin); sales
 * keep their object with `total`, paged by `offset`.
 */
import { expect } from 'chai';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertEmpresa, insertRouter, insertUsuario } from '../support/fixtures';
import { insertTransaccion, escenarioWithSession } from '../support/cliente';

describe('list paging: limit/offset, sort, filters and X-Total-Count', () => {
  let t: TestContext;
  let root: string;
  before(async () => {
    t = await startTestApp({ BACKEND_CORS_ORIGINS: 'https://panel.example.com' });
    root = await loginSuperAdmin(t);
  });
  after(async () => { await t.close(); });

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('GET /admin/empresas', () => {
    const names: string[] = [];
    before(async () => {
      // Seven companies created a minute apart (newest last), two inactive, three named "Hotel …".
      const base = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 7; i += 1) {
        const nombre = i % 2 === 0 ? `Hotel Paginado ${i}` : `Café Paginado ${i}`;
        names.push(nombre);
        await insertEmpresa(t.container, { nombre, contacto_email: `pag${i}@paginado.test`, activa: i !== 1 && i !== 4, creada_en: new Date(base + i * 60_000) });
      }
    });
    const list = (query: Record<string, unknown>) => t.request.get('/admin/empresas').query({ q: 'Paginado', ...query }).set(as(root));

    it('answers the whole array without limit, with its total in X-Total-Count', async () => {
      const res = await list({});
      expect(res.status).to.equal(200);
      expect(res.body).to.be.an('array').with.length(7);
      expect(res.headers['x-total-count']).to.equal('7');
      expect(res.body.map((e: { nombre: string }) => e.nombre)).to.deep.equal([...names].reverse()); // newest first, as before
    });

    it('pages with limit/offset: the pages are disjoint, cover everything and the total stays the filtered count', async () => {
      const pages = [];
      for (const offset of [0, 3, 6]) {
        const res = await list({ limit: 3, offset, sort: 'creada_en', order: 'ASC' });
        expect(res.status).to.equal(200);
        expect(res.headers['x-total-count']).to.equal('7');
        pages.push(res.body.map((e: { nombre: string }) => e.nombre));
      }
      expect(pages.map((p) => p.length)).to.deep.equal([3, 3, 1]);
      expect(pages.flat()).to.deep.equal(names);
      const past = await list({ limit: 3, offset: 30 });
      expect(past.body).to.deep.equal([]);
      expect(past.headers['x-total-count']).to.equal('7');
    });

    it('sorts by name either way and filters by activa and by text, case-insensitively', async () => {
      const asc = await list({ sort: 'nombre', order: 'asc', limit: 2 });
      expect(asc.body.map((e: { nombre: string }) => e.nombre)).to.deep.equal(['Café Paginado 1', 'Café Paginado 3']);
      const desc = await list({ sort: 'nombre', order: 'DESC', limit: 1 });
      expect(desc.body.map((e: { nombre: string }) => e.nombre)).to.deep.equal(['Hotel Paginado 6']);
      const inactive = await list({ activa: false });
      expect(inactive.body.map((e: { nombre: string }) => e.nombre)).to.have.members(['Café Paginado 1', 'Hotel Paginado 4']);
      expect(inactive.headers['x-total-count']).to.equal('2');
      const hotel = await list({ q: 'hotel paginado', limit: 1 });
      expect(hotel.body).to.have.length(1);
      expect(hotel.headers['x-total-count']).to.equal('4');
      const byEmail = await list({ q: 'PAG5@' });
      expect(byEmail.body.map((e: { nombre: string }) => e.nombre)).to.deep.equal(['Café Paginado 5']);
      // LIKE's wildcards are text, not patterns.
      const wildcard = await list({ q: '%' });
      expect(wildcard.body).to.deep.equal([]);
      expect(wildcard.headers['x-total-count']).to.equal('0');
    });

    it('refuses bad paging in Spanish with a code, never a 500', async () => {
      for (const query of [{ limit: 0 }, { limit: 501 }, { offset: -1 }, { sort: 'password' }, { order: 'sideways' }, { limit: 'diez' }]) {
        const res = await list(query);
        expect(res.status, JSON.stringify(query)).to.equal(422);
        expect(res.body.code).to.equal('validation_error');
        expect(res.body.detail).to.match(/^El campo '(limit|offset|sort|order)'/);
      }
    });

    it('exposes X-Total-Count to the panel cross-origin', async () => {
      const res = await t.request.get('/admin/empresas').query({ limit: 1 }).set(as(root)).set('Origin', 'https://panel.example.com');
      expect(res.status).to.equal(200);
      expect(res.headers['access-control-expose-headers']).to.match(/X-Total-Count/i);
    });
  });

  describe('GET /admin/usuarios', () => {
    let empresaId: string;
    before(async () => {
      empresaId = (await insertEmpresa(t.container)).id;
      for (let i = 0; i < 5; i += 1) await insertUsuario(t.container, { email: `pagina${i}@usuarios.test`, empresa_id: empresaId, activo: i !== 2 });
    });

    it('pages the filtered users by id, with the total of the filter', async () => {
      const first = await t.request.get('/admin/usuarios').query({ empresa_id: empresaId, limit: 2 }).set(as(root));
      expect(first.status).to.equal(200);
      expect(first.headers['x-total-count']).to.equal('5');
      expect(first.body.map((u: { email: string }) => u.email)).to.deep.equal(['pagina0@usuarios.test', 'pagina1@usuarios.test']);
      const rest = await t.request.get('/admin/usuarios').query({ empresa_id: empresaId, limit: 2, offset: 2 }).set(as(root));
      expect(rest.body.map((u: { email: string }) => u.email)).to.deep.equal(['pagina2@usuarios.test', 'pagina3@usuarios.test']);
      const active = await t.request.get('/admin/usuarios').query({ empresa_id: empresaId, activo: true }).set(as(root));
      expect(active.headers['x-total-count']).to.equal('4');
      expect(active.body).to.have.length(4);
    });

    it('sorts by email descending and searches the email', async () => {
      const res = await t.request.get('/admin/usuarios').query({ q: 'PAGINA', sort: 'email', order: 'DESC', limit: 1 }).set(as(root));
      expect(res.body.map((u: { email: string }) => u.email)).to.deep.equal(['pagina4@usuarios.test']);
      expect(res.headers['x-total-count']).to.equal('5');
      expect(Object.keys(res.body[0])).to.have.members(['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en']);
    });
  });

  describe('GET /api/v1/admin/fichas/lotes', () => {
    let token: string;
    let routers: string[];
    before(async () => {
      const escenario = await escenarioWithSession(t);
      token = escenario.token;
      const other = await insertRouter(t.container, escenario.empresa.id);
      routers = [escenario.router.id, other.id];
      const [producto] = await t.container.knex('productos').insert({
        empresa_id: escenario.empresa.id, router_id: escenario.router.id, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Ficha 1 hora', precio: '12.50',
      }).returning('id');
      const base = Date.parse('2026-02-01T00:00:00Z');
      for (let i = 0; i < 5; i += 1) {
        await t.container.knex('fichas_lotes').insert({
          id: `LOT_00000000${String(i).padStart(2, '0')}`, empresa_id: escenario.empresa.id, router_id: routers[i % 2], producto_id: producto.id,
          producto_nombre: 'Ficha 1 hora', perfil_mikrotik_nombre: '1hora', precio: '12.50', moneda: 'MXN', tipo_usuario: i === 0 ? 'usuario_contrasena' : 'pin',
          cantidad: 10 + i, creado_en: new Date(base + i * 60_000),
        });
      }
      // A batch of another company is never counted.
      const stranger = await escenarioWithSession(t);
      const [p2] = await t.container.knex('productos').insert({
        empresa_id: stranger.empresa.id, router_id: stranger.router.id, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Otra', precio: '5.00',
      }).returning('id');
      await t.container.knex('fichas_lotes').insert({
        id: 'LOT_FFFFFFFFFF', empresa_id: stranger.empresa.id, router_id: stranger.router.id, producto_id: p2.id, producto_nombre: 'Otra',
        perfil_mikrotik_nombre: '1hora', precio: '5.00', moneda: 'MXN', tipo_usuario: 'pin', cantidad: 1,
      });
    });
    const list = (query: Record<string, unknown>) => t.request.get('/api/v1/admin/fichas/lotes').query(query).set(as(token));

    it('answers the newest batches without limit and pages with limit/offset, the total in X-Total-Count', async () => {
      const all = await list({});
      expect(all.status).to.equal(200);
      expect(all.body.map((l: { id: string }) => l.id)).to.deep.equal(['LOT_0000000004', 'LOT_0000000003', 'LOT_0000000002', 'LOT_0000000001', 'LOT_0000000000']);
      expect(all.headers['x-total-count']).to.equal('5');
      const page = await list({ limit: 2, offset: 2 });
      expect(page.body.map((l: { id: string }) => l.id)).to.deep.equal(['LOT_0000000002', 'LOT_0000000001']);
      expect(page.body[0].por_estado).to.deep.equal({ pendiente: 0, disponible: 0, usada: 0, expirada: 0, anulada: 0, fallida: 0 });
      expect(page.headers['x-total-count']).to.equal('5');
    });

    it('sorts by quantity and filters by router and by type', async () => {
      const byCantidad = await list({ sort: 'cantidad', order: 'ASC', limit: 2 });
      expect(byCantidad.body.map((l: { cantidad: number }) => l.cantidad)).to.deep.equal([10, 11]);
      const second = await list({ router_id: routers[1] });
      expect(second.body.map((l: { id: string }) => l.id)).to.deep.equal(['LOT_0000000003', 'LOT_0000000001']);
      expect(second.headers['x-total-count']).to.equal('2');
      const usuario = await list({ tipo_usuario: 'usuario_contrasena' });
      expect(usuario.body.map((l: { id: string }) => l.id)).to.deep.equal(['LOT_0000000000']);
      expect(usuario.headers['x-total-count']).to.equal('1');
      const bad = await list({ sort: 'codigo' });
      expect(bad.status).to.equal(422);
      expect(bad.body.code).to.equal('validation_error');
    });
  });

  describe('GET /api/v1/admin/mi-empresa/transacciones (an object with its total, as the original)', () => {
    it('pages by offset with the filtered total in the body, newest first', async () => {
      const escenario = await escenarioWithSession(t);
      const base = Date.parse('2026-03-01T00:00:00Z');
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const row = await insertTransaccion(t.container, {
          empresa_id: escenario.empresa.id, router_id: escenario.router.id, estado_pago: i === 2 ? 'declined' : 'paid', creado_en: new Date(base + i * 60_000),
        });
        ids.unshift(row.id);
      }
      const page = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ limit: 2, offset: 2 }).set(as(escenario.token));
      expect(page.status).to.equal(200);
      expect(page.body).to.include({ total: 5, limit: 2, offset: 2 });
      expect(page.body.transacciones.map((v: { id: string }) => v.id)).to.deep.equal(ids.slice(2, 4));
      const paid = await t.request.get('/api/v1/admin/mi-empresa/transacciones').query({ estado_pago: 'paid', limit: 1 }).set(as(escenario.token));
      expect(paid.body.total).to.equal(4);
    });
  });
});
