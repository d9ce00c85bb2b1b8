/** The captive portal's catalog (router key) and POST /api/v1/routers/validar-empresa-router. */
import { expect } from 'chai';
import { startTestApp, type TestContext } from '../support/harness';
import { insertApiKey, insertRouter } from '../support/fixtures';
import { explain, escenarioWithSession } from '../support/cliente';

describe('portal: catalog of this router', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  const key = (apiKey: string) => ({ 'X-API-Key': apiKey });

  async function insertProducto(empresaId: string, routerId: string, extra: Record<string, unknown> = {}) {
    const [row] = await t.container.knex('productos').insert({
      empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Plan', precio: '20.00', ...extra,
    }).returning('*');
    return row as { id: number; creado_en: Date };
  }

  it('lists only active, non-deleted products of the key router, featured first, then orden_visual and id', async () => {
    const a = await escenarioWithSession(t);
    const otherRouter = await insertRouter(t.container, a.empresa.id);
    const b = await escenarioWithSession(t);
    const p3 = await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'C', orden_visual: 1 });
    const p1 = await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'A', orden_visual: 5, destacado: true });
    const p4 = await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'D', orden_visual: 1 });
    const p2 = await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'B', orden_visual: 0 });
    await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'inactivo', activo: false });
    await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'eliminado', activo: false, eliminado_en: new Date() });
    await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'eliminado pero activo', eliminado_en: new Date() });
    await insertProducto(a.empresa.id, otherRouter.id, { nombre_venta: 'otro router' });
    await insertProducto(b.empresa.id, b.router.id, { nombre_venta: 'otra empresa' });

    const res = await t.request.get('/api/v1/catalogo_perfiles_venta').set(key(a.apiKey));
    expect(res.status).to.equal(200);
    expect(res.body.map((p: { id: number }) => p.id)).to.deep.equal([p1.id, p2.id, p3.id, p4.id]);
    expect(Object.keys(res.body[0])).to.have.members([
      'id', 'router_id', 'perfil_mikrotik_id', 'perfil_mikrotik_nombre', 'nombre_venta', 'descripcion', 'imagen_url', 'precio', 'precio_decimal', 'creado_en', 'moneda',
      'detalles', 'limit_uptime', 'limit_bytes_total', 'vigencia_minutos', 'limite_velocidad', 'dispositivos', 'vigencia_desde', 'destacado', 'orden_visual',
    ]);
    expect(res.body[0]).to.include({ precio: 20, precio_decimal: '20.00', moneda: 'MXN', destacado: true });
    // creado_en is the row's creation time in ISO 8601, also when the catalog comes from the cache.
    expect(res.body[0].creado_en).to.equal(new Date(p1.creado_en).toISOString());
    const again = await t.request.get('/api/v1/catalogo_perfiles_venta').set(key(a.apiKey));
    expect(again.body).to.deep.equal(res.body);

    const empty = await t.request.get('/api/v1/catalogo_perfiles_venta').set(key(b.apiKey));
    expect(empty.body.map((p: { nombre_venta: string }) => p.nombre_venta)).to.deep.equal(['otra empresa']);
  });

  it('one product: another router\'s, another company\'s, inactive, deleted or malformed is 404 "Producto no encontrado o no disponible"', async () => {
    const a = await escenarioWithSession(t);
    const otherRouter = await insertRouter(t.container, a.empresa.id);
    const b = await escenarioWithSession(t);
    const mine = await insertProducto(a.empresa.id, a.router.id, { nombre_venta: 'Mío' });
    const res = await t.request.get(`/api/v1/catalogo_perfiles_venta/${mine.id}`).set(key(a.apiKey));
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: mine.id, nombre_venta: 'Mío', precio: 20, precio_decimal: '20.00', creado_en: new Date(mine.creado_en).toISOString() });

    const unavailable = [
      (await insertProducto(a.empresa.id, otherRouter.id)).id,
      (await insertProducto(b.empresa.id, b.router.id)).id,
      (await insertProducto(a.empresa.id, a.router.id, { activo: false })).id,
      (await insertProducto(a.empresa.id, a.router.id, { eliminado_en: new Date() })).id,
      999999, 'abc', '0', '1e3',
    ];
    for (const id of unavailable) {
      const r = await t.request.get(`/api/v1/catalogo_perfiles_venta/${id}`).set(key(a.apiKey));
      expect(r.status, String(id)).to.equal(404);
      expect(r.body).to.deep.equal({ detail: 'Producto no encontrado o no disponible', code: 'not_found' });
    }
  });

  it('needs the router key: a session token or nothing is 401; a deleted product disappears at once', async () => {
    const a = await escenarioWithSession(t);
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta')).status).to.equal(401);
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta').set('Authorization', `Bearer ${a.token}`)).status).to.equal(401);
    const created = await insertProducto(a.empresa.id, a.router.id);
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta').set(key(a.apiKey))).body).to.have.length(1);
    await t.request.delete(`/api/v1/admin/products/${created.id}`).set('Authorization', `Bearer ${a.token}`);
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta').set(key(a.apiKey))).body).to.deep.equal([]);
  });

  it('is one query on the catalog index (no sequential scan)', async () => {
    const a = await escenarioWithSession(t);
    // Enough rows, spread over many routers, for the planner to prefer the index.
    await t.container.knex.raw(`
      INSERT INTO productos (empresa_id, router_id, perfil_mikrotik_nombre, nombre_venta, precio, orden_visual, destacado, activo)
      SELECT ?, ?, '1hora', 'Plan ' || g, 10.00, g % 7, g % 5 = 0, g % 3 <> 0 FROM generate_series(1, 200) g`, [a.empresa.id, a.router.id]);
    for (let i = 0; i < 20; i++) {
      const r = await insertRouter(t.container, a.empresa.id);
      await t.container.knex.raw(`
        INSERT INTO productos (empresa_id, router_id, perfil_mikrotik_nombre, nombre_venta, precio)
        SELECT ?, ?, '1hora', 'Plan ' || g, 10.00 FROM generate_series(1, 200) g`, [a.empresa.id, r.id]);
    }
    await t.container.knex.raw('ANALYZE productos');
    const principal = { keyId: a.keyId, routerId: a.router.id, empresaId: a.empresa.id };
    const nodes = await explain(t.container, t.container.catalogo.catalogQuery(principal));
    expect(nodes.map((n) => n['Node Type'])).not.to.include('Seq Scan');
    expect(nodes.some((n) => n['Index Name'] === 'productos_catalogo_orden')).to.equal(true);
    const res = await t.request.get('/api/v1/catalogo_perfiles_venta').set(key(a.apiKey));
    expect(res.body).to.have.length(134);
    await t.container.knex('productos').where({ empresa_id: a.empresa.id }).delete();
  });

  describe('POST /api/v1/routers/validar-empresa-router', () => {
    it('says which company and router the key belongs to, and checks the ones the portal expects', async () => {
      const a = await escenarioWithSession(t);
      const res = await t.request.post('/api/v1/routers/validar-empresa-router').set(key(a.apiKey)).send({});
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({
        valido: true, empresa_valida: true, router_valido: true, mensaje: 'La API Key es válida para esta empresa y este router',
        empresa: { id: a.empresa.id, nombre: a.empresa.nombre, activa: true },
      });
      expect(res.body.router).to.include({ id: a.router.id, activo: true });
      expect(res.body.api_key.key_id).to.equal(a.keyId);

      const same = await t.request.post('/api/v1/routers/validar-empresa-router').set('Authorization', `Bearer ${a.apiKey}`)
        .send({ empresa_id: a.empresa.id, router_id: a.router.id });
      expect(same.body.valido).to.equal(true);
      const noBody = await t.request.post('/api/v1/routers/validar-empresa-router').set(key(a.apiKey));
      expect(noBody.status).to.equal(200);

      const wrongEmpresa = await t.request.post('/api/v1/routers/validar-empresa-router').set(key(a.apiKey)).send({ empresa_id: 'EMP_0000000000' });
      expect(wrongEmpresa.body).to.include({ valido: false, empresa_valida: false, router_valido: true, mensaje: 'La API Key no pertenece a la empresa indicada' });
      const wrongRouter = await t.request.post('/api/v1/routers/validar-empresa-router').set(key(a.apiKey)).send({ router_id: 'RTR_00000000' });
      expect(wrongRouter.body).to.include({ valido: false, router_valido: false, mensaje: 'La API Key no pertenece al router indicado' });
    });

    it('an invalid, revoked or inactive key is 401; unknown fields are 422', async () => {
      const a = await escenarioWithSession(t);
      expect((await t.request.post('/api/v1/routers/validar-empresa-router').send({})).status).to.equal(401);
      expect((await t.request.post('/api/v1/routers/validar-empresa-router').set(key(a.apiKey)).send({ x: 1 })).status).to.equal(422);
      await t.container.knex('routers').where({ id: a.router.id }).update({ activo: false });
      await t.container.authGeneration.bump(); // what every admin write through the API does
      expect((await t.request.post('/api/v1/routers/validar-empresa-router').set(key(a.apiKey)).send({})).status).to.equal(401);
      const r2 = await insertRouter(t.container, a.empresa.id);
      const k2 = await insertApiKey(t.container, r2.id, a.empresa.id);
      await t.container.knex('router_api_keys').where({ key_id: k2.row.key_id }).update({ revoked: true, revoked_at: new Date() });
      await t.container.authGeneration.bump(); // what every admin write through the API does
      expect((await t.request.post('/api/v1/routers/validar-empresa-router').set(key(k2.apiKey)).send({})).status).to.equal(401);
    });
  });
});
