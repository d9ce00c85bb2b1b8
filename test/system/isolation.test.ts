/**
 * Tenant isolation, computed from the routes the app registers (not a hand
 * list): every cliente_admin route, called by company A's admin with company
 * B's ids, is a 404 (or 403/422), never a success or a 500, and changes
 * nothing of B. A super admin session is 403 on all of them, a router key 401.
 */
import { expect } from 'chai';
import type { RouteDefinition } from '../../src/platform/http/api-router';
import type { RouterOsSimulator } from '../../sim/routeros';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { as, insertSimRouter, insertTransaccion, startSim, escenarioWithSession } from '../support/cliente';
import { setPasarela } from '../support/fixtures';

const MINE = /^\/api\/v1\/(admin\/(mi-empresa|products|routers)|payments\/configurar-credenciales)/;

describe('cliente admin: isolation between companies on every route', () => {
  let t: TestContext;
  let sim: RouterOsSimulator;
  let routes: RouteDefinition[];
  let a: Awaited<ReturnType<typeof escenarioWithSession>>;
  let b: Awaited<ReturnType<typeof escenarioWithSession>>;
  let bRouterId: string;
  let bProductoId: number;
  let bTransaccionId: string;
  let bSesionId: string;
  const bLoteId = 'LOT_B0B0B0B0B0';
  const bCodigo = 'BBBB2222';
  let root: string;

  before(async () => {
    t = await startTestApp();
    sim = await startSim();
    a = await escenarioWithSession(t);
    b = await escenarioWithSession(t);
    await insertSimRouter(t.container, a.empresa.id, sim);
    bRouterId = (await insertSimRouter(t.container, b.empresa.id, sim)).id;
    const [producto] = await t.container.knex('productos').insert({
      empresa_id: b.empresa.id, router_id: bRouterId, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Plan B', precio: '30.00',
    }).returning('id');
    bProductoId = producto.id;
    // A failed paid sale: the state in which retry and refund would act.
    bTransaccionId = (await insertTransaccion(t.container, {
      empresa_id: b.empresa.id, router_id: bRouterId, estado_pago: 'paid', estado_hotspot: 'failed', gateway_id: 'ord_b_1',
    })).id;
    await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, estado_pago: 'paid' });
    // An online session on B's router (the simulator is shared, the session is B's customer's).
    sim.state.addUser({ name: 'cliente-b', password: 'pw-b', profile: '1hora' });
    bSesionId = sim.state.loginActive({ user: 'cliente-b', password: 'pw-b', ip: '10.5.50.200', mac: '02:00:00:00:00:0B' });
    // B's printed vouchers (issue 15).
    await t.container.knex('fichas_lotes').insert({
      id: bLoteId, empresa_id: b.empresa.id, router_id: bRouterId, producto_id: bProductoId, producto_nombre: 'Plan B',
      perfil_mikrotik_nombre: '1hora', precio: '30.00', moneda: 'MXN', tipo_usuario: 'pin', cantidad: 1,
    });
    await t.container.knex('fichas').insert({ lote_id: bLoteId, empresa_id: b.empresa.id, router_id: bRouterId, codigo: bCodigo, estado: 'disponible' });
    // B's gateway accounts (empresa_pasarelas), in the snapshot: A's settings routes must never reach them.
    await setPasarela(t.container.knex, b.empresa.id, 'conekta', { secreto_enc: t.container.secrets.seal('key_b_privada'), llave_publica: 'key_b_publica' });
    await setPasarela(t.container.knex, b.empresa.id, 'mercadopago', { secreto_enc: t.container.secrets.seal('APP_USR-b'), llave_publica: 'APP_USR-b-pub' });
    root = await loginSuperAdmin(t);
    routes = t.app.routes.filter((r) => r.auth === 'cliente_admin');
  });
  after(async () => {
    await t.close();
    await sim.close();
  });

  /** Everything of company B the admin of A could touch. */
  async function snapshotB() {
    const knex = t.container.knex;
    return JSON.stringify({
      empresa: await knex('empresas').where({ id: b.empresa.id }).first(),
      pasarelas: await knex('empresa_pasarelas').where({ empresa_id: b.empresa.id }).orderBy('id'),
      routers: await knex('routers').where({ empresa_id: b.empresa.id }).orderBy('id'),
      productos: await knex('productos').where({ empresa_id: b.empresa.id }).orderBy('id'),
      transacciones: await knex('transacciones').where({ empresa_id: b.empresa.id }).orderBy('id'),
      eventos: await knex('transaccion_eventos').where({ transaccion_id: bTransaccionId }).orderBy('id'),
      fichas: await knex('fichas').where({ empresa_id: b.empresa.id }).orderBy('id'),
      lotes: await knex('fichas_lotes').where({ empresa_id: b.empresa.id }).orderBy('id'),
    });
  }

  const paramNames = (route: RouteDefinition) => [...route.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

  /** B's id for each path parameter. A new parameter name fails here on purpose: teach this test about it. */
  function bValue(name: string, route: RouteDefinition): string {
    const values: Record<string, string> = {
      router_id: bRouterId, producto_id: String(bProductoId), transaccion_id: bTransaccionId, empresa_id: b.empresa.id,
      id: bSesionId, // …/activos/:id/desconectar: an online session on B's router
      lote_id: bLoteId, codigo: bCodigo,
      // A gateway is a registry id, not a company's: nothing of B's can be named by it (the session's company is the one
      // read or changed, and B's accounts are in the snapshot); an id that is not registered is the 404 to check.
      pasarela: 'noexiste',
    };
    const value = values[name];
    if (value === undefined) throw new Error(`${route.method.toUpperCase()} ${route.path}: unknown path parameter ':${name}', add B's id for it`);
    return value;
  }

  const propertiesOf = (schema: unknown) => Object.keys(((schema ?? {}) as { properties?: object }).properties ?? {});

  /** A body that would succeed if the router were A's: only the company differs. */
  function bodyFor(route: RouteDefinition): Record<string, unknown> {
    const props = propertiesOf(route.body);
    if (props.includes('producto_id') && props.includes('cantidad')) return { producto_id: bProductoId, cantidad: 1 }; // a voucher batch of B's product
    if (!props.includes('router_id')) return {};
    return { router_id: bRouterId, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Robado', precio: '1.00' };
  }

  function call(route: RouteDefinition, path: string) {
    const method = route.method as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const req = t.request[method](path);
    return { req, send: (headers: Record<string, string>, body?: unknown) => (body === undefined ? req.set(headers) : req.set(headers).send(body as object)) };
  }

  it('the app registers the cliente_admin routes of this issue (and any later ones are covered too)', () => {
    const names = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(names).to.include.members([
      'GET /api/v1/admin/mi-empresa', 'PUT /api/v1/admin/mi-empresa', 'GET /api/v1/admin/mi-empresa/dashboard',
      'POST /api/v1/admin/mi-empresa/configurar-conekta', 'GET /api/v1/admin/mi-empresa/conekta',
      'POST /api/v1/payments/configurar-credenciales', 'GET /api/v1/admin/mi-empresa/mercado-pago',
      'POST /api/v1/admin/products', 'GET /api/v1/admin/products', 'GET /api/v1/admin/products/:producto_id',
      'PUT /api/v1/admin/products/:producto_id', 'DELETE /api/v1/admin/products/:producto_id',
      'GET /api/v1/admin/routers', 'GET /api/v1/admin/routers/:router_id', 'GET /api/v1/admin/routers/:router_id/mikrotik-profiles',
      'GET /api/v1/admin/routers/:router_id/test-connection',
      'GET /api/v1/admin/mi-empresa/transacciones', 'GET /api/v1/admin/mi-empresa/transacciones/:transaccion_id',
    ]);
  });

  it("every route with a path id answers 404 (or 403/422) for company B's ids, and B is unchanged", async () => {
    const before = await snapshotB();
    const withParams = routes.filter((r) => paramNames(r).length > 0);
    expect(withParams.length).to.be.at.least(7);
    const connections = sim.state.counters.connectionsAccepted;
    for (const route of withParams) {
      let path = route.path;
      for (const name of paramNames(route)) path = path.replace(`:${name}`, encodeURIComponent(bValue(name, route)));
      const body = ['post', 'put', 'patch'].includes(route.method) ? bodyFor(route) : undefined;
      const res = await call(route, path).send(as(a.token), body);
      const label = `${route.method.toUpperCase()} ${path} → ${res.status} ${JSON.stringify(res.body)}`;
      // This routes say 404; routes added later may also answer 403 or 422, never success nor 500.
      if (MINE.test(route.path) && !/\/(reintentar|reembolso)$/.test(route.path)) expect(res.status, label).to.equal(404);
      else expect([403, 404, 422], label).to.include(res.status);
      const text = JSON.stringify(res.body);
      expect(text, label).not.to.include(b.empresa.id);
      expect(text, label).not.to.include('Plan B');
    }
    // B's router was never contacted on A's behalf; B's customer is still online.
    expect(sim.state.counters.connectionsAccepted).to.equal(connections);
    expect(sim.state.activeList.map((s) => s['.id'])).to.include(bSesionId);
    expect(await snapshotB()).to.equal(before);
  });

  it("routes without a path id: B's router in the body or the query is 404; otherwise only A's data comes back", async () => {
    const before = await snapshotB();
    for (const route of routes.filter((r) => paramNames(r).length === 0)) {
      const hasBody = ['post', 'put', 'patch'].includes(route.method);
      const bodyHasRouter = propertiesOf(route.body).includes('router_id');
      const queryHasRouter = propertiesOf(route.query).includes('router_id');
      const bodyHasProducto = propertiesOf(route.body).includes('producto_id');
      if (bodyHasRouter || queryHasRouter || bodyHasProducto) {
        const { req } = call(route, queryHasRouter ? `${route.path}?router_id=${bRouterId}` : route.path);
        const res = await (hasBody ? req.set(as(a.token)).send(bodyFor(route)) : req.set(as(a.token)));
        expect(res.status, `${route.method.toUpperCase()} ${route.path} with B's router_id or producto_id → ${JSON.stringify(res.body)}`).to.equal(404);
        continue;
      }
      const res = await call(route, route.path).send(as(a.token), hasBody ? {} : undefined);
      const label = `${route.method.toUpperCase()} ${route.path} → ${res.status}`;
      // An empty body cannot succeed on these two (a multipart image; Telegram credentials A never set): a 400, never B's data.
      if (/\/(mi-empresa\/logo|test-telegram)$/.test(route.path)) expect(res.status, label).to.equal(400);
      else expect(res.status, label).to.be.within(200, 299);
      const text = JSON.stringify(res.body);
      for (const foreign of [b.empresa.id, bRouterId, bTransaccionId, 'Plan B', b.empresa.nombre, 'key_b_publica', 'APP_USR-b-pub']) expect(text, label).not.to.include(foreign);
    }
    expect(await snapshotB()).to.equal(before);
  });

  it('a super admin session is 403 and a router key or no credential is 401 on every cliente_admin route', async () => {
    for (const route of routes) {
      let path = route.path;
      for (const name of paramNames(route)) path = path.replace(`:${name}`, encodeURIComponent(bValue(name, route)));
      const body = ['post', 'put', 'patch'].includes(route.method) ? {} : undefined;
      const label = `${route.method.toUpperCase()} ${path}`;
      const asRoot = await call(route, path).send(as(root), body);
      expect(asRoot.status, label).to.equal(403);
      expect(asRoot.body, label).to.deep.equal({ detail: 'Se requiere rol CLIENTE_ADMIN', code: 'forbidden' });
      expect((await call(route, path).send(as(a.apiKey), body)).status, label).to.equal(401);
      expect((await call(route, path).send({}, body)).status, label).to.equal(401);
    }
  });
});
