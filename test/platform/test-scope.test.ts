/**
 * The test harness gives each test file its own PostgreSQL schema and Redis key
 * prefix (so files can run in parallel), and the app honours both settings:
 * DATABASE_SCHEMA (knex searchPath) and REDIS_KEY_PREFIX (ioredis keyPrefix and
 * the BullMQ prefix).
 */
import { expect } from 'chai';
import Redis from 'ioredis';
import { startTestApp, type TestContext } from '../support/harness';
import { currentScope } from '../support/scope';
import { TEST_REDIS_URL } from '../support/env';

describe('test file scope: own database schema and Redis key prefix', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  it('the app works in this file\'s schema', async () => {
    const { schema } = currentScope();
    expect(t.config.database.schema).to.equal(schema);
    const current = await t.container.knex.raw('select current_schema() as s');
    expect(current.rows[0].s).to.equal(schema);
    const usuarios = await t.container.knex.raw(`select count(*)::int as n from "${schema}".usuarios`);
    expect(usuarios.rows[0].n).to.equal(1); // the initial super admin, in this file's schema only
  });

  it('keys and queues live under this file\'s Redis prefix', async () => {
    const { redisPrefix } = currentScope();
    expect(t.config.redis.keyPrefix).to.equal(redisPrefix);
    expect(t.config.redis.queuePrefix).to.equal(`${redisPrefix}{pagos}`);
    await t.container.redis.set('probe', 'x');
    await t.container.jobs.enqueue('flush-key-usage', {}, { delay: 60_000 });
    const raw = new Redis(TEST_REDIS_URL);
    try {
      expect(await raw.get(`${redisPrefix}probe`)).to.equal('x');
      expect(await raw.get('probe')).to.equal(null);
      const queued = await raw.keys(`${redisPrefix}{pagos}:maintenance:*`);
      expect(queued.length).to.be.greaterThan(0);
    } finally {
      raw.disconnect();
    }
  });
});
