/** The company's routers: list/get, hotspot profiles read live, connection test, and their failures. */
import { expect } from 'chai';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertRouter } from '../support/fixtures';
import { as, closedPort, insertSimRouter, escenarioWithSession, trackedSims } from '../support/cliente';

describe('cliente admin: routers and MikroTik', () => {
  let t: TestContext;
  const { sim, closeSims } = trackedSims();
  before(async () => { t = await startTestApp(); });
  after(async () => {
    await t.close();
    await closeSims();
  });

  it('lists only the company routers, never a password, with product counts', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    const second = await insertRouter(t.container, a.empresa.id, { activo: false, ubicacion: 'Terraza' });
    await t.container.knex('productos').insert([
      { empresa_id: a.empresa.id, router_id: a.router.id, perfil_mikrotik_nombre: 'p', nombre_venta: 'n', precio: '1.00' },
      { empresa_id: a.empresa.id, router_id: a.router.id, perfil_mikrotik_nombre: 'p', nombre_venta: 'n', precio: '1.00', activo: false },
      { empresa_id: a.empresa.id, router_id: a.router.id, perfil_mikrotik_nombre: 'p', nombre_venta: 'n', precio: '1.00', eliminado_en: new Date() },
    ]);
    const res = await t.request.get('/api/v1/admin/routers').set(as(a.token));
    expect(res.status).to.equal(200);
    expect(res.body.map((r: { id: string }) => r.id)).to.have.members([a.router.id, second.id]);
    const first = res.body.find((r: { id: string }) => r.id === a.router.id);
    expect(first.productos).to.deep.equal({ total: 2, activos: 1 });
    expect(Object.keys(first)).to.have.members(['id', 'empresa_id', 'nombre', 'host', 'puerto', 'tls', 'usuario', 'ubicacion', 'activo', 'creado_en', 'actualizado_en', 'prueba', 'modo', 'radius_direccion', 'ultimo_latido', 'direccion_compartida', 'direccion_compartida_en', 'productos']);
    const text = JSON.stringify(res.body);
    expect(text).not.to.include('password');
    expect(text).not.to.include('router-pass');
    expect(text).not.to.include(b.router.id);

    const one = await t.request.get(`/api/v1/admin/routers/${second.id}`).set(as(a.token));
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ id: second.id, activo: false, ubicacion: 'Terraza' });
    for (const id of [b.router.id, 'RTR_FFFFFFFF', 'x']) {
      const r = await t.request.get(`/api/v1/admin/routers/${id}`).set(as(a.token));
      expect(r.status, id).to.equal(404);
      expect(r.body).to.deep.equal({ detail: 'Router no encontrado', code: 'not_found' });
    }
  });

  it('reads the hotspot profiles from the router with their settings', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    const router = await insertSimRouter(t.container, a.empresa.id, s);
    const res = await t.request.get(`/api/v1/admin/routers/${router.id}/mikrotik-profiles`).set(as(a.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.map((p: { name: string }) => p.name)).to.deep.equal(['default', '1hora', '1dia']);
    const hora = res.body.find((p: { name: string }) => p.name === '1hora');
    expect(hora).to.include({ session_timeout: '1h', rate_limit: '2M/5M', shared_users: 1, is_default: false });
    expect(hora.id).to.match(/^\*[0-9A-F]+$/);
    const dia = res.body.find((p: { name: string }) => p.name === '1dia');
    expect(dia).to.include({ session_timeout: '1d', idle_timeout: '10m', shared_users: 2, address_list: 'pagados', mac_cookie_timeout: '1d' });
    expect(dia).to.have.property('keepalive_timeout');
    expect(res.body.find((p: { name: string }) => p.name === 'default').is_default).to.equal(true);
  });

  it('tests the connection: identity, version and latency', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim({ version: '7.18' });
    const router = await insertSimRouter(t.container, a.empresa.id, s);
    const res = await t.request.get(`/api/v1/admin/routers/${router.id}/test-connection`).set(as(a.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ success: true, router_id: router.id, message: 'Conexión exitosa con el router', identity: 'MikroTik-Lobby' });
    expect(res.body.version).to.match(/^7\.18/);
    expect(res.body.latency_ms).to.be.a('number');
    expect(JSON.stringify(res.body)).not.to.include(s.password);
  });

  it('an inactive router is 400 "El router está inactivo" and is not contacted', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    const router = await insertSimRouter(t.container, a.empresa.id, s, { activo: false });
    for (const path of ['mikrotik-profiles', 'test-connection']) {
      const res = await t.request.get(`/api/v1/admin/routers/${router.id}/${path}`).set(as(a.token));
      expect(res.status, path).to.equal(400);
      expect(res.body).to.deep.equal({ detail: 'El router está inactivo', code: 'bad_request' });
    }
    expect(s.state.counters.connectionsAccepted).to.equal(0);
  });

  it('an unreachable router answers with the router error (refused: 502), never a 500 nor the password', async () => {
    const a = await escenarioWithSession(t);
    const router = await insertRouter(t.container, a.empresa.id, { host: '127.0.0.1', puerto: await closedPort() });
    for (const path of ['test-connection', 'mikrotik-profiles']) {
      const res = await t.request.get(`/api/v1/admin/routers/${router.id}/${path}`).set(as(a.token));
      expect(res.status, path).to.equal(502);
      expect(res.body).to.deep.equal({ detail: 'No se pudo conectar con el router: conexión rechazada', code: 'router_unreachable' });
    }
  });

  it('a router that accepts but never answers fails within the configured timeout (504)', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    await s.faults.set({ acceptAndHang: true });
    const router = await insertSimRouter(t.container, a.empresa.id, s);
    // The router never answers: a 504 at all is the configured timeout firing (MIKROTIK_CONNECT_TIMEOUT_MS is 1000 in the tests).
    const res = await t.request.get(`/api/v1/admin/routers/${router.id}/test-connection`).set(as(a.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(504);
    expect(res.body.detail).to.match(/^No se pudo conectar con el router: /);
  });

  it('wrong API credentials are a 502 with the router message', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    const router = await insertSimRouter(t.container, a.empresa.id, s, { password_enc: t.container.secrets.seal('otra-clave') });
    const res = await t.request.get(`/api/v1/admin/routers/${router.id}/mikrotik-profiles`).set(as(a.token));
    expect(res.status).to.equal(502);
    expect(res.body).to.deep.equal({ detail: 'El router rechazó el usuario o la contraseña de la API', code: 'router_auth_failed' });
    expect(JSON.stringify(res.body)).not.to.include('otra-clave');
  });

  it('another company\'s router is 404 without contacting it; a super admin is 403', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    const s = await sim();
    const routerB = await insertSimRouter(t.container, b.empresa.id, s);
    for (const path of ['mikrotik-profiles', 'test-connection']) {
      const res = await t.request.get(`/api/v1/admin/routers/${routerB.id}/${path}`).set(as(a.token));
      expect(res.status, path).to.equal(404);
      expect(res.body).to.deep.equal({ detail: 'Router no encontrado', code: 'not_found' });
    }
    expect(s.state.counters.connectionsAccepted).to.equal(0);
    const root = await loginSuperAdmin(t);
    expect((await t.request.get(`/api/v1/admin/routers/${routerB.id}/test-connection`).set(as(root))).status).to.equal(403);
    expect((await t.request.get('/api/v1/admin/routers').set(as(root))).status).to.equal(403);
  });
});
