import { expect } from 'chai';
import sinon from 'sinon';
import net from 'node:net';
import Redis from 'ioredis';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import type { GatePass } from '../../src/features/auth';
import { createContainer } from '../../src/container';
import { LAST_USE_RESOLUTION_MS } from '../../src/features/routers';
import { insertEscenario } from '../support/fixtures';
import { openMonitor } from '../support/redis-count';
import { startTestApp, testConfig, type TestContext } from '../support/harness';

/**
 * Commands the app sends to its Redis database while `action` runs (scripts' inner calls excluded).
 * Other test files may use the same db at the same time: only this app's connections count (they
 * carry its key prefix in their name).
 */
async function redisCommandsDuring(t: TestContext, action: () => Promise<unknown>): Promise<string[]> {
  const db = Number(new URL(t.config.redis.url).pathname.slice(1) || 0);
  const admin = new Redis(t.config.redis.url);
  const clients = String(await admin.client('LIST')).split('\n');
  admin.disconnect();
  const ours = new Set(clients.filter((line) => line.includes(` name=pagos:${t.config.redis.keyPrefix} `)).map((line) => /\baddr=(\S+)/.exec(line)?.[1]));
  expect(ours.size, 'the app names its Redis connections').to.be.greaterThan(0);
  const monitor = await openMonitor(t.config.redis.url);
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string, database: string) => {
    if (Number(database) === db && source !== 'lua' && ours.has(source)) seen.push(args[0]!.toLowerCase());
  });
  try {
    await action();
    await new Promise((resolve) => setTimeout(resolve, 50)); // MONITOR lines trail the replies
    return seen;
  } finally {
    monitor.disconnect();
  }
}

