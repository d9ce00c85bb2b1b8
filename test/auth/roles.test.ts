/**
 * Every /admin route the app registers (taken from the app, not a hand list)
 * refuses a cliente_admin (403), a router API key (401) and no credential (401).
 */
import { expect } from 'chai';
import { loginAs, startTestApp, type TestContext } from '../support/harness';
import { insertEscenario } from '../support/fixtures';

describe('admin: only super admins', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  const sample: Record<string, string> = { empresa_id: 'EMP_3A9F1C0B2D', router_id: 'RTR_A1B2C3D4', key_id: 'key_a1b2c3d4e5f6a7b8', usuario_id: '1' };

  it('refuses cliente_admin (403), router keys and anonymous callers (401) on every /admin route', async () => {
    const escenario = await insertEscenario(t.container);
    const clienteToken = await loginAs(t, escenario.admin.email, escenario.admin.password);
    const adminRoutes = t.app.routes.filter((r) => r.path.startsWith('/admin'));
    expect(adminRoutes.length).to.be.at.least(20);
    for (const route of adminRoutes) {
      expect(route.auth, route.path).to.equal('super_admin');
      const path = route.path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => sample[name] ?? 'x');
      const call = () => (t.request as unknown as Record<string, (p: string) => import('supertest').Test>)[route.method](path);
      const label = `${route.method.toUpperCase()} ${route.path}`;

      const cliente = await call().set('Authorization', `Bearer ${clienteToken}`).send({});
      expect(cliente.status, label).to.equal(403);
      expect(cliente.body).to.deep.equal({ detail: 'Se requiere rol SUPER_ADMIN', code: 'forbidden' });

      const byKey = await call().set('Authorization', `Bearer ${escenario.apiKey}`).send({});
      expect(byKey.status, label).to.equal(401);
      const byHeader = await call().set('X-API-Key', escenario.apiKey).send({});
      expect(byHeader.status, label).to.equal(401);
      const anonymous = await call().send({});
      expect(anonymous.status, label).to.equal(401);
    }
    // Nothing was changed by the refused calls.
    expect(await t.container.knex('empresas')).to.have.length(1);
    expect(await t.container.knex('router_api_keys').where({ revoked: true })).to.have.length(0);
  });
});
