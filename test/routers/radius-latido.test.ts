/**
 * RADIUS mode: how a router behind NAT is recognised (issue 22, item 3). Its
 * heartbeat, from a real source address (127.0.0.x), makes a real FreeRADIUS
 * serve it from that address within 5 s, with no restart; the portal's API key
 * is refused there; an address held by another router is a 409 and the holder
 * keeps it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { as, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertEmpresa, insertEscenario } from '../support/fixtures';
import { startRadius, type RadiusServer } from '../support/radius';
import { renderRadiusd } from '../../src/integrations/radius/config';

/** Polls until `check` is true, up to `ms`; returns how long it took (or throws after ms). */
async function within(ms: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * FreeRADIUS's client cache lifetime here: 1 s instead of the default 3 s, so
 * each "served at the new address" waits ~1 s instead of ~3 s. The mechanism
 * tested (a cached client is read again from `nas` after its lifetime, without
 * a restart) is the same; the first test checks that the production
 * default renders `lifetime = 3` (which makes "within 5 s" true there).
 */
const CLIENT_LIFETIME_S = 1;

describe('RADIUS mode: router heartbeat (latido) and recognition by address', () => {
  let t: TestContext;
  let radius: RadiusServer;
  let server: http.Server;
  let port: number;
  let superToken: string;

  /** POST /api/v1/routers/latido from `from` (a real TCP source address), with these headers. */
  const latido = (from: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/routers/latido', method: 'POST', localAddress: from, headers }, (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => { data += chunk.toString('utf8'); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} }));
      });
      req.on('error', reject);
      req.end();
    });

  /** A RADIUS-mode router created through the super admin API, with its clear credentials and a user row written by hand. */
  async function radiusRouter(user: string, password: string) {
    const empresa = await insertEmpresa(t.container);
    const res = await t.request.post(`/admin/empresas/${empresa.id}/routers`).set(as(superToken))
      .send({ empresa_id: empresa.id, nombre: `Router NAT ${user}`, modo: 'radius' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.modo).to.equal('radius');
    expect(res.body.host).to.equal(null);
    const id = res.body.id as string;
    const cred = await t.container.radiusRouters.credenciales(id);
    expect(cred.radius_secret).to.match(/^[A-Za-z0-9]{32}$/);
    expect(cred.router_token).to.match(/^rtk_/);
    await radius.db.withSchema(radius.schema).table('radcheck').insert({ username: `${id}:${user}`, attribute: 'Cleartext-Password', op: ':=', value: password });
    return { id, empresa, secret: cred.radius_secret!, token: cred.router_token!, user, password };
  }
  type R = Awaited<ReturnType<typeof radiusRouter>>;
  const login = (r: R, from: string, secret = r.secret) => radius.auth({ from, secret, user: r.user, password: r.password, chap: true, timeoutMs: 700 });
  const accepted = async (r: R, from: string) => (await login(r, from))?.code === 'Access-Accept';

  before(async function () {
    this.timeout(60_000); // FreeRADIUS takes seconds to be ready on a busy machine
    t = await startTestApp();
    superToken = await loginSuperAdmin(t);
    radius = await startRadius({ clientLifetimeSeconds: CLIENT_LIFETIME_S });
    server = http.createServer(t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await radius?.close();
    await t?.close();
  });

  it('the production configuration caches a router read from nas for 3 s (so a heartbeat is served within 5 s)', () => {
    const radiusd = renderRadiusd({ dir: '/tmp/x', databaseUrl: 'postgresql://u@127.0.0.1/db', schema: 's', authPort: 1812, acctPort: 1813, bind: '127.0.0.1' });
    expect(radiusd).to.match(/dynamic_clients = dynamic_clients\n\tlifetime = 3\n/);
  });

  it('a heartbeat makes FreeRADIUS serve the router from its source address within 5 s, without a restart', async () => {
    const a = await radiusRouter('ana', 'clave-ana');
    expect(await login(a, '127.0.0.31')).to.equal(null); // no address yet: unknown client, no answer

    const res = await latido('127.0.0.31', as(a.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ router_id: a.id, direccion: '127.0.0.31' });
    const row = await t.container.knex('routers').where({ id: a.id }).first('radius_direccion', 'ultimo_latido');
    expect(row.radius_direccion).to.equal('127.0.0.31');
    expect(row.ultimo_latido).to.be.instanceOf(Date);

    await within(5000, () => accepted(a, '127.0.0.31'), 'login accepted after the heartbeat');
    // Wrong secret or another source address: no answer at all.
    expect(await login(a, '127.0.0.31', 'otro-secreto-cualquiera')).to.equal(null);
    expect(await login(a, '127.0.0.39')).to.equal(null);
    expect((await radius.auth({ from: '127.0.0.31', secret: a.secret, user: a.user, password: 'mala', chap: true }))?.code).to.equal('Access-Reject');
  });

  it("refuses the portal's API key, a missing token and a made-up one with 401, and changes nothing", async () => {
    const escenario = await insertEscenario(t.container);
    const attempts: Array<Record<string, string>> = [as(escenario.apiKey), { 'X-API-Key': escenario.apiKey }, {}, as('rtk_' + 'A'.repeat(43))];
    for (const headers of attempts) {
      const res = await latido('127.0.0.33', headers);
      expect(res.status, JSON.stringify(res.body)).to.equal(401);
      expect(res.body.code).to.equal('unauthorized');
    }
    const nas = await radius.db.withSchema(radius.schema).table('nas').where({ nasname: '127.0.0.33' });
    expect(nas).to.deep.equal([]);
  });

  it('a router keeps its address until it reports another, and then moves', async () => {
    const m = await radiusRouter('mara', 'clave-mara');
    expect((await latido('127.0.0.34', as(m.token))).status).to.equal(200);
    await within(5000, () => accepted(m, '127.0.0.34'), 'served at its first address');
    expect((await latido('127.0.0.35', as(m.token))).status).to.equal(200);
    await within(5000, () => accepted(m, '127.0.0.35'), 'served at its new address');
    await within(5000, async () => (await login(m, '127.0.0.34')) === null, 'no longer served at the old address');
  });

  it('an address another router heartbeated from in the last 10 minutes is a 409 direccion_compartida; the holder keeps it', async () => {
    const holder = await radiusRouter('hugo', 'clave-hugo');
    const other = await radiusRouter('olga', 'clave-olga');
    expect((await latido('127.0.0.36', as(holder.token))).status).to.equal(200);
    await within(5000, () => accepted(holder, '127.0.0.36'), 'holder served');

    const res = await latido('127.0.0.36', as(other.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(409);
    expect(res.body.code).to.equal('direccion_compartida');
    const detail = String(res.body.detail);
    expect(detail).to.match(/túnel/);
    // Names neither the other company nor its router.
    expect(detail).not.to.contain(holder.empresa.nombre);
    expect(detail).not.to.contain(holder.id);
    const row = await t.container.knex('routers').where({ id: other.id }).first('radius_direccion');
    expect(row.radius_direccion).to.equal(null);
    // Its operator sees what happened in the panel (the router's own record; nothing about the holder).
    const seen = await t.request.get(`/admin/empresas/${other.empresa.id}/routers/${other.id}`).set(as(superToken));
    expect(seen.body.direccion_compartida).to.equal('127.0.0.36');
    expect(seen.body.direccion_compartida_en).to.be.a('string');

    // The holder is still served, and the other router is not (its secret gets no answer there).
    await new Promise((resolve) => setTimeout(resolve, CLIENT_LIFETIME_S * 1000 + 500)); // past the client cache lifetime
    expect(await accepted(holder, '127.0.0.36')).to.equal(true);
    expect(await login(other, '127.0.0.36')).to.equal(null);
  });

  it('after 10 minutes without a heartbeat from its holder, the address goes to the router that reports it', async () => {
    const old = await radiusRouter('oscar', 'clave-oscar');
    const nuevo = await radiusRouter('nora', 'clave-nora');
    expect((await latido('127.0.0.37', as(old.token))).status).to.equal(200);
    await t.container.knex('routers').where({ id: old.id }).update({ ultimo_latido: new Date(Date.now() - 10 * 60_000 - 5000) });

    await t.container.knex('routers').where({ id: nuevo.id }).update({ direccion_compartida: '127.0.0.37', direccion_compartida_en: new Date() });
    const res = await latido('127.0.0.37', as(nuevo.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const cleared = await t.container.knex('routers').where({ id: nuevo.id }).first('direccion_compartida');
    expect(cleared.direccion_compartida).to.equal(null);
    const rows = await t.container.knex('routers').whereIn('id', [old.id, nuevo.id]).select('id', 'radius_direccion');
    expect(Object.fromEntries(rows.map((r: { id: string; radius_direccion: string | null }) => [r.id, r.radius_direccion])))
      .to.deep.equal({ [old.id]: null, [nuevo.id]: '127.0.0.37' });
    await within(5000, () => accepted(nuevo, '127.0.0.37'), 'the new holder served');
    expect(await login(old, '127.0.0.37')).to.equal(null);
  });

  it('rotating the RADIUS secret on request: FreeRADIUS takes the new one within 5 s and drops the old', async () => {
    const r = await radiusRouter('rita', 'clave-rita');
    expect((await latido('127.0.0.38', as(r.token))).status).to.equal(200);
    await within(5000, () => accepted(r, '127.0.0.38'), 'served');

    const res = await t.request.post(`/admin/empresas/${r.empresa.id}/routers/${r.id}/radius/rotar`).set(as(superToken)).send({ token: false });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.body.router_token).to.equal(null);
    const secret = res.body.radius_secret as string;
    expect(secret).to.match(/^[A-Za-z0-9]{32}$/).and.not.equal(r.secret);
    await within(5000, async () => (await login(r, '127.0.0.38', secret))?.code === 'Access-Accept', 'new secret accepted');
    expect(await login(r, '127.0.0.38')).to.equal(null);
    // The token was kept: the heartbeat still works with it.
    expect((await latido('127.0.0.38', as(r.token))).status).to.equal(200);

    const token = await t.request.post(`/admin/empresas/${r.empresa.id}/routers/${r.id}/radius/rotar`).set(as(superToken)).send({ secreto: false });
    expect(token.status).to.equal(200);
    expect((await latido('127.0.0.38', as(r.token))).status).to.equal(401);
    expect((await latido('127.0.0.38', as(token.body.router_token as string))).status).to.equal(200);
  });
  it('a deactivated router stops being served at once and its heartbeat is refused until it is active again', async () => {
    const r = await radiusRouter('ines', 'clave-ines');
    expect((await latido('127.0.0.40', as(r.token))).status).to.equal(200);
    await within(5000, () => accepted(r, '127.0.0.40'), 'served');
    const off = await t.request.put(`/admin/empresas/${r.empresa.id}/routers/${r.id}/toggle-activo`).set(as(superToken));
    expect(off.body.activo).to.equal(false);
    await within(5000, async () => (await login(r, '127.0.0.40')) === null, 'no longer served');
    const refused = await latido('127.0.0.40', as(r.token));
    expect(refused.status).to.equal(403);
    await t.request.put(`/admin/empresas/${r.empresa.id}/routers/${r.id}/toggle-activo`).set(as(superToken));
    expect((await latido('127.0.0.40', as(r.token))).status).to.equal(200);
    await within(5000, () => accepted(r, '127.0.0.40'), 'served again after its heartbeat');
  });
});