describe('portal gate: key check, rate limit and usage in one Redis script', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp({ RATE_LIMIT_PORTAL_KEY_POINTS: '5' }); });
  after(async () => { await t.close(); });

  const hit = (apiKey: string) => t.request.get('/api/v1/catalogo_perfiles_venta').set('X-API-Key', apiKey);
  const counter = async (keyId: string) => Number(await t.container.redis.get(`{pagos}:rl:portalPerKey:${keyId}`) ?? 0);
  const usage = async (keyId: string) => (await t.container.keyUsage.live([keyId])).get(keyId)!.count;

  it('a key checked recently costs one Redis command and no PostgreSQL query', async () => {
    const escenario = await insertEscenario(t.container);
    expect((await hit(escenario.apiKey)).status).to.equal(200); // checks the key and loads the catalog
    const queries: string[] = [];
    const onQuery = (q: { sql: string }) => queries.push(q.sql);
    t.container.knex.on('query', onQuery);
    try {
      const commands = await redisCommandsDuring(t, async () => expect((await hit(escenario.apiKey)).status).to.equal(200));
      expect(commands).to.deep.equal(['evalsha']);
      expect(queries).to.deep.equal([]);
    } finally {
      t.container.knex.off('query', onQuery);
    }
    expect(await usage(escenario.keyId)).to.equal(2);
    expect(await counter(escenario.keyId)).to.equal(2);
  });

  it('a key revoked after it was cached is refused on the next request, and nothing is counted for it', async () => {
    const escenario = await insertEscenario(t.container);
    expect((await hit(escenario.apiKey)).status).to.equal(200);
    await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).update({ revoked: true, revoked_at: new Date() });
    await t.container.authGeneration.bump(); // what every admin write through the API does
    const res = await hit(escenario.apiKey);
    expect(res.status).to.equal(401);
    expect(res.body.detail).to.equal('API Key no válida o revocada');
    expect(await usage(escenario.keyId)).to.equal(1);
    expect(await counter(escenario.keyId)).to.equal(1);
  });

  it('an admin write elsewhere makes the next request re-check the key once, then it is one command again', async () => {
    const escenario = await insertEscenario(t.container);
    expect((await hit(escenario.apiKey)).status).to.equal(200);
    await t.container.authGeneration.bump();
    const recheck = await redisCommandsDuring(t, async () => expect((await hit(escenario.apiKey)).status).to.equal(200));
    expect(recheck).to.deep.equal(['evalsha', 'evalsha']); // stale: nothing counted; key re-read; then counted
    const after = await redisCommandsDuring(t, async () => expect((await hit(escenario.apiKey)).status).to.equal(200));
    expect(after).to.deep.equal(['evalsha']);
    expect(await usage(escenario.keyId)).to.equal(3);
  });

  it('requests reaching the gate in the same turn share one script call, each with its own answer', async () => {
    const gate = t.container.portalGate;
    const generation = (await t.container.authGeneration.current())!;
    let answers: GatePass[] = [];
    const commands = await redisCommandsDuring(t, async () => {
      answers = await Promise.all([
        ...Array.from({ length: 7 }, () => gate.pass('key_batch_a', generation)),
        gate.pass('key_batch_b'),
        gate.pass('key_batch_c', `${generation}-old`),
        gate.pass('key_batch_b', generation),
      ]);
    });
    expect(commands).to.deep.equal(['evalsha']);
    const refused = (a: GatePass) => (a.stale ? 'stale' : a.refusal ? a.refusal.message : 'ok');
    expect(answers.map(refused)).to.deep.equal([
      'ok', 'ok', 'ok', 'ok', 'ok',
      'Demasiadas solicitudes para esta API Key. Intente de nuevo en 60 segundos',
      'Demasiadas solicitudes para esta API Key. Intente de nuevo en 60 segundos',
      'ok', 'stale', 'ok',
    ]);
    expect(answers.every((a) => a.generation === generation)).to.equal(true);
    expect(await usage('key_batch_a')).to.equal(7);
    expect(await usage('key_batch_b')).to.equal(2);
    expect(await usage('key_batch_c')).to.equal(0);
    expect(await counter('key_batch_c')).to.equal(0);
  });

  it('a key\'s last use is raised at most once per resolution span by a process; every use is still counted; a stale check raises nothing', async () => {
    const gate = t.container.portalGate;
    const generation = (await t.container.authGeneration.current())!;
    const lastUse = async (keyId: string) => (await t.container.keyUsage.live([keyId])).get(keyId)!.lastUsed?.getTime() ?? null;
    // Only Date is faked: the gate's batching (setImmediate) and Redis's replies run as usual.
    const clock = sinon.useFakeTimers({ now: Date.parse('2026-12-07T12:00:00Z'), toFake: ['Date'] });
    try {
      const t0 = Date.now();
      expect((await gate.pass('key_last_use', `${generation}-old`)).stale, 'a stale check counts nothing').to.equal(true);
      expect(await lastUse('key_last_use')).to.equal(null);
      await gate.pass('key_last_use', generation);
      expect(await lastUse('key_last_use'), 'raised by the first counted use, though a stale one came before').to.equal(t0);
      clock.tick(LAST_USE_RESOLUTION_MS - 1);
      const commands = await redisCommandsDuring(t, () => gate.pass('key_last_use', generation));
      expect(commands).to.deep.equal(['evalsha']);
      expect(await lastUse('key_last_use'), 'within the span: not raised again').to.equal(t0);
      clock.tick(1);
      await gate.pass('key_last_use', generation);
      expect(await lastUse('key_last_use'), 'past the span: raised').to.equal(t0 + LAST_USE_RESOLUTION_MS);
      expect(await usage('key_last_use')).to.equal(3);
    } finally {
      clock.restore();
    }
  });

  it('the limit counts on the counter rate-limiter-flexible keeps: 429 over it, served again after a reset', async () => {
    const escenario = await insertEscenario(t.container);
    for (let i = 0; i < 5; i++) expect((await hit(escenario.apiKey)).status).to.equal(200);
    const over = await hit(escenario.apiKey);
    expect(over.status).to.equal(429);
    expect(Number(over.headers['retry-after'])).to.be.within(1, 60);
    expect(over.body.detail).to.equal(`Demasiadas solicitudes para esta API Key. Intente de nuevo en ${over.headers['retry-after']} segundos`);
    const check = await t.container.rateLimits.check('portalPerKey', escenario.keyId, 'limitado {s}').then(() => 'allowed', (e: Error) => e.message);
    expect(check).to.match(/^limitado \d+$/);
    expect(await usage(escenario.keyId)).to.equal(6); // a refused request was still an authenticated use of the key
    await t.container.rateLimits.reset('portalPerKey', escenario.keyId);
    expect((await hit(escenario.apiKey)).status).to.equal(200);
  });

  it('when Redis fails after keys were cached, the cache is not trusted: valid keys served, a key revoked meanwhile refused', async () => {
    const [valid, revoked] = [await insertEscenario(t.container), await insertEscenario(t.container)];
    const c = createContainer(testConfig({ RATE_LIMIT_PORTAL_KEY_POINTS: '100' }));
    try {
      const agent = supertest(createApp(c).callback());
      const get = (apiKey: string) => agent.get('/api/v1/catalogo_perfiles_venta').set('X-API-Key', apiKey);
      expect((await get(valid.apiKey)).status).to.equal(200);
      expect((await get(revoked.apiKey)).status).to.equal(200); // both checks now cached in this process
      // Revoked by hand while Redis is gone: no generation could move.
      await t.container.knex('router_api_keys').where({ key_id: revoked.keyId }).update({ revoked: true, revoked_at: new Date() });
      c.redis.disconnect();
      expect((await get(valid.apiKey)).status).to.equal(200);
      const res = await get(revoked.apiKey);
      expect(res.status).to.equal(401);
      expect(res.body.detail).to.equal('API Key no válida o revocada');
    } finally {
      await c.close().catch(() => undefined);
    }
  });

  it('a Redis that accepts connections but never answers delays a portal request by the command timeout, not forever', async () => {
    const escenario = await insertEscenario(t.container);
    const silent = net.createServer(() => undefined); // accepts, never replies
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sockets = new Set<net.Socket>();
    silent.on('connection', (socket) => { sockets.add(socket); });
    const port = (silent.address() as net.AddressInfo).port;
    const c = createContainer(testConfig({ REDIS_URL: `redis://127.0.0.1:${port}/0`, REDIS_COMMAND_TIMEOUT_MS: '200' }));
    try {
      const agent = supertest(createApp(c).callback());
      // Redis never answers: an answer at all is the 200 ms command timeout firing (and the request going on without it).
      const res = await agent.get('/api/v1/catalogo_perfiles_venta').set('X-API-Key', escenario.apiKey);
      expect(res.status).to.equal(200);
    } finally {
      c.redis.disconnect();
      await c.close().catch(() => undefined);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('with Redis unreachable, keys are checked in PostgreSQL on every request: valid served, revoked refused', async () => {
    const escenario = await insertEscenario(t.container);
    const c = createContainer(testConfig({ REDIS_URL: 'redis://127.0.0.1:1/0' }));
    try {
      const agent = supertest(createApp(c).callback());
      const get = () => agent.get('/api/v1/catalogo_perfiles_venta').set('X-API-Key', escenario.apiKey);
      expect((await get()).status).to.equal(200);
      await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).update({ revoked: true, revoked_at: new Date() });
      expect((await get()).status).to.equal(401);
    } finally {
      await c.close();
    }
  });
});
