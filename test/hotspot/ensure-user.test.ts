import { expect } from 'chai';
import { ensureHotspotUser, UnknownProfileError } from '../../src/features/hotspot';
import type { Plan } from '../../src/features/radius';
import {
  RouterDuplicateUserError, RouterUnknownProfileError, RouterUnreachableError, type HotspotClient, type HotspotUser, type RouterTarget,
} from '../../src/integrations/mikrotik';
import { RetryLaterError } from '../../src/platform/jobs/errors';
import { loginAs } from '../support/harness';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';
import { startRouterOsSimulator, type RouterOsSimulator } from '../../sim/routeros';

const plan = (extra: Partial<Plan> = {}): Plan => ({
  productoId: 7, perfil: 'plan-1h', limitUptime: '1h', vigenciaMinutos: null, limiteVelocidad: null, dispositivos: 1, vigenciaDesde: 'activacion', ...extra,
});
const target = { id: 'RTR_X' } as unknown as RouterTarget;

/** A router in memory: only what ensureHotspotUser calls. */
function fakeRouter(options: { profiles?: string[]; users?: HotspotUser[]; down?: boolean } = {}) {
  const profiles = new Set(options.profiles ?? ['plan-1h']);
  const users = [...(options.users ?? [])];
  const calls: string[] = [];
  const client = {
    async ensureProfile(_t: RouterTarget, p: { name: string }) { calls.push(`ensureProfile ${p.name}`); profiles.add(p.name); return 'created'; },
    async createUser(_t: RouterTarget, input: { name: string; profile: string; comment?: string; limitUptime?: string }) {
      calls.push(`add ${input.name} ${input.profile}`);
      if (options.down) throw new RouterUnreachableError('conexión rechazada');
      if (!profiles.has(input.profile)) throw new RouterUnknownProfileError('input does not match any value of profile');
      if (users.some((u) => u.name === input.name)) throw new RouterDuplicateUserError('failure: already have user with this name');
      users.push({ id: `*${users.length + 1}`, name: input.name, comment: input.comment ?? '', disabled: false } as HotspotUser);
      return { id: `*${users.length}` };
    },
    async findUserByName(_t: RouterTarget, name: string) { return users.find((u) => u.name === name) ?? null; },
  };
  return { client: client as unknown as HotspotClient, calls, users };
}

describe('ensureHotspotUser: the one way sales and vouchers create their router user (fakes)', () => {
  const spec = { name: 'abc1234', password: 'secret12', plan: plan(), comment: 'TRX_1' };

  it('creates the user with the plan\'s profile and limits', async () => {
    const r = fakeRouter();
    expect(await ensureHotspotUser(r.client, target, spec)).to.deep.equal({ outcome: 'created' });
    expect(r.calls).to.deep.equal(['add abc1234 plan-1h']);
  });

  it('a plan with a speed gets our own profile first', async () => {
    const r = fakeRouter({ profiles: [] });
    expect((await ensureHotspotUser(r.client, target, { ...spec, plan: plan({ limiteVelocidad: '2M/2M' }) })).outcome).to.equal('created');
    expect(r.calls).to.deep.equal(['ensureProfile pagos-7', 'add abc1234 pagos-7']);
  });

  it('a duplicate with our comment is success; with someone else\'s it is name_taken', async () => {
    const ours = fakeRouter({ users: [{ id: '*9', name: 'abc1234', comment: 'TRX_1' } as HotspotUser] });
    expect(await ensureHotspotUser(ours.client, target, spec)).to.deep.equal({ outcome: 'already_existed', routerUserId: '*9' });
    const theirs = fakeRouter({ users: [{ id: '*9', name: 'abc1234', comment: 'a mano' } as HotspotUser] });
    expect(await ensureHotspotUser(theirs.client, target, spec)).to.deep.equal({ outcome: 'name_taken' });
  });

  it('an unknown profile is a permanent, typed error with the Spanish reason', async () => {
    const r = fakeRouter({ profiles: [] });
    const error = await ensureHotspotUser(r.client, target, spec).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(UnknownProfileError);
    expect((error as UnknownProfileError).detail).to.equal("El perfil 'plan-1h' no existe en el router");
    expect((error as Error).name).to.equal('UnrecoverableError'); // what BullMQ reads to fail the job without retrying
    expect(error).not.to.be.instanceOf(RetryLaterError);
  });

  it('a router that is down propagates as is: the caller retries', async () => {
    const r = fakeRouter({ down: true });
    const error = await ensureHotspotUser(r.client, target, spec).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(RouterUnreachableError);
  });
});

