import { expect } from 'chai';
import { startRouterOsSimulator, type RouterOsSimulator } from '../../sim/routeros';
import { renderTrialRouterOsLines } from '../../src/integrations/mikrotik';
import { as, loginAs, loginSuperAdmin } from '../support/harness';
import { startStack, type Stack, type Escenario } from '../support/stack';

describe("the router's trial login, set from the service (issue 24)", function () {
  this.timeout(60_000);
  let s: Stack;
  let noHotspot: RouterOsSimulator;
  before(async () => {
    s = await startStack({ worker: false });
    noHotspot = await startRouterOsSimulator({ port: 0, username: 'api', password: 'api-pass', servers: [] });
  });
  after(async () => {
    await s?.close();
    await noHotspot?.close();
  });

  const serverProfile = (sim: RouterOsSimulator = s.sim) => sim.state.hotspot.profileList.find((p) => p.name === 'hsprof1')!;
  const userProfile = (name: string) => s.sim.state.profileList.find((p) => p.name === name);
  const cliente = async (escenario: Escenario) => as(await loginAs(s.t, escenario.admin.email, escenario.admin.password));
  const updateOwn = async (escenario: Escenario, prueba: unknown) =>
    s.t.request.put(`/api/v1/admin/mi-empresa/routers/${escenario.routerId}`).set(await cliente(escenario)).send({ prueba });

  it('the company admin turns it on: login-by keeps what it had and gains trial, with our limits and speed; config/public tells the portal; one trial per device', async () => {
    expect(serverProfile()['login-by']).to.equal('cookie,http-chap');
    const res = await updateOwn(s.escenario, { activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M/2M' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.router.prueba).to.deep.equal({ activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M/2M' });
    expect(serverProfile()).to.include({ 'login-by': 'cookie,http-chap,trial', 'trial-uptime-limit': '10m', 'trial-uptime-reset': '1d', 'trial-user-profile': 'pagos-prueba' });
    expect(userProfile('pagos-prueba')).to.include({ 'rate-limit': '1M/2M' });

    const read = await s.t.request.get('/api/v1/admin/mi-empresa/routers').set(await cliente(s.escenario));
    expect(JSON.stringify(read.body)).to.contain('"prueba":{"activa":true,"minutos":10');
    const pub = await s.t.request.get('/api/v1/config/public').set('X-API-Key', s.escenario.apiKey);
    expect(pub.status).to.equal(200);
    expect(pub.body.prueba).to.deep.equal({ activa: true, minutos: 10 });

    // The router grants it once per device and period.
    s.sim.state.loginTrial({ ip: '10.5.50.20', mac: 'AA:BB:CC:00:00:01' });
    expect(s.sim.state.activeList.find((a) => a.address === '10.5.50.20')).to.include({ 'login-by': 'trial', user: 'T-AA:BB:CC:00:00:01' });
    expect(() => s.sim.state.loginTrial({ ip: '10.5.50.21', mac: 'AA:BB:CC:00:00:01' })).to.throw(/used up/);

    // A change of minutes only: the rest is kept, applied again.
    const shorter = await updateOwn(s.escenario, { minutos: 15 });
    expect(shorter.body.router.prueba).to.include({ activa: true, minutos: 15, limite_velocidad: '1M/2M' });
    expect(serverProfile()).to.include({ 'login-by': 'cookie,http-chap,trial', 'trial-uptime-limit': '15m' });
  });

  it('the super admin turns it off: only what we added goes (login-by as it was, the trial values back, our user profile removed)', async () => {
    const token = await loginSuperAdmin(s.t);
    const off = await s.t.request.put(`/admin/empresas/${s.escenario.empresaId}/routers/${s.escenario.routerId}`).set(as(token)).send({ prueba: { activa: false } });
    expect(off.status, JSON.stringify(off.body)).to.equal(200);
    expect(off.body.prueba).to.include({ activa: false, minutos: 15 });
    expect(serverProfile()).to.include({ 'login-by': 'cookie,http-chap', 'trial-uptime-limit': '30m', 'trial-uptime-reset': '1d', 'trial-user-profile': 'default' });
    expect(userProfile('pagos-prueba')).to.equal(undefined);
    const pub = await s.t.request.get('/api/v1/config/public').set('X-API-Key', s.escenario.apiKey);
    expect(pub.body.prueba).to.deep.equal({ activa: false, minutos: 15 });
    const got = await s.t.request.get(`/admin/empresas/${s.escenario.empresaId}/routers/${s.escenario.routerId}`).set(as(token));
    expect(got.body.prueba).to.include({ activa: false });
  });

  it("an operator's own trial stays when ours is turned off", async () => {
    const id = serverProfile()['.id']!;
    s.sim.state.hotspot.set(id, { 'login-by': 'cookie,trial', 'trial-uptime-limit': '5m' });
    expect((await updateOwn(s.escenario, { activa: true, minutos: 20 })).status).to.equal(200);
    expect(serverProfile()).to.include({ 'login-by': 'cookie,trial', 'trial-uptime-limit': '20m', 'trial-user-profile': 'pagos-prueba' });
    expect((await updateOwn(s.escenario, { activa: false })).status).to.equal(200);
    expect(serverProfile()).to.include({ 'login-by': 'cookie,trial', 'trial-uptime-limit': '5m', 'trial-user-profile': 'default' });
  });

  it('refused with a clear Spanish error where the router cannot take it, and on bad values; nothing of the trial saved', async () => {
    const other = await s.addEscenario(noHotspot);
    const res = await updateOwn(other, { activa: true, minutos: 10 });
    expect(res.status).to.equal(422);
    expect(res.body.detail).to.contain('no tiene un servidor hotspot');
    const pub = await s.t.request.get('/api/v1/config/public').set('X-API-Key', other.apiKey);
    expect(pub.body.prueba).to.deep.equal({ activa: false, minutos: 10 });

    for (const bad of [{ minutos: 0 }, { reinicio_horas: 1000 }, { limite_velocidad: '1M/2M; /system reboot' }, { extra: 1 }]) {
      const r = await updateOwn(s.escenario, bad);
      expect(r.status, JSON.stringify(bad)).to.equal(422);
      expect(r.body.detail).to.be.a('string');
    }
  });

  it('renders the same trial as RouterOS lines for a setup script (RADIUS mode)', () => {
    const on = renderTrialRouterOsLines({ activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M/2M' }).join('\n');
    expect(on).to.contain('/ip hotspot profile').and.contain('trial-uptime-limit=10m').and.contain('trial-uptime-reset=24h')
      .and.contain('trial-user-profile="pagos-prueba"').and.contain('rate-limit=1M/2M').and.contain('"trial"');
    const off = renderTrialRouterOsLines({ activa: false, minutos: 10, reinicio_horas: 24, limite_velocidad: null }).join('\n');
    expect(off).to.contain('login-by').and.not.contain('trial-uptime-limit=');
    expect(() => renderTrialRouterOsLines({ activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M"; /system reboot' })).to.throw(/limite_velocidad/);
  });

  it('a RADIUS-mode router: the trial is saved and offered without dialling the router; its setup script carries it', async () => {
    const escenario = await s.addEscenario(noHotspot);
    await s.t.container.knex('routers').where({ id: escenario.routerId }).update({ modo: 'radius' });
    const res = await updateOwn(escenario, { activa: true, minutos: 20, reinicio_horas: 12, limite_velocidad: null });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.router.prueba).to.deep.equal({ activa: true, minutos: 20, reinicio_horas: 12, limite_velocidad: null });
    // This router's simulator has no hotspot server: dialled, it refuses the trial with a 422 (the test above), so a 200 means it was not dialled.
    const pub = await s.t.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey);
    expect(pub.body.prueba).to.deep.equal({ activa: true, minutos: 20 });
  });
});
