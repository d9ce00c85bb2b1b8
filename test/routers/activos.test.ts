/** Online hotspot sessions of a company's router, read live over the RouterOS API, and kicking one (issue 16). */
import { expect } from 'chai';
import type { RouterOsSimulator } from '../../sim/routeros';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertRouter } from '../support/fixtures';
import { as, closedPort, insertSimRouter, escenarioWithSession, trackedSims } from '../support/cliente';

describe('cliente admin: online sessions of a router (activos)', () => {
  let t: TestContext;
  const { sim, closeSims } = trackedSims();
  before(async () => { t = await startTestApp({ MIKROTIK_CONNECT_TIMEOUT_MS: '600', MIKROTIK_COMMAND_TIMEOUT_MS: '800' }); });
  after(async () => {
    await t.close();
    await closeSims();
  });
  const online = (s: RouterOsSimulator, name: string, ip: string, mac: string) => {
    s.state.addUser({ name, password: 'pw', profile: '1dia', 'limit-uptime': '1h' });
    return s.state.loginActive({ user: name, password: 'pw', ip, mac });
  };

  it('lists the sessions RouterOS prints, in snake_case, never a password', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim({ version: '7.18' });
    const router = await insertSimRouter(t.container, a.empresa.id, s);
    const empty = await t.request.get(`/api/v1/admin/routers/${router.id}/activos`).set(as(a.token));
    expect(empty.status, JSON.stringify(empty.body)).to.equal(200);
    expect(empty.body).to.deep.equal([]); // RouterOS 7.18 answers an empty print with !empty

    const id1 = online(s, 'ana01', '10.5.50.23', 'aa:bb:cc:dd:ee:01');
    online(s, 'beto02', '10.5.50.24', 'AA:BB:CC:DD:EE:02');
    s.state.addActiveTraffic(id1, { bytesIn: 1_048_576, bytesOut: 5_242_880 });
    const res = await t.request.get(`/api/v1/admin/routers/${router.id}/activos`).set(as(a.token));
    expect(res.status).to.equal(200);
    expect(res.body).to.have.length(2);
    const ana = res.body.find((x: { user: string }) => x.user === 'ana01');
    expect(ana).to.include({ id: id1, server: 'hotspot1', address: '10.5.50.23', mac_address: 'AA:BB:CC:DD:EE:01', login_by: 'http-pap', bytes_in: 1048576, bytes_out: 5242880 });
    expect(ana.uptime).to.match(/^\d+s$/);
    expect(ana.session_time_left).to.be.a('string');
    expect(Object.keys(ana)).to.have.members(['id', 'server', 'user', 'address', 'mac_address', 'login_by', 'uptime', 'idle_time', 'session_time_left', 'bytes_in', 'bytes_out']);
    expect(JSON.stringify(res.body)).not.to.include(s.password);
  });

  it('desconectar removes that session on the router; an unknown or malformed id is 404 in Spanish', async () => {
    const a = await escenarioWithSession(t);
    const s = await sim();
    const router = await insertSimRouter(t.container, a.empresa.id, s);
    const id1 = online(s, 'carla03', '10.5.50.30', 'AA:BB:CC:DD:EE:03');
    const id2 = online(s, 'dani04', '10.5.50.31', 'AA:BB:CC:DD:EE:04');

    const res = await t.request.post(`/api/v1/admin/routers/${router.id}/activos/${encodeURIComponent(id1)}/desconectar`).set(as(a.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ message: 'Sesión desconectada', router_id: router.id, id: id1 });
    expect(s.state.activeList.map((x) => x['.id'])).to.deep.equal([id2]);
    expect(s.state.findUser('carla03'), 'the user stays; only the session goes').to.exist;

    for (const bad of [id1, '*FFFF', 'x', '1A', '*1;/system/reboot']) {
      const again = await t.request.post(`/api/v1/admin/routers/${router.id}/activos/${encodeURIComponent(bad)}/desconectar`).set(as(a.token));
      expect(again.status, bad).to.equal(404);
      expect(again.body).to.deep.equal({ detail: 'Sesión activa no encontrada en el router', code: 'not_found' });
    }
    expect(s.state.activeList.map((x) => x['.id'])).to.deep.equal([id2]);
    const list = await t.request.get(`/api/v1/admin/routers/${router.id}/activos`).set(as(a.token));
    expect(list.body.map((x: { user: string }) => x.user)).to.deep.equal(['dani04']);
  });

  it('a router that refuses is 502, one that never answers is 504, both in Spanish and within the timeouts, never 500', async () => {
    const a = await escenarioWithSession(t);
    const refused = await insertRouter(t.container, a.empresa.id, { host: '127.0.0.1', puerto: await closedPort() });
    const r1 = await t.request.get(`/api/v1/admin/routers/${refused.id}/activos`).set(as(a.token));
    expect(r1.status).to.equal(502);
    expect(r1.body).to.deep.equal({ detail: 'No se pudo conectar con el router: conexión rechazada', code: 'router_unreachable' });
    const k1 = await t.request.post(`/api/v1/admin/routers/${refused.id}/activos/%2A1/desconectar`).set(as(a.token));
    expect(k1.status).to.be.oneOf([502, 503]);
    expect(k1.body.detail).to.match(/router/);

    const s = await sim();
    await s.faults.set({ acceptAndHang: true });
    const hanging = await insertSimRouter(t.container, a.empresa.id, s);
    // The router never answers: a 504 at all is the configured timeout firing.
    const r2 = await t.request.get(`/api/v1/admin/routers/${hanging.id}/activos`).set(as(a.token));
    expect(r2.status, JSON.stringify(r2.body)).to.equal(504);
    expect(r2.body.detail).to.match(/^No se pudo conectar con el router: /);
  });

  it('another company\'s router is 404 and is never contacted; an inactive router is 400; a super admin is 403', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    const s = await sim();
    const routerB = await insertSimRouter(t.container, b.empresa.id, s);
    const id = online(s, 'eva05', '10.5.50.40', 'AA:BB:CC:DD:EE:05');
    const list = await t.request.get(`/api/v1/admin/routers/${routerB.id}/activos`).set(as(a.token));
    expect(list.status).to.equal(404);
    expect(list.body).to.deep.equal({ detail: 'Router no encontrado', code: 'not_found' });
    const kick = await t.request.post(`/api/v1/admin/routers/${routerB.id}/activos/${encodeURIComponent(id)}/desconectar`).set(as(a.token));
    expect(kick.status).to.equal(404);
    expect(kick.body).to.deep.equal({ detail: 'Router no encontrado', code: 'not_found' });
    expect(s.state.counters.connectionsAccepted).to.equal(0);
    expect(s.state.activeList).to.have.length(1);

    const inactive = await insertSimRouter(t.container, a.empresa.id, s, { activo: false });
    const r = await t.request.get(`/api/v1/admin/routers/${inactive.id}/activos`).set(as(a.token));
    expect(r.status).to.equal(400);
    expect(r.body).to.deep.equal({ detail: 'El router está inactivo', code: 'bad_request' });

    const root = await loginSuperAdmin(t);
    expect((await t.request.get(`/api/v1/admin/routers/${routerB.id}/activos`).set(as(root))).status).to.equal(403);
    expect((await t.request.get(`/api/v1/admin/routers/${routerB.id}/activos`)).status).to.equal(401);
  });
});
