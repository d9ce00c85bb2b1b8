/** The OpenAPI examples of this routes match their own response schemas, and real answers match them too. */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import type { RouteDefinition } from '../../src/platform/http/api-router';
import { startTestApp, type TestContext } from '../support/harness';
import { as, insertTransaccion, escenarioWithSession } from '../support/cliente';

const MINE = /^\/api\/v1\/(admin\/(mi-empresa|products|routers)|catalogo_perfiles_venta|routers\/validar-empresa-router|payments\/configurar-credenciales)/;
const LEAD = /\/(reintentar|reembolso)$/;

describe('cliente admin: documentation', () => {
  let t: TestContext;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });

  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  const mine = () => t.app.routes.filter((r) => MINE.test(r.path) && !LEAD.test(r.path));

  function check(route: RouteDefinition, status: number, body: unknown) {
    const schema = route.responses[status]?.schema;
    expect(schema, `${route.method} ${route.path} ${status} has a schema`).to.be.an('object');
    const validate = ajv.compile(schema!);
    expect(validate(body), `${route.method} ${route.path} ${status}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
  }

  it('every response example validates against its schema', () => {
    expect(mine().length).to.be.at.least(17);
    for (const route of mine()) {
      for (const [status, response] of Object.entries(route.responses)) {
        if (response.schema && response.example !== undefined) check(route, Number(status), response.example);
      }
    }
  });

  it('real answers of the GET routes match the documented 200 schema', async () => {
    const a = await escenarioWithSession(t);
    const trx = await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, estado_pago: 'paid' });
    await t.container.transacciones.event(trx.id, 'creada', {});
    const [producto] = await t.container.knex('productos').insert({
      empresa_id: a.empresa.id, router_id: a.router.id, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Plan', precio: '5.00',
    }).returning('id');
    const ids: Record<string, string> = { producto_id: String(producto.id), transaccion_id: trx.id, router_id: a.router.id, pasarela: 'conekta' };
    // Routes that talk to the router live are tested against the simulator elsewhere; files (CSV, zip) have no JSON schema.
    const json = (r: RouteDefinition) => (r.responses[200]?.contentType ?? 'application/json') === 'application/json';
    for (const route of mine().filter((r) => r.method === 'get' && json(r) && !/mikrotik-profiles|test-connection|activos/.test(r.path))) {
      const path = route.path.replace(/:([a-z_]+)/g, (_m, name: string) => ids[name]!);
      const auth = route.auth === 'router_key' ? { 'X-API-Key': a.apiKey } : as(a.token);
      const res = await t.request.get(path).set(auth);
      expect(res.status, path).to.equal(200);
      check(route, 200, res.body);
    }
  });
});
