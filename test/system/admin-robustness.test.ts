/**
 * Never a 500: every /admin route (taken from the app) gets hostile bodies,
 * queries and ids, with real ids too so the service code runs, and must answer
 * with a 4xx (or a 2xx where the input happens to be acceptable).
 */
import { expect } from 'chai';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertEscenario } from '../support/fixtures';

const HOSTILE_BODIES: unknown[] = [
  null, [], 'texto', 42, true, {},
  { nombre: null, host: {}, puerto: 1e100, usuario: [], password: 7 },
  { nombre: 'a'.repeat(10_000), contacto_email: 'x@'.repeat(200), puerto: -0.5 },
  { empresa_id: '\u0000', nombre: 'ok\u0000', host: '\u0000', password_nuevo: '\u0000'.repeat(9) },
  { email: 'a@b.mx', password: 'x'.repeat(129), nombre: 'n', rol: 'cliente_admin', empresa_id: 'EMP_\u0000' },
  { __proto__: { admin: true }, constructor: { prototype: { x: 1 } } },
];
const HOSTILE_IDS = ['%00', '%27%3B--', 'EMP_' + 'F'.repeat(300), '-1', '99999999999999999999', '1e3', '%E2%80%AE', 'null'];
const HOSTILE_QUERIES = ['?rol[]=a', '?activa=%00', '?empresa_id=%00', '?rol=super_admin&rol=cliente_admin', '?empresa_id[a]=1'];

describe('admin: never a 500', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  it('answers hostile input on every /admin route with a 4xx or 2xx', async function () {
    this.timeout(60_000);
    const root = await loginSuperAdmin(t);
    const escenario = await insertEscenario(t.container);
    const real: Record<string, string> = { empresa_id: escenario.empresa.id, router_id: escenario.router.id, key_id: escenario.keyId, usuario_id: String(escenario.admin.id) };
    const routes = t.app.routes.filter((r) => r.path.startsWith('/admin'));
    const statuses: number[] = [];
    for (const route of routes) {
      const names = (route.path.match(/:([A-Za-z_]+)/g) ?? []).map((p) => p.slice(1));
      const realPath = route.path.replace(/:([A-Za-z_]+)/g, (_m, n: string) => real[n]);
      const attempts: Array<{ path: string; body?: unknown }> = [];
      if (route.method === 'get') for (const query of ['', ...HOSTILE_QUERIES]) attempts.push({ path: realPath + query });
      else for (const body of HOSTILE_BODIES) attempts.push({ path: realPath, body });
      for (const bad of HOSTILE_IDS) {
        for (const name of names) {
          const path = route.path.replace(/:([A-Za-z_]+)/g, (_m, n: string) => (n === name ? bad : real[n]));
          attempts.push({ path, body: route.method === 'get' ? undefined : {} });
        }
      }
      for (const { path, body } of attempts) {
        const req = (t.request as unknown as Record<string, (p: string) => import('supertest').Test>)[route.method](path)
          .set('Authorization', `Bearer ${root}`);
        if (body !== undefined) req.set('Content-Type', 'application/json').send(JSON.stringify(body));
        const res = await req;
        statuses.push(res.status);
        expect(res.status, `${route.method.toUpperCase()} ${path} ${JSON.stringify(body)?.slice(0, 80)} → ${JSON.stringify(res.body)}`).to.be.below(500);
        if (res.status >= 400) expect(res.body.detail).to.be.a('string');
      }
    }
    expect(statuses.filter((s) => s === 422).length).to.be.greaterThan(50);
    expect(statuses.filter((s) => s === 404).length).to.be.greaterThan(50);
  });
});
