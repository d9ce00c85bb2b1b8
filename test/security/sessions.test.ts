/**
 * Findings 5 and 9 of issue 14: a deactivated company's admins keep no access,
 * and a session ends the moment its user's password changes (no slack).
 */
import { expect } from 'chai';
import { insertEscenario } from '../support/fixtures';
import { loginAs, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';

const PRODUCTION = { NODE_ENV: 'production', SUPER_ADMIN_INITIAL_PASSWORD: 'Initial-Prod-Pass-9431' };
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('security: sessions (issue 14, findings 5 and 9)', function () {
  this.timeout(30_000);
  let t: TestContext;
  before(async () => { t = await startTestApp(PRODUCTION); });
  after(() => t.close());

  it("a deactivated company's admin is refused on every route that writes, its open session ends, and it cannot log in", async () => {
    const escenario = await insertEscenario(t.container);
    const session = await loginAs(t, escenario.admin.email, escenario.admin.password);
    expect((await t.request.get('/api/v1/admin/mi-empresa').set(as(session))).status).to.equal(200);

    const root = await loginSuperAdmin(t);
    const off = await t.request.put(`/admin/empresas/${escenario.empresa.id}/toggle-activo`).set(as(root));
    expect(off.body.activa).to.equal(false);

    // Every write a company admin (or any session) can reach, with the session opened before.
    const writes = t.app.routes.filter((r) => r.method !== 'get' && (r.auth === 'cliente_admin' || r.auth === 'session'));
    expect(writes.length).to.be.at.least(10);
    for (const route of writes) {
      const path = route.path.replace(/:transaccion_id/g, 'TRX_0A1B2C3D4E5F').replace(/:[a-z_]+/g, '1');
      const res = await t.request[route.method](path).set(as(session)).send({});
      expect([401, 403], `${route.method.toUpperCase()} ${route.path}: ${res.status} ${JSON.stringify(res.body)}`).to.include(res.status);
    }
    // Reads too: the session is over, not just read-only.
    const read = await t.request.get('/api/v1/admin/mi-empresa').set(as(session));
    expect(read.status).to.equal(401);
    expect(read.body.detail).to.match(/Empresa inactiva/);
    const again = await t.request.post('/api/v1/auth/login').send({ email: escenario.admin.email, password: escenario.admin.password });
    expect(again.status).to.equal(403);
    expect(again.body.detail).to.match(/Empresa inactiva/);

    // Reactivated: the admin logs in and works again.
    await t.request.put(`/admin/empresas/${escenario.empresa.id}/toggle-activo`).set(as(root));
    const back = await loginAs(t, escenario.admin.email, escenario.admin.password);
    expect((await t.request.put('/api/v1/admin/mi-empresa').set(as(back)).send({ nombre: 'De vuelta' })).status).to.equal(200);
  });

  it('a password change ends the other sessions of the user at once (same second, no slack) and keeps the one that made it (ASVS 3.3.3)', async () => {
    const escenario = await insertEscenario(t.container);
    const stolen = await loginAs(t, escenario.admin.email, escenario.admin.password);
    const own = await loginAs(t, escenario.admin.email, escenario.admin.password);
    const changed = await t.request.post('/api/v1/auth/change-password').set(as(own))
      .send({ password_actual: escenario.admin.password, password_nuevo: 'OtraClaveSegura789!' });
    expect(changed.status).to.equal(200);
    const res = await t.request.get('/api/v1/auth/me').set(as(stolen));
    expect(res.status).to.equal(401);
    // The original's panel keeps its token after a change: it goes on working, reads and writes.
    expect((await t.request.get('/api/v1/auth/me').set(as(own))).status).to.equal(200);
    expect((await t.request.put('/api/v1/admin/mi-empresa').set(as(own)).send({ nombre: 'Sigue abierta' })).status).to.equal(200);
    const fresh = await loginAs(t, escenario.admin.email, 'OtraClaveSegura789!');
    expect((await t.request.get('/api/v1/auth/me').set(as(fresh))).status).to.equal(200);

    // A second change from the fresh session: now it survives and the first one ends.
    const again = await t.request.post('/api/v1/auth/change-password').set(as(fresh))
      .send({ password_actual: 'OtraClaveSegura789!', password_nuevo: 'TerceraClave-456!' });
    expect(again.status).to.equal(200);
    expect((await t.request.get('/api/v1/auth/me').set(as(own))).status).to.equal(401);
    expect((await t.request.get('/api/v1/auth/me').set(as(fresh))).status).to.equal(200);
    // Logging out still ends the surviving session.
    expect((await t.request.post('/api/v1/auth/logout').set(as(fresh))).status).to.equal(200);
    expect((await t.request.get('/api/v1/auth/me').set(as(fresh))).status).to.equal(401);
  });

  it("a super admin's reset also ends the session that changed its own password last", async () => {
    const escenario = await insertEscenario(t.container);
    const own = await loginAs(t, escenario.admin.email, escenario.admin.password);
    expect((await t.request.post('/api/v1/auth/change-password').set(as(own))
      .send({ password_actual: escenario.admin.password, password_nuevo: 'OtraClaveSegura789!' })).status).to.equal(200);
    expect((await t.request.get('/api/v1/auth/me').set(as(own))).status).to.equal(200);
    const root = await loginSuperAdmin(t);
    expect((await t.request.post(`/admin/usuarios/${escenario.admin.id}/reset-password`).set(as(root)).send({ password_nuevo: 'ClaveNuevaSegura123!' })).status).to.equal(200);
    expect((await t.request.get('/api/v1/auth/me').set(as(own))).status).to.equal(401);
  });

  it("a super admin's password reset ends the user's sessions at once", async () => {
    const escenario = await insertEscenario(t.container);
    const before = await loginAs(t, escenario.admin.email, escenario.admin.password);
    const root = await loginSuperAdmin(t);
    const reset = await t.request.post(`/admin/usuarios/${escenario.admin.id}/reset-password`).set(as(root)).send({ password_nuevo: 'ClaveNuevaSegura123!' });
    expect(reset.status, JSON.stringify(reset.body)).to.equal(200);
    expect((await t.request.get('/api/v1/auth/me').set(as(before))).status).to.equal(401);
    const row = await t.container.knex('usuarios').where({ id: escenario.admin.id }).first('sesion_epoca');
    expect(row.sesion_epoca).to.equal(1);
  });
});
