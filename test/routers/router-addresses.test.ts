/**
 * Issue 21, items 8 and 9, and issue 23, item 8: router addresses cannot probe
 * the server's network (refused when saved, checked again when dialled, the
 * stored password never sent to a new host), the portal's
 * validar-empresa-router respects the circuit breaker, and the super admin's
 * router create and update say at once whether the API credentials work.
 */
import { expect } from 'chai';
import { as, loginAs, loginSuperAdmin } from '../support/harness';
import { startStack, type Stack } from '../support/stack';

describe('routers: addresses that cannot probe our network (issue 21, item 8)', function () {
  this.timeout(60_000);
  let s: Stack;
  let root: string;
  let admin: string;
  // Loopback is not allowed here: only a VPN's network is (the tenant's simulator is on 127.0.0.1).
  before(async () => {
    s = await startStack({ worker: false, env: { ROUTER_ALLOWED_NETWORKS: '10.77.0.0/16' } });
    root = await loginSuperAdmin(s.t);
    admin = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });
  after(async () => { await s.close(); });

  const REFUSED = ['127.0.0.1', '10.1.2.3', '172.16.0.5', '192.168.88.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', 'fe80::1', 'fd00:ec2::254', '::ffff:10.0.0.1', 'localhost'];
  const newRouter = (host: string) => ({ empresa_id: s.escenario.empresaId, nombre: 'Router Nuevo', host, puerto: 8728, usuario: 'api', password: 'api-pass' });

  it('super admins cannot create or move a router to loopback, private, link-local or metadata addresses (a Spanish 422)', async () => {
    const before = await s.t.container.knex('routers').count<{ count: string }[]>('* as count').first();
    for (const host of REFUSED) {
      const res = await s.t.request.post(`/admin/empresas/${s.escenario.empresaId}/routers`).set(as(root)).send(newRouter(host));
      expect(res.status, `${host}: ${JSON.stringify(res.body)}`).to.equal(422);
      expect(res.body.code).to.equal('router_address_refused');
      expect(res.body.detail).to.match(/no (está )?permitida/).and.contain('ROUTER_ALLOWED_NETWORKS');
      const moved = await s.t.request.put(`/admin/empresas/${s.escenario.empresaId}/routers/${s.escenario.routerId}`).set(as(root)).send({ host, password: 'x-pass-123' });
      expect(moved.status, `${host}: ${JSON.stringify(moved.body)}`).to.equal(422);
      expect(moved.body.code).to.equal('router_address_refused');
    }
    expect(await s.t.container.knex('routers').count<{ count: string }[]>('* as count').first()).to.deep.equal(before);
    expect((await s.t.request.post(`/admin/empresas/${s.escenario.empresaId}/routers`).set(as(root)).send(newRouter('localhost'))).body.detail).to.contain('apunta a');
    // Inside ROUTER_ALLOWED_NETWORKS a private address is fine.
    const vpn = await s.t.request.post(`/admin/empresas/${s.escenario.empresaId}/routers`).set(as(root)).send(newRouter('10.77.3.4'));
    expect(vpn.status, JSON.stringify(vpn.body)).to.equal(200);
    expect(vpn.body.host).to.equal('10.77.3.4');
  });

  it("a company admin cannot point its router at our network: the port scan of the finding gets the same 422 for open and closed ports, and nothing is dialled", async () => {
    const accepted = s.sim.state.counters.connectionsAccepted;
    const answers = new Set<string>();
    for (const puerto of [s.sim.port, 1, 5432, 6379]) {
      const res = await s.t.request.put(`/api/v1/admin/mi-empresa/routers/${s.escenario.routerId}`).set(as(admin)).send({ host: '127.0.0.1', puerto, password: 'probe-pass' });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      answers.add(JSON.stringify(res.body));
    }
    expect(answers.size).to.equal(1);
    expect(s.sim.state.counters.connectionsAccepted).to.equal(accepted);
  });

  it('changing the host requires the router password again: the stored one is never sent to a new address', async () => {
    const router = await s.t.request.post(`/admin/empresas/${s.escenario.empresaId}/routers`).set(as(root)).send(newRouter('10.77.0.9'));
    expect(router.status).to.equal(200);
    const stored = (await s.t.container.knex('routers').where({ id: router.body.id }).first()).password_enc;
    for (const [path, token] of [[`/admin/empresas/${s.escenario.empresaId}/routers/${router.body.id}`, root]]) {
      const res = await s.t.request.put(path).set(as(token)).send({ host: '10.77.0.10' });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body).to.include({ code: 'router_password_required', field: 'password' });
    }
    const mine = await s.t.request.put(`/api/v1/admin/mi-empresa/routers/${s.escenario.routerId}`).set(as(admin)).send({ host: '10.77.0.11' });
    expect(mine.status, JSON.stringify(mine.body)).to.equal(422);
    expect(mine.body.code).to.equal('router_password_required');
    expect((await s.t.container.knex('routers').where({ id: router.body.id }).first()).password_enc).to.equal(stored);
    // The same host, or another field, needs no password.
    const renamed = await s.t.request.put(`/admin/empresas/${s.escenario.empresaId}/routers/${router.body.id}`).set(as(root)).send({ host: '10.77.0.9', nombre: 'Renombrado' });
    expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
    const moved = await s.t.request.put(`/admin/empresas/${s.escenario.empresaId}/routers/${router.body.id}`).set(as(root)).send({ host: '10.77.0.10', password: 'otra-clave' });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
  });

  it('an existing router outside the allowed networks is not dialled, and the answer says why', async () => {
    // The tenant's router was saved (on loopback) before the rule: the connection test refuses to dial it.
    const accepted = s.sim.state.counters.connectionsAccepted;
    const detail = await s.t.request.get(`/api/v1/admin/routers/${s.escenario.routerId}`).set(as(admin));
    expect(detail.status).to.equal(200);
    expect(detail.body.aviso_direccion).to.contain('no contacta este router').and.contain('127.0.0.1');
    const res = await s.t.request.get(`/api/v1/admin/routers/${s.escenario.routerId}/test-connection`).set(as(admin));
    expect(res.status).to.be.within(400, 599);
    expect(res.body.detail).to.contain('127.0.0.1').and.match(/no está permitida/);
    const portal = await s.t.request.post('/api/v1/routers/validar-empresa-router').set('Authorization', `Bearer ${s.escenario.apiKey}`).send({});
    expect(portal.body).to.include({ conexion_ok: false, estado: 'router_inactivo' });
    // A DNS name is resolved and checked again when dialled: one that points at loopback is not dialled either.
    await s.t.container.knex('routers').where({ id: s.escenario.routerId }).update({ host: 'localhost' });
    const named = await s.t.request.get(`/api/v1/admin/routers/${s.escenario.routerId}/test-connection`).set(as(admin));
    expect(named.status).to.be.within(400, 599);
    expect(named.body.detail).to.contain('localhost apunta a');
    expect(s.sim.state.counters.connectionsAccepted).to.equal(accepted);
  });
});

