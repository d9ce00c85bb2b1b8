/**
 * A mode per router (issue 22, item 1): `modo` on create and update (super
 * admin and company admin), shown wherever a router is read; in radius mode the
 * API connection fields are optional and the router is never dialled: the
 * endpoints that dial answer 409 `modo_radius`, and validar-empresa-router and
 * the company admin's connection check answer from the heartbeat.
 */
import { expect } from 'chai';
import { as, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertSimRouter, insertTransaccion, escenarioWithSession, trackedSims } from '../support/cliente';
import { insertApiKey } from '../support/fixtures';

describe('RADIUS mode: modo on the router endpoints', () => {
  let t: TestContext;
  let root: string;
  const { sim, closeSims } = trackedSims();
  before(async () => {
    t = await startTestApp();
    root = await loginSuperAdmin(t);
  });
  after(async () => {
    await t?.close();
    await closeSims();
  });

  it('super admin: creates in radius mode without host, user or password; api mode still requires them; modo is shown on every read', async () => {
    const a = await escenarioWithSession(t);
    const e = a.empresa.id;
    const api = await t.request.post(`/admin/empresas/${e}/routers`).set(as(root)).send({ empresa_id: e, nombre: 'Sin host', modo: 'api' });
    expect(api.status).to.equal(422);
    expect(api.body).to.include({ detail: "El campo 'host' es obligatorio", code: 'validation_error' });
    const bad = await t.request.post(`/admin/empresas/${e}/routers`).set(as(root)).send({ empresa_id: e, nombre: 'X', modo: 'tunel' });
    expect(bad.status).to.equal(422);

    const created = await t.request.post(`/admin/empresas/${e}/routers`).set(as(root)).send({ empresa_id: e, nombre: 'Detrás de NAT', modo: 'radius' });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    expect(created.body).to.include({ modo: 'radius', host: null, usuario: null, radius_direccion: null, ultimo_latido: null });
    // The check after saving comes from the heartbeats: a router without a host is never dialled.
    expect(created.body).to.include({
      conexion_ok: false, mensaje: 'El router (modo RADIUS) no ha enviado su latido en los últimos minutos.', error: 'El router aún no ha enviado ningún latido',
    });
    expect(JSON.stringify(created.body)).not.to.match(/rtk_|radius_secret|token/);
    const id = created.body.id as string;

    const got = await t.request.get(`/admin/empresas/${e}/routers/${id}`).set(as(root));
    expect(got.body.modo).to.equal('radius');
    const list = await t.request.get(`/admin/empresas/${e}/routers`).set(as(root));
    expect(list.body.map((r: { id: string; modo: string }) => [r.id, r.modo])).to.deep.include.members([[a.router.id, 'api'], [id, 'radius']]);
    const mine = await t.request.get('/api/v1/admin/routers').set(as(a.token));
    expect(mine.body.find((r: { id: string }) => r.id === id).modo).to.equal('radius');
    const compat = await t.request.get('/api/v1/admin/mi-empresa/routers').set(as(a.token));
    expect(compat.body.routers.find((r: { id: string }) => r.id === id).modo).to.equal('radius');
    const one = await t.request.get(`/api/v1/admin/routers/${id}`).set(as(a.token));
    expect(one.body.modo).to.equal('radius');

    // Sealed credentials exist from creation.
    const row = await t.container.knex('routers').where({ id }).first('radius_secret_enc', 'token_enc', 'token_hash');
    expect(row.radius_secret_enc).to.match(/^gAAAAA/);
    expect(row.token_enc).to.match(/^gAAAAA/);
    expect(row.token_hash).to.match(/^[0-9a-f]{64}$/);
  });

  it('super admin: switching to radius generates the credentials once; back to api needs the connection fields and stops FreeRADIUS serving it', async () => {
    const a = await escenarioWithSession(t);
    const e = a.empresa.id;
    const r = a.router.id;
    const toRadius = await t.request.put(`/admin/empresas/${e}/routers/${r}`).set(as(root)).send({ modo: 'radius' });
    expect(toRadius.status, JSON.stringify(toRadius.body)).to.equal(200);
    expect(toRadius.body.modo).to.equal('radius');
    expect(toRadius.body).to.include({ conexion_ok: false, error: 'El router aún no ha enviado ningún latido' });
    const first = await t.container.radiusRouters.credenciales(r);
    expect(first.radius_secret).to.be.a('string');

    // A heartbeat's nas row, as if the router had reported an address.
    await t.container.knex.withSchema(`${t.config.database.schema}_radius`).table('nas').insert({ nasname: '127.0.0.41', shortname: r, secret: first.radius_secret });
    await t.container.knex('routers').where({ id: r }).update({ radius_direccion: '127.0.0.41', ultimo_latido: new Date() });

    const back = await t.request.put(`/admin/empresas/${e}/routers/${r}`).set(as(root)).send({ modo: 'api' });
    expect(back.status, JSON.stringify(back.body)).to.equal(200); // its host, user and password were kept
    expect(back.body).to.include({ modo: 'api', radius_direccion: null });
    expect(await t.container.knex.withSchema(`${t.config.database.schema}_radius`).table('nas').where({ shortname: r })).to.deep.equal([]);

    await t.container.knex('routers').where({ id: r }).update({ ultimo_latido: new Date() });
    const again = await t.request.put(`/admin/empresas/${e}/routers/${r}`).set(as(root)).send({ modo: 'radius' });
    expect(again.status).to.equal(200);
    // A heartbeat a moment ago: the check says so (still without dialling).
    expect(again.body).to.include({ conexion_ok: true, mensaje: 'El router (modo RADIUS) envió su latido hace poco.', error: null });
    // The router's configuration stays valid across the round trip: same secret and token.
    expect(await t.container.radiusRouters.credenciales(r)).to.deep.equal(first);

    const created = await t.request.post(`/admin/empresas/${e}/routers`).set(as(root)).send({ empresa_id: e, nombre: 'Solo RADIUS', modo: 'radius' });
    const toApi = await t.request.put(`/admin/empresas/${e}/routers/${created.body.id}`).set(as(root)).send({ modo: 'api', host: '127.0.0.9', password: 'api-pass' });
    expect(toApi.status).to.equal(422);
    expect(toApi.body.detail).to.equal("El campo 'usuario' es obligatorio");
  });

  it('company admin: PUT mi-empresa/routers/{id} sets modo; in radius mode the answer comes from the heartbeat and the router is never dialled', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    const router = await insertSimRouter(t.container, a.empresa.id, s);
    const res = await t.request.put(`/api/v1/admin/mi-empresa/routers/${router.id}`).set(as(a.token)).send({ modo: 'radius' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.router.modo).to.equal('radius');
    expect(res.body.conexion_ok).to.equal(false);
    expect(res.body.error).to.equal('El router aún no ha enviado ningún latido');

    await t.container.knex('routers').where({ id: router.id }).update({ ultimo_latido: new Date() });
    const again = await t.request.put(`/api/v1/admin/mi-empresa/routers/${router.id}`).set(as(a.token)).send({ nombre: 'Lobby NAT' });
    expect(again.body).to.include({ conexion_ok: true, error: null });

    // Every endpoint that dials: 409 modo_radius in Spanish, and the simulator saw no connection.
    for (const path of ['test-connection', 'mikrotik-profiles']) {
      const r = await t.request.get(`/api/v1/admin/routers/${router.id}/${path}`).set(as(a.token));
      expect(r.status, path).to.equal(409);
      expect(r.body.code, path).to.equal('modo_radius');
      expect(r.body.detail, path).to.match(/modo RADIUS/);
    }
    // Online sessions come from accounting (radius-flows; test/radius/flows.test.ts): none yet.
    const activos = await t.request.get(`/api/v1/admin/routers/${router.id}/activos`).set(as(a.token));
    expect(activos.status).to.equal(200);
    expect(activos.body).to.deep.equal([]);
    const kick = await t.request.post(`/api/v1/admin/routers/${router.id}/activos/%2A1A/desconectar`).set(as(a.token));
    expect(kick.status).to.equal(409);
    expect(kick.body.code).to.equal('modo_radius');
    expect(s.state.counters.connectionsAccepted).to.equal(0);
  });

  it('the portal: validar-empresa-router answers from the heartbeat, auto-reconnect is 409 modo_radius; nothing dials the router', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    const router = await insertSimRouter(t.container, a.empresa.id, s, { modo: 'radius' });
    const key = await insertApiKey(t.container, router.id, a.empresa.id);

    const silent = await t.request.post('/api/v1/routers/validar-empresa-router').set('X-API-Key', key.apiKey).send({});
    expect(silent.status, JSON.stringify(silent.body)).to.equal(200);
    expect(silent.body).to.include({ estado: 'router_inactivo', conexion_ok: false, valido: true });

    await t.container.knex('routers').where({ id: router.id }).update({ ultimo_latido: new Date(Date.now() - 30_000) });
    const alive = await t.request.post('/api/v1/routers/validar-empresa-router').set('X-API-Key', key.apiKey).send({});
    expect(alive.body).to.include({ estado: 'activo', conexion_ok: true, success: true });

    await t.container.knex('routers').where({ id: router.id }).update({ ultimo_latido: new Date(Date.now() - 6 * 60_000) });
    const stale = await t.request.post('/api/v1/routers/validar-empresa-router').set('X-API-Key', key.apiKey).send({});
    expect(stale.body).to.include({ estado: 'router_inactivo', conexion_ok: false });

    const sale = await insertTransaccion(t.container, {
      empresa_id: a.empresa.id, router_id: router.id, estado_pago: 'paid', hotspot_expira_en: new Date(Date.now() + 3600_000),
    });
    const reconnect = await t.request.post('/api/v1/hotspot/auto-reconnect').set('X-API-Key', key.apiKey).send({
      usuario: sale.hotspot_usuario, contrasena: t.container.secrets.open(sale.hotspot_password_enc as string), mac_cliente: 'AA:BB:CC:00:11:22', ip_cliente: '10.5.50.23',
    });
    expect(reconnect.status, JSON.stringify(reconnect.body)).to.equal(409);
    expect(reconnect.body.code).to.equal('modo_radius');
    expect(s.state.counters.connectionsAccepted).to.equal(0);
  });
});
