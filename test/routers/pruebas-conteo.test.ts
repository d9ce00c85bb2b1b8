/**
 * Trials started, where the router reports them (issue 24, item 4): the
 * `pruebas-routers` job reads the simulator's trial users (dynamic `T-<MAC>`
 * users and `login-by=trial` sessions) into per-day counts the company
 * dashboard and the router read show; a RADIUS-mode heartbeat carries its
 * count; a router that does not answer leaves the dashboard answering with
 * the count marked unknown.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { startRouterOsSimulator } from '../../sim/routeros';
import { createPruebasConteo, createPruebasStore, type PruebasConteoService } from '../../src/features/routers';
import { as, loginAs, loginSuperAdmin } from '../support/harness';
import { startStack, type Stack, type Escenario } from '../support/stack';

describe('trials started, counted for the operator (issue 24, item 4)', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ worker: false });
  });
  after(async () => {
    await s?.close();
  });

  const cliente = async (escenario: Escenario) => as(await loginAs(s.t, escenario.admin.email, escenario.admin.password));
  const enableTrial = async (escenario: Escenario) => {
    const res = await s.t.request.put(`/api/v1/admin/mi-empresa/routers/${escenario.routerId}`).set(await cliente(escenario))
      .send({ prueba: { activa: true, minutos: 10, reinicio_horas: 24 } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };
  const dashboard = async (escenario: Escenario) => {
    const res = await s.t.request.get('/api/v1/admin/mi-empresa/dashboard').set(await cliente(escenario));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { pruebas: { hoy: number; semana: number; mes: number; completo: boolean; routers: Array<Record<string, unknown>> } };
  };
  const processors = () => s.t.container.pruebasConteo;

  it('the simulator models a trial as RouterOS does: a dynamic T-<MAC> user on the trial profile, a login-by=trial session, an authorized host', async () => {
    await enableTrial(s.escenario);
    s.sim.state.loginTrial({ ip: '10.5.50.60', mac: 'aa:bb:cc:00:10:01' });
    const user = s.sim.state.findUser('T-AA:BB:CC:00:10:01');
    expect(user).to.include({ dynamic: 'true', profile: 'pagos-prueba', 'mac-address': 'AA:BB:CC:00:10:01' });
    expect(s.sim.state.activeList.find((a) => a.address === '10.5.50.60')).to.include({ 'login-by': 'trial', user: 'T-AA:BB:CC:00:10:01' });
    expect(s.sim.state.printHosts().find((h) => h.address === '10.5.50.60')).to.include({ authorized: 'true', 'mac-address': 'AA:BB:CC:00:10:01' });
    // The period ends: the dynamic user goes and the device may take the trial again.
    s.sim.state.endTrialPeriod('AA:BB:CC:00:10:01');
    expect(s.sim.state.findUser('T-AA:BB:CC:00:10:01')).to.equal(undefined);
    s.sim.state.removeActive(s.sim.state.activeList.find((a) => a.address === '10.5.50.60')!['.id']!);
  });

  it('the job reads the trials into today\'s count: on the dashboard (per router) and on the router read; a device counts once per period', async () => {
    s.sim.state.loginTrial({ ip: '10.5.50.61', mac: 'AA:BB:CC:00:20:01' });
    s.sim.state.loginTrial({ ip: '10.5.50.62', mac: 'AA:BB:CC:00:20:02' });
    // One of them has logged out: its trial still counts (RouterOS keeps the T- user for the period).
    s.sim.state.removeActive(s.sim.state.activeList.find((a) => a.address === '10.5.50.62')!['.id']!);

    expect(await processors().leer()).to.deep.include({ leidos: 1, sin_respuesta: 0 });
    const first = await dashboard(s.escenario);
    expect(first.pruebas).to.include({ hoy: 2, semana: 2, mes: 2, completo: true });
    expect(first.pruebas.routers).to.have.length(1);
    expect(first.pruebas.routers[0]).to.include({ router_id: s.escenario.routerId, prueba_activa: true, hoy: 2, activas: 1, estado: 'ok', fuente: 'api', detalle: null });

    // Read again: the same devices are not counted twice; a new one is.
    s.sim.state.loginTrial({ ip: '10.5.50.63', mac: 'AA:BB:CC:00:20:03' });
    await processors().leer();
    const again = await dashboard(s.escenario);
    expect(again.pruebas.hoy).to.equal(3);
    expect(again.pruebas.routers[0]).to.include({ hoy: 3, activas: 2 });

    const read = await s.t.request.get(`/api/v1/admin/routers/${s.escenario.routerId}`).set(await cliente(s.escenario));
    expect(read.status).to.equal(200);
    expect(read.body.pruebas_conteo).to.include({ estado: 'ok', hoy: 3, activas: 2, fuente: 'api' });
    // No MAC address is kept, only a hash of router and device.
    const stored = await s.t.container.knex('router_pruebas_dispositivos').where({ router_id: s.escenario.routerId });
    expect(stored).to.have.length(3);
    expect(JSON.stringify(stored)).not.to.match(/AA:BB:CC/i);
  });

  it('a count older than three readings is unknown too, and a router never read says so', async () => {
    const svc: PruebasConteoService = createPruebasConteo({
      store: createPruebasStore(s.t.container.knex),
      trial: { readTrials: async () => ({ devices: [], active: 0 }) }, targets: s.t.container.targets, everyMs: 60_000,
    });
    const now = new Date();
    expect((await svc.ultima(s.escenario.routerId, now)).estado).to.equal('ok');
    const later = new Date(now.getTime() + 3 * 60_000 + 1000);
    expect(await svc.ultima(s.escenario.routerId, later)).to.include({ estado: 'desconocido', activas: null });
    const escenario = await s.addEscenario(s.sim);
    expect(await svc.ultima(escenario.routerId, now)).to.include({ estado: 'desconocido', fuente: null, detalle: 'Aún no hay lecturas de este router.' });
  });

  it('a router that does not answer: the dashboard still answers, with that router\'s count marked unknown and the others\' kept', async () => {
    const dead = await startRouterOsSimulator({ port: 0, username: 'api', password: 'api-pass' });
    const other = await s.addEscenario(dead);
    await enableTrial(other);
    dead.state.loginTrial({ ip: '10.5.50.70', mac: 'AA:BB:CC:00:30:01' });
    await processors().leer();
    expect((await dashboard(other)).pruebas.routers[0]).to.include({ hoy: 1, estado: 'ok' });

    await dead.close();
    const outcome = await processors().leer();
    expect(outcome.sin_respuesta).to.equal(1);
    const body = await dashboard(other);
    expect(body.pruebas.completo).to.equal(false);
    expect(body.pruebas.routers[0]).to.include({ hoy: 1, activas: null, estado: 'desconocido', fuente: 'api' });
    expect(String(body.pruebas.routers[0]!.detalle)).to.match(/no respondió/);
    const read = await s.t.request.get(`/api/v1/admin/routers/${other.routerId}`).set(await cliente(other));
    expect(read.body.pruebas_conteo).to.include({ estado: 'desconocido', activas: null });
    // The live router of the first company is unaffected.
    expect((await dashboard(s.escenario)).pruebas.completo).to.equal(true);
  });

  it('RADIUS mode: the heartbeat carries the trial sessions online; rises count as trials started', async () => {
    const root = await loginSuperAdmin(s.t);
    const created = await s.t.request.post(`/admin/empresas/${s.escenario.empresaId}/routers`).set(as(root))
      .send({ empresa_id: s.escenario.empresaId, nombre: 'Detrás de NAT', modo: 'radius' });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    const routerId = created.body.id as string;
    const { router_token: token } = await s.t.container.radiusRouters.credenciales(routerId);
    const latido = (query: string) => s.t.request.post(`/api/v1/routers/latido${query}`).set('Authorization', `Bearer ${token}`);

    expect((await latido('?pruebas_activas=2')).status).to.equal(200);
    expect((await latido('?pruebas_activas=3')).status).to.equal(200);
    expect((await latido('?pruebas_activas=1')).status).to.equal(200);
    // A heartbeat without a count (an older setup script) still works and changes nothing.
    expect((await latido('')).status).to.equal(200);
    const bad = await latido('?pruebas_activas=muchas');
    expect(bad.status).to.equal(422);
    expect(bad.body.detail).to.be.a('string');

    const row = await s.t.container.pruebasConteo.ultima(routerId);
    expect(row).to.include({ estado: 'ok', hoy: 3, activas: 1, fuente: 'latido' });
    const body = await dashboard(s.escenario);
    expect(body.pruebas.routers.find((r) => r.router_id === routerId)).to.include({ modo: 'radius', hoy: 3, activas: 1, fuente: 'latido' });
  });

  it('a device whose trial period is over counts again when it takes a new trial', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      s.sim.state.endTrialPeriod('AA:BB:CC:00:20:03');
      s.sim.state.removeActive(s.sim.state.activeList.find((a) => a.address === '10.5.50.63')!['.id']!);
      clock.tick(25 * 3600_000); // past reinicio_horas (24)
      s.sim.state.loginTrial({ ip: '10.5.50.64', mac: 'AA:BB:CC:00:20:03' });
      // The other devices' periods are over too: RouterOS dropped their T- users, so they are not counted again.
      expect(s.sim.state.printUsers().find((u) => u.name === 'T-AA:BB:CC:00:20:01')).to.equal(undefined);
      await processors().leer();
      const after = await s.t.container.pruebasConteo.resumen(s.escenario.empresaId, 'America/Mexico_City');
      expect(after.routers.find((r) => r.router_id === s.escenario.routerId)).to.include({ hoy: 1, estado: 'ok' });
    } finally {
      clock.restore();
    }
  });
});