describe('an unknown profile fails a sale and a voucher once, with no retry loop (app + worker + simulator)', function () {
  this.timeout(60_000);
  let s: Stack;
  let sim: RouterOsSimulator;
  let escenario: Awaited<ReturnType<Stack['addEscenario']>>;
  let productoSinPerfil: number;
  before(async () => {
    s = await startStack();
    // A router of its own, so its command counters are this test's alone.
    sim = await startRouterOsSimulator({ port: 0, username: 'api', password: 'api-pass', profiles: [{ name: 'plan-1h' }] });
    escenario = await s.addEscenario(sim);
    // Sold before someone removed (or renamed) the profile on the router.
    const [row] = await s.t.container.knex('productos').insert({
      empresa_id: escenario.empresaId, router_id: escenario.routerId, perfil_mikrotik_nombre: 'plan-borrado', perfil_verificado: true,
      nombre_venta: 'Plan sin perfil', precio: '20.00', moneda: 'MXN', limit_uptime: '1h',
    }).returning('id');
    productoSinPerfil = row.id;
  });
  after(async () => { await s.close(); await sim.close(); });

  const adds = () => sim.state.counters.commands['/ip/hotspot/user/add'] ?? 0;

  it('a sale: paid, provisioning failed with the Spanish reason, the job failed after one attempt', async () => {
    const before = adds();
    const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${escenario.apiKey}`)
      .set('Idempotency-Key', 'perfil-desconocido-01').send(conektaBody(productoSinPerfil, s.conekta.token('visa_4242')));
    expect(res.status, JSON.stringify(res.body)).to.be.below(500);
    const id = res.body.transaccion_id as string;
    const row = await eventually(async () => {
      const r = await s.t.container.knex('transacciones').where({ id }).first();
      return r?.estado_hotspot === 'failed' ? r : null;
    }, 15_000, 'sale failed');
    expect(row).to.include({ estado_pago: 'paid', ultimo_error: "El perfil 'plan-borrado' no existe en el router" });
    const job = await eventually(async () => {
      const j = await s.t.container.jobs.queues.hotspot.getJob(`provision-user-${id}`);
      return j && (await j.isFailed()) ? j : null;
    }, 10_000, 'job failed');
    expect(job.attemptsMade).to.equal(1); // 200 attempts allowed in this stack: none spent after the first
    expect(adds() - before).to.equal(1);
    const history = await s.t.container.transacciones.history(id);
    expect(history.filter((e) => e.tipo === 'aprovisionamiento_fallido')).to.have.length(1);
  });

  it('a voucher: fallida with the Spanish reason, its job failed after one attempt, and the reconciler leaves it alone', async () => {
    const before = adds();
    const token = await loginAs(s.t, escenario.admin.email, escenario.admin.password);
    const res = await s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${token}`).send({ producto_id: productoSinPerfil, cantidad: 1 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const lote = async () => (await s.t.request.get(`/api/v1/admin/fichas/lotes/${res.body.id}`).set('Authorization', `Bearer ${token}`)).body;
    const detail = await eventually(async () => { const l = await lote(); return l.por_estado.fallida === 1 ? l : null; }, 15_000, 'voucher fallida');
    expect(detail.fichas[0]).to.include({ estado: 'fallida', error: "El perfil 'plan-borrado' no existe en el router" });
    const fichaId = String((await s.t.container.knex('fichas').where({ lote_id: res.body.id }).first()).id);
    const job = await eventually(async () => {
      const j = await s.t.container.jobs.queues.fichas.getJob(`provision-ficha-${fichaId}`);
      return j && (await j.isFailed()) ? j : null;
    }, 10_000, 'job failed');
    expect(job.attemptsMade).to.equal(1);
    expect(await s.t.container.fichas.reconcile(new Date(Date.now() + 3600_000))).to.equal(0);
    expect(adds() - before).to.equal(1);
    // The operator voids it: nothing to disable on the router.
    const voided = await s.t.request.post(`/api/v1/admin/fichas/${detail.fichas[0].codigo}/anular`).set('Authorization', `Bearer ${token}`).send({});
    expect(voided.body.fichas[0]).to.include({ estado: 'anulada', en_router: 'no_creada' });
  });
});
