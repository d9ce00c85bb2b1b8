import { expect } from 'chai';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { startTestApp, testConfig, type TestContext } from '../support/harness';

describe('HTTP basics', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  it('GET / names the service and its version', async () => {
    const res = await t.request.get('/');
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ name: 'Pagos Hotspot API', status: 'running' });
    expect(res.body.version).to.match(/^\d+\.\d+\.\d+/);
  });

  it('every response carries a request id; a safe incoming one is kept', async () => {
    const res = await t.request.get('/').set('X-Request-Id', 'abc-123-def-456');
    expect(res.headers['x-request-id']).to.equal('abc-123-def-456');
    const generated = await t.request.get('/').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('GET /health checks PostgreSQL and Redis', async () => {
    const res = await t.request.get('/health');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'healthy', estado: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('/health answers 503 naming Redis when Redis is unreachable', async () => {
    // Its Redis check gives up after the command timeout: 300 ms here instead of the 2 s default (the answer is the same).
    const c = createContainer(testConfig({ REDIS_URL: 'redis://127.0.0.1:1/0', REDIS_COMMAND_TIMEOUT_MS: '300' }));
    try {
      const res = await supertest(createApp(c).callback()).get('/health');
      expect(res.status).to.equal(503);
      expect(res.headers['retry-after']).to.equal('2');
      expect(res.body.status).to.equal('unhealthy');
      expect(res.body.code).to.equal('service_unavailable');
      expect(res.body.detail).to.equal('Servicio no disponible: redis');
      expect(res.body.checks).to.deep.equal({ postgres: 'ok', redis: 'error' });
    } finally {
      await c.close();
    }
  });

  it('unknown routes are a Spanish 404 and oversized bodies a 413, not 500', async () => {
    const res = await t.request.get('/no/existe');
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ detail: 'Ruta no encontrada', code: 'route_not_found' });
    const big = await t.request.post('/api/v1/auth/login').send({ email: 'a@b.mx', password: 'x'.repeat(200_000) });
    expect(big.status).to.equal(413);
    expect(big.body.detail).to.equal('El cuerpo de la solicitud es demasiado grande');
  });

  it('CORS allows only configured origins', async () => {
    const other = await startTestApp({ BACKEND_CORS_ORIGINS: 'https://portal.example.com' });
    try {
      const allowed = await other.request.get('/').set('Origin', 'https://portal.example.com');
      expect(allowed.headers['access-control-allow-origin']).to.equal('https://portal.example.com');
      const denied = await other.request.get('/').set('Origin', 'https://evil.example.com');
      expect(denied.headers['access-control-allow-origin']).to.equal(undefined);
    } finally {
      await other.close();
    }
  });
});
