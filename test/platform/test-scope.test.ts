/**
 * The test harness gives each test file its own PostgreSQL database (a clone
 * of the run's migrated template) and Redis key prefix (so files can run in
 * parallel), and the app honours the settings: DATABASE_URL, DATABASE_SCHEMA
 * (knex searchPath) and REDIS_KEY_PREFIX (ioredis keyPrefix and the BullMQ
 * prefix).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { MIGRATIONS_DIR } from '../../src/platform/db/knex';
import Redis from 'ioredis';
import { startTestApp, type TestContext } from '../support/harness';
import { currentScope, needsScope, templateDatabase } from '../support/scope';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';

describe('test file scope: own database and Redis key prefix', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  it('the app works in this file\'s database, a migrated clone of the template, and its schema', async () => {
    const { database, databaseUrl, schema } = currentScope();
    expect(t.config.database.url).to.equal(databaseUrl);
    expect(t.config.database.schema).to.equal(schema);
    const current = await t.container.knex.raw('select current_database() as d, current_schema() as s');
    expect(current.rows[0]).to.deep.equal({ d: database, s: schema });
    expect(database).not.to.equal(new URL(TEST_DATABASE_URL).pathname.slice(1));
    const migrated = await t.container.knex.raw('select count(*)::int as n from knex_migrations');
    expect(migrated.rows[0].n).to.equal(fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).length);
    const template = await t.container.knex.raw('select datistemplate as t from pg_database where datname = ?', [templateDatabase()]);
    expect(template.rows).to.deep.equal([{ t: true }]);
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

describe('test file scope: only for files that can reach the stores', () => {
  const here = (name: string) => path.join(__dirname, '..', name);

  it('a file using the test support or the app\'s container gets one; a pure unit test file does not', () => {
    expect(needsScope(here('platform/test-scope.test.ts'))).to.equal(true); // harness
    expect(needsScope(here('browser/panel.test.ts'))).to.equal(true); // scripts/demo, support/browser
    expect(needsScope(here('empresas/gateways-configured.test.ts'))).to.equal(true); // src/app, src/container
    expect(needsScope(here('platform/fernet.test.ts'))).to.equal(false);
    expect(needsScope(here('integrations/mikrotik/simulator.test.ts'))).to.equal(false);
    expect(needsScope(here('platform/api-router-dispatch.test.ts'))).to.equal(false); // support/api-router: an in-process router, no store
    expect(needsScope(here('transacciones/outcomes.test.ts'))).to.equal(false); // support/fake-…: the fast layer's in-memory stores
    expect(needsScope(here('productos/service.test.ts'))).to.equal(false); // a feature over its fake store
    expect(needsScope(here('productos/store-contract.test.ts'))).to.equal(true); // the contract's real half
  });
});
