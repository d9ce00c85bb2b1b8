/**
 * Error bodies carry a stable machine-readable `code` beside the Spanish
 * `detail` (and `field` on validation errors), wherever the error is built; and
 * in tests every JSON response is checked against the schema its route declares
 * for the status, so a response that drifts from its documentation fails.
 */
import { expect } from 'chai';
import { errorResponse, object, str } from '../../src/platform/http/schemas';
import { NotFoundError, ERROR_CODES } from '../../src/platform/errors';
import { apiRouterApp } from '../support/api-router';
import { startTestApp, testConfig, type TestContext } from '../support/harness';

describe('error codes', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp({ RATE_LIMIT_LOGIN_EMAIL_IP_POINTS: '2' }); });
  after(async () => { await t.close(); });

  it('a validation error names its code and field', async () => {
    const res = await t.request.post('/api/v1/auth/login').send({ email: 'a@b.mx' });
    expect(res.status).to.equal(422);
    expect(res.body).to.deep.equal({ detail: "El campo 'password' es obligatorio", code: 'validation_error', field: 'password' });
    const bad = await t.request.post('/api/v1/auth/login').send({ email: 'no-es-email', password: 'x' });
    expect(bad.body).to.include({ code: 'validation_error', field: 'email' });
  });

  it('401 from the authenticator, 404 from a service and from the router fallback, invalid JSON and 413 have codes', async () => {
    const noToken = await t.request.get('/api/v1/auth/me');
    expect(noToken.status).to.equal(401);
    expect(noToken.body.code).to.equal('unauthorized');
    expect(noToken.headers['www-authenticate']).to.equal('Bearer');

    const loggedIn = await t.request.post('/api/v1/auth/login').send({ email: t.config.superAdmin.email, password: t.config.superAdmin.password });
    const missing = await t.request.get('/admin/empresas/EMP_0000000000').set('Authorization', `Bearer ${loggedIn.body.access_token}`);
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ detail: 'Empresa no encontrada', code: 'not_found' });

    expect((await t.request.get('/nada')).body.code).to.equal('route_not_found');
    const json = await t.request.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":');
    expect(json.status).to.equal(400);
    expect(json.body).to.deep.equal({ detail: 'El cuerpo de la solicitud no es JSON válido', code: 'invalid_json' });
    const big = await t.request.post('/api/v1/auth/login').send({ email: 'a@b.mx', password: 'x'.repeat(200_000) });
    expect(big.status).to.equal(413);
    expect(big.body.code).to.equal('payload_too_large');
  });

  it('429 from the rate limits is rate_limited, with Retry-After', async () => {
    const attempt = () => t.request.post('/api/v1/auth/login').send({ email: 'nadie@pagos.test', password: 'mala-clave' });
    expect((await attempt()).body.code).to.equal('unauthorized');
    expect((await attempt()).body.code).to.equal('unauthorized');
    const limited = await attempt();
    expect(limited.status).to.equal(429);
    expect(limited.body.code).to.equal('rate_limited');
    expect(Number(limited.headers['retry-after'])).to.be.greaterThan(0);
  });

  it('the OpenAPI error schema documents code (with its stable values) and field', async () => {
    const doc = (await t.request.get('/openapi.json')).body;
    const login = doc.paths['/api/v1/auth/login'].post.responses;
    const schema = login['401'].content['application/json'].schema;
    expect(schema.required).to.deep.equal(['detail', 'code']);
    expect(schema.properties.code.enum).to.deep.equal([...ERROR_CODES]);
    expect(schema.properties).to.have.property('field');
    expect(login['401'].content['application/json'].example).to.deep.equal({ detail: 'Credenciales incorrectas', code: 'unauthorized' });
  });
});

describe('response validation against the declared schemas', () => {
  const thing = object({ id: { type: 'integer' }, nombre: str() }, ['id', 'nombre']);

  it('is on in tests (NODE_ENV=test) and off by default elsewhere', () => {
    expect(testConfig().http.validateResponses).to.equal(true);
    expect(testConfig({ NODE_ENV: 'development' }).http.validateResponses).to.equal(false);
    expect(testConfig({ NODE_ENV: 'development', HTTP_VALIDATE_RESPONSES: 'true' }).http.validateResponses).to.equal(true);
  });

  it('a body that does not match the success schema becomes a 500 naming the mismatch, and is recorded', async () => {
    const { api, request } = apiRouterApp((a) => {
      a.add({ method: 'get', path: '/ok', auth: 'public', tags: ['t'], summary: 's', responses: { 200: { description: 'd', schema: thing } }, handler: () => ({ id: 1, nombre: 'a' }) });
      a.add({ method: 'get', path: '/drift', auth: 'public', tags: ['t'], summary: 's', responses: { 200: { description: 'd', schema: thing } }, handler: () => ({ id: '1', nombre: 'a' }) });
      a.add({ method: 'get', path: '/extra', auth: 'public', tags: ['t'], summary: 's', responses: { 200: { description: 'd', schema: thing } }, handler: () => ({ id: 1, nombre: 'a', secreto: 'x' }) });
    });
    expect((await request.get('/ok')).status).to.equal(200);
    const drift = await request.get('/drift');
    expect(drift.status).to.equal(500);
    expect(drift.body.detail).to.match(/GET \/drift 200: \/id must be integer/);
    expect((await request.get('/extra')).status).to.equal(500);
    expect(api.responseMismatches.map((m) => m.route)).to.deep.equal(['GET /drift', 'GET /extra']);
  });

  it('an undeclared success status and an error body off the shared schema are caught too', async () => {
    const { api, request } = apiRouterApp((a) => {
      a.add({ method: 'post', path: '/created', auth: 'public', tags: ['t'], summary: 's', status: 201, responses: { 200: { description: 'd', schema: thing } }, handler: () => ({ id: 1, nombre: 'a' }) });
      a.add({
        method: 'get', path: '/raw-error', auth: 'public', tags: ['t'], summary: 's', responses: { 200: { description: 'd', schema: thing } },
        handler: (ctx) => { ctx.status = 409; ctx.body = { error: 'sin detail ni code' }; return undefined; },
      });
      a.add({
        method: 'get', path: '/typed-error', auth: 'public', tags: ['t'], summary: 's',
        responses: { 200: { description: 'd', schema: thing }, 404: errorResponse('No existe', 'No existe') },
        handler: () => { throw new NotFoundError('No existe'); },
      });
    });
    expect((await request.post('/created')).status).to.equal(500);
    expect((await request.get('/raw-error')).status).to.equal(500);
    const typed = await request.get('/typed-error');
    expect(typed.status).to.equal(404);
    expect(typed.body).to.deep.equal({ detail: 'No existe', code: 'not_found' });
    expect(api.responseMismatches.map((m) => `${m.route} ${m.status}`)).to.deep.equal(['POST /created 201', 'GET /raw-error 409']);
  });

  it('does nothing when switched off', async () => {
    const { api, request } = apiRouterApp((a) => {
      a.add({ method: 'get', path: '/drift', auth: 'public', tags: ['t'], summary: 's', responses: { 200: { description: 'd', schema: thing } }, handler: () => ({ id: '1' }) });
    }, { validateResponses: false });
    expect((await request.get('/drift')).status).to.equal(200);
    expect(api.responseMismatches).to.deep.equal([]);
  });
});
