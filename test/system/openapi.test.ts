/**
 * /openapi.json is a valid OpenAPI 3.1 document that lists every route the app
 * serves: compared with both the route declarations (app.routes) and the routes
 * the API router actually dispatches (app.served), so a route added behind the
 * declarations' back shows up here. Swagger UI at /docs is served with local assets.
 */
import { expect } from 'chai';
import { startTestApp, type TestContext } from '../support/harness';

/** Human-facing UIs served by the router, not API operations. */
const UI_PREFIXES = ['/docs', '/redoc', '/admin/queues'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const toOpenApi = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

describe('OpenAPI document and /docs', () => {
  let t: TestContext;
  let doc: Record<string, any>;
  before(async () => {
    t = await startTestApp();
    const res = await t.request.get('/openapi.json');
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(async () => { await t.close(); });

  it('validates as OpenAPI 3.1', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)?.slice(0, 2000)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it('lists every declared route and every route the router serves', async () => {
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) if (METHODS.includes(method)) documented.add(`${method.toUpperCase()} ${path}`);
    }

    const declared = new Set(t.app.routes.map((r) => `${r.method.toUpperCase()} ${toOpenApi(r.path)}`));
    expect(declared.size).to.equal(t.app.routes.length, 'a route is declared twice');

    const mounted = new Set<string>();
    expect(t.app.served.length).to.be.greaterThan(t.app.routes.length, 'the docs pages are served too');
    for (const { method, path } of t.app.served) {
      if (UI_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) continue;
      mounted.add(`${method} ${toOpenApi(path)}`);
    }

    expect([...declared].filter((r) => !documented.has(r)), 'declared but not documented').to.deep.equal([]);
    expect([...mounted].filter((r) => !documented.has(r)), 'mounted but not documented').to.deep.equal([]);
    expect([...documented].filter((r) => !mounted.has(r)), 'documented but not mounted').to.deep.equal([]);
    for (const op of ['GET /admin/dashboard', 'POST /admin/empresas/{empresa_id}/routers', 'GET /admin/empresas/{empresa_id}/routers/{router_id}/api-key-status',
      'POST /admin/empresas/{empresa_id}/routers/{router_id}/api-keys/{key_id}/revoke', 'POST /admin/usuarios/{usuario_id}/reset-password']) {
      expect(documented.has(op), op).to.equal(true);
    }
  });

  it('gives every operation a summary, tags, its auth scheme, typed responses and examples', () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const route of t.app.routes) {
      const op = doc.paths[toOpenApi(route.path)][route.method];
      const label = `${route.method.toUpperCase()} ${route.path}`;
      expect(op.summary, label).to.be.a('string').and.not.equal('');
      expect(op.tags, label).to.be.an('array').that.is.not.empty;
      expect(op.security, label).to.be.an('array');
      if (route.auth === 'public') expect(op.security, label).to.deep.equal([]);
      else {
        expect(op.security, label).to.not.be.empty;
        for (const requirement of op.security) for (const name of Object.keys(requirement)) expect(schemes, label).to.include(name);
      }
      const success = op.responses[String(route.status ?? 200)];
      expect(success, label).to.be.an('object');
      if (route.path.startsWith('/admin')) {
        // JSON answers carry a schema and an example; a file (a RouterOS script) says its content type.
        const json = success.content?.['application/json'];
        if (json) {
          expect(json.schema, label).to.be.an('object');
          expect(json.example, label).to.not.equal(undefined);
        } else expect((route.responses as Record<string, { contentType?: string }>)[String(route.status ?? 200)]?.contentType, label).to.be.a('string').and.not.equal('application/json');
        expect(op.responses['403'], label).to.be.an('object');
        expect(op.responses['401'], label).to.be.an('object');
        if (route.body) expect(op.requestBody.content['application/json'].example, label).to.be.an('object');
        const pathParams = (route.path.match(/:([A-Za-z_]+)/g) ?? []).map((p) => p.slice(1));
        expect(op.parameters.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name), label).to.have.members(pathParams);
      }
    }
    // The admin documentation says which secrets are never returned.
    const createEmpresa = doc.paths['/admin/empresas'].post;
    expect(createEmpresa.requestBody.content['application/json'].schema.required).to.include.members(['nombre', 'contacto_email']);
    expect(Object.keys(createEmpresa.responses['200'].content['application/json'].schema.properties)).to.include('conekta_configurado').and.not.include('conekta_private_key');
  });

  it('serves Swagger UI at /docs with its assets from this process', async () => {
    const page = await t.request.get('/docs');
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.match(/text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).to.be.at.least(3);
    for (const src of sources) expect(src.startsWith('/'), `${src} must be served locally`).to.equal(true);
    const bundle = await t.request.get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).to.equal(200);
    expect(bundle.headers['content-type']).to.match(/javascript/);
    expect(bundle.text.length).to.be.greaterThan(100_000);
    const css = await t.request.get('/docs/swagger-ui.css');
    expect(css.status).to.equal(200);
    const init = await t.request.get('/docs/init.js');
    expect(init.text).to.include('/openapi.json');
    expect((await t.request.get('/docs/../package.json')).status).to.equal(404);
    expect((await t.request.get('/docs/index.html')).status).to.equal(404);
  });
});