describe('routers: the portal check respects the breaker, and a router is probed when saved (issue 21.9, issue 23.8)', function () {
  this.timeout(60_000);
  let s: Stack;
  let root: string;
  before(async () => {
    s = await startStack({ worker: false, env: { MIKROTIK_BREAKER_COOLDOWN_MS: '60000', MIKROTIK_CONNECT_TIMEOUT_MS: '500' } });
    root = await loginSuperAdmin(s.t);
  });
  after(async () => { await s.close(); });
  afterEach(() => s.clearFaults());

  it('validar-empresa-router: once the breaker opens, calls answer router_inactivo without dialling the hanging router', async () => {
    await s.sim.faults.set({ acceptAndHang: true });
    const validar = () => s.t.request.post('/api/v1/routers/validar-empresa-router').set('Authorization', `Bearer ${s.escenario.apiKey}`).send({});
    for (let i = 0; i < 3; i += 1) {
      const res = await validar();
      expect(res.body).to.include({ success: false, estado: 'router_inactivo', conexion_ok: false });
    }
    const dialled = s.sim.state.counters.connectionsAccepted;
    for (let i = 0; i < 5; i += 1) {
      const res = await validar();
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ success: false, estado: 'router_inactivo', conexion_ok: false });
      expect(res.body.error_detalle).to.contain('El router no responde');
    }
    expect(s.sim.state.counters.connectionsAccepted).to.equal(dialled);
  });

  it('the super admin creates and updates a router and is told at once whether its API credentials work (saved either way)', async () => {
    const base = `/admin/empresas/${s.escenario.empresaId}/routers`;
    const wrong = await s.t.request.post(base).set(as(root))
      .send({ empresa_id: s.escenario.empresaId, nombre: 'Router Bar', host: s.sim.host, puerto: s.sim.port, usuario: s.sim.username, password: 'no-es-la-clave' });
    expect(wrong.status, JSON.stringify(wrong.body)).to.equal(200);
    expect(wrong.body).to.include({ conexion_ok: false, mensaje: 'No se pudo conectar con el router.' });
    expect(wrong.body.error).to.match(/contraseña/i);
    expect(wrong.body.api_key).to.match(/^jwt_/);
    expect(await s.t.container.knex('routers').where({ id: wrong.body.id }).first()).to.include({ nombre: 'Router Bar' });

    const fixed = await s.t.request.put(`${base}/${wrong.body.id}`).set(as(root)).send({ password: s.sim.password });
    expect(fixed.status, JSON.stringify(fixed.body)).to.equal(200);
    expect(fixed.body).to.include({ conexion_ok: true, error: null, nombre: 'Router Bar' });
    expect(fixed.body.mensaje).to.equal('Conexión exitosa con el router.');
    expect(JSON.stringify(fixed.body)).to.not.contain(s.sim.password);

    const ok = await s.t.request.post(base).set(as(root))
      .send({ empresa_id: s.escenario.empresaId, nombre: 'Router Terraza', host: s.sim.host, puerto: s.sim.port, usuario: s.sim.username, password: s.sim.password });
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ conexion_ok: true, error: null });
  });
});
