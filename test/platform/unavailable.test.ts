/**
 * "A store is unreachable" (src/platform/unavailable.ts), checked on the real
 * errors PostgreSQL, pg, knex and ioredis raise: refused, silent, exhausted,
 * terminated by an administrator. Then over HTTP: a dead store is a quick 503
 * with Retry-After and the Spanish detail, never a 500.
 */
import net from 'node:net';
import { expect } from 'chai';
import Redis from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { createKnex, type Knex } from '../../src/platform/db/knex';
import { unavailableStore } from '../../src/platform/unavailable';
import { closedPort, insertTransaccion, escenarioWithSession } from '../support/cliente';
import { TEST_DATABASE_URL, TEST_ENV } from '../support/env';
import { startTestApp, testConfig, type TestContext } from '../support/harness';
import { startTcpProxy } from '../support/tcp-proxy';

const DETAIL = 'El servicio no está disponible por un momento; intenta de nuevo';

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** knex's own warnings ("Acquire connection error") go to our logger, silent here. */
const quiet = pino({ level: 'silent' });

const dbAt = (port: number, acquireTimeoutMs: number, poolSize = 2) => {
  const url = new URL(TEST_DATABASE_URL);
  url.port = String(port);
  url.hostname = '127.0.0.1';
  return createKnex({ database: { url: url.toString(), poolSize, ssl: null, acquireTimeoutMs } }, undefined, quiet);
};

/** Accepts connections and never answers (a hung server or a black-holed route). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => { sockets.add(socket); socket.on('error', () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

describe('unreachable stores are told apart from bugs (platform/unavailable.ts)', function () {
  this.timeout(30_000);

  describe('on the errors the drivers really raise', () => {
    const opened: Array<Knex | Redis> = [];
    after(async () => {
      for (const client of opened) {
        if (client instanceof Redis) client.disconnect();
        else await client.destroy();
      }
    });

    it('PostgreSQL refusing connections: postgres, at once', async () => {
      const knex = dbAt(await closedPort(), 1000);
      opened.push(knex);
      // ECONNREFUSED, not knex's acquire timeout: the refusal itself, not a wait.
      const error = await failure(() => knex.raw('select 1'));
      expect((error as { code?: string }).code).to.equal('ECONNREFUSED');
      expect(unavailableStore(error)).to.equal('postgres');
    });

    it('PostgreSQL accepting but never answering: postgres, after the acquire timeout', async () => {
      const silent = await silentServer();
      const knex = dbAt(silent.port, 400);
      opened.push(knex);
      try {
        const started = Date.now();
        const error = await failure(() => knex.raw('select 1'));
        expect(unavailableStore(error)).to.equal('postgres');
        expect(Date.now() - started).to.be.at.least(300); // it waited for the acquire timeout (a hang would never answer)
      } finally {
        await silent.close();
      }
    });

    it('the pool exhausted past its wait (knex "Timeout acquiring a connection"): postgres', async () => {
      const url = new URL(TEST_DATABASE_URL);
      const knex = createKnex({ database: { url: url.toString(), poolSize: 1, ssl: null, acquireTimeoutMs: 300 } }, undefined, quiet);
      opened.push(knex);
      let release!: () => void;
      const held = knex.transaction(async (trx) => {
        await trx.raw('select 1');
        await new Promise<void>((resolve) => { release = resolve; });
      });
      await new Promise((r) => setTimeout(r, 100));
      const error = await failure(() => knex.raw('select 1'));
      release();
      await held;
      expect((error as Error).name).to.equal('KnexTimeoutError');
      expect(unavailableStore(error)).to.equal('postgres');
    });

    it('a connection terminated by the administrator (57P01): postgres, and the next query reconnects by itself', async () => {
      const knex = createKnex({ database: { url: TEST_DATABASE_URL, poolSize: 1, ssl: null, acquireTimeoutMs: 2000 } }, undefined, quiet);
      const admin = createKnex({ database: { url: TEST_DATABASE_URL, poolSize: 1, ssl: null } }, undefined, quiet);
      opened.push(knex, admin);
      const { rows } = await knex.raw('select pg_backend_pid() as pid');
      const sleeping = failure(() => knex.raw('select pg_sleep(10)'));
      await new Promise((r) => setTimeout(r, 200));
      await admin.raw('select pg_terminate_backend(?)', [rows[0].pid]);
      const error = await sleeping;
      expect((error as { code?: string }).code).to.equal('57P01');
      expect(unavailableStore(error)).to.equal('postgres');
      // The pool may hand out the dead connection once more ("Connection terminated unexpectedly":
      // an outage too, so a 503 the client retries); then it opens a new one by itself.
      let answer: unknown;
      for (let attempt = 0; attempt < 3 && answer === undefined; attempt++) {
        answer = await knex.raw('select 1 as ok').then((r) => r.rows[0].ok, (e: unknown) => {
          expect(unavailableStore(e)).to.equal('postgres');
          return undefined;
        });
      }
      expect(answer).to.equal(1);
    });

    it('the connection cut under a running query ("<sql> - Connection terminated unexpectedly"): postgres; after the store is back, queries work again', async () => {
      const db = new URL(TEST_DATABASE_URL);
      const proxy = await startTcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
      const knex = dbAt(proxy.port, 1000, 1);
      opened.push(knex);
      try {
        await knex.raw('select 1');
        const sleeping = failure(() => knex.raw('select pg_sleep(5)'));
        await new Promise((r) => setTimeout(r, 200));
        await proxy.cut();
        const error = await sleeping;
        expect((error as Error).message).to.equal('select pg_sleep(5) - Connection terminated unexpectedly');
        expect(unavailableStore(error)).to.equal('postgres');
        const refused = await failure(() => knex.raw('select 1'));
        expect(unavailableStore(refused)).to.equal('postgres');
        await proxy.restore();
        expect((await knex.raw('select 1 as ok')).rows[0].ok).to.equal(1);
      } finally {
        await proxy.close();
      }
    });

    it('bad input and constraint violations are not outages', async () => {
      const knex = createKnex({ database: { url: TEST_DATABASE_URL, poolSize: 1, ssl: null } });
      opened.push(knex);
      const badInput = await failure(() => knex.raw("select 'x'::int"));
      expect((badInput as { code?: string }).code).to.equal('22P02');
      expect(unavailableStore(badInput)).to.equal(null);
      const duplicate = await failure(() => knex.raw('create temp table t_dup (id int primary key); insert into t_dup values (1), (1)'));
      expect((duplicate as { code?: string }).code).to.equal('23505');
      expect(unavailableStore(duplicate)).to.equal(null);
      expect(unavailableStore(new Error('something else broke'))).to.equal(null);
    });

    it('a refused connection to anything else (a gateway, a router) is not a store outage', async () => {
      const port = await closedPort();
      const error = await failure(() => fetch(`http://127.0.0.1:${port}/`));
      expect(((error as Error).cause as { code?: string }).code).to.equal('ECONNREFUSED');
      expect(unavailableStore(error)).to.equal(null);
    });

    it('Redis refusing connections (ioredis gives up after its retries): redis', async () => {
      const redis = new Redis({ host: '127.0.0.1', port: await closedPort(), maxRetriesPerRequest: 1, lazyConnect: false });
      redis.on('error', () => undefined);
      opened.push(redis);
      const error = await failure(() => redis.get('x'));
      expect((error as Error).name).to.equal('MaxRetriesPerRequestError');
      expect(unavailableStore(error)).to.equal('redis');
    });

    it('Redis accepting but never answering (command timeout): redis', async () => {
      const silent = await silentServer();
      const redis = new Redis({ host: '127.0.0.1', port: silent.port, commandTimeout: 200, maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
      opened.push(redis);
      try {
        const error = await failure(() => redis.get('x'));
        expect(unavailableStore(error)).to.equal('redis');
      } finally {
        await silent.close();
      }
    });
  });

  describe('over HTTP', () => {
    let t: TestContext;
    before(async () => { t = await startTestApp(); });
    after(async () => { await t.close(); });

    it('DATABASE_ACQUIRE_TIMEOUT_MS is validated', () => {
      expect(loadConfig({ ...TEST_ENV }).database.acquireTimeoutMs).to.equal(3000);
      expect(loadConfig({ ...TEST_ENV, DATABASE_ACQUIRE_TIMEOUT_MS: '1500' }).database.acquireTimeoutMs).to.equal(1500);
      expect(() => loadConfig({ ...TEST_ENV, DATABASE_ACQUIRE_TIMEOUT_MS: 'dos' })).to.throw(ConfigError, 'DATABASE_ACQUIRE_TIMEOUT_MS');
      expect(() => loadConfig({ ...TEST_ENV, DATABASE_ACQUIRE_TIMEOUT_MS: '5' })).to.throw(ConfigError, 'DATABASE_ACQUIRE_TIMEOUT_MS');
    });

    it('a dead database: 503 with Retry-After, the Spanish detail and a code, within the acquire timeout; /health names it', async () => {
      const url = new URL(TEST_DATABASE_URL);
      url.port = String(await closedPort());
      const c = createContainer(testConfig({ DATABASE_URL: url.toString(), DATABASE_ACQUIRE_TIMEOUT_MS: '800' }));
      try {
        const app = supertest(createApp(c).callback());
        const res = await app.post('/api/v1/auth/login').send({ email: 'ana@example.com', password: 'Passw0rd!' });
        expect(res.status).to.equal(503);
        expect(res.headers['retry-after']).to.equal('2');
        expect(res.body).to.deep.equal({ detail: DETAIL, code: 'service_unavailable' });
        const portal = await app.get('/api/v1/catalogo_perfiles_venta').set('X-API-Key', (await escenarioWithSession(t)).apiKey);
        expect(portal.status).to.equal(503);
        expect(portal.body.detail).to.equal(DETAIL);
        const health = await app.get('/health');
        expect(health.status).to.equal(503);
        expect(health.body).to.deep.include({ status: 'unhealthy', checks: { postgres: 'error', redis: 'ok' } });
      } finally {
        await c.close();
      }
    });

    it('Redis down where it is required (queueing a manual provisioning retry): 503; where it is an optimisation (login, portal): served', async () => {
      const escenario = await escenarioWithSession(t);
      const trx = await insertTransaccion(t.container, { empresa_id: escenario.empresa.id, router_id: escenario.router.id, estado_pago: 'paid', estado_hotspot: 'failed' });
      // Each Redis command and each enqueue waits its bound before the caller falls back: 300 ms here instead of the 2 s defaults, same outcomes.
      const c = createContainer(testConfig({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}/0`, REDIS_COMMAND_TIMEOUT_MS: '300', JOB_ENQUEUE_TIMEOUT_MS: '300' }));
      try {
        const app = supertest(createApp(c).callback());
        const login = await app.post('/api/v1/auth/login').send({ email: escenario.admin.email, password: escenario.admin.password });
        expect(login.status).to.equal(200);
        const catalog = await app.get('/api/v1/catalogo_perfiles_venta').set('X-API-Key', escenario.apiKey);
        expect(catalog.status).to.equal(200);
        const retry = await app.post(`/api/v1/admin/mi-empresa/transacciones/${trx.id}/reintentar`).set('Authorization', `Bearer ${login.body.access_token}`);
        expect(retry.status).to.equal(503);
        expect(retry.headers['retry-after']).to.equal('2');
        expect(retry.body).to.deep.equal({ detail: DETAIL, code: 'service_unavailable' });
      } finally {
        await c.close();
      }
    });
  });
});
