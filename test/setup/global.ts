/**
 * Root hooks: make sure the test database exists and is migrated before any
 * test file runs. Files clean up after themselves, so they run in any order.
 */
import knexFactory from 'knex';
import { createKnex, migrateLatest } from '../../src/platform/db/knex';
import { TEST_DATABASE_URL } from '../support/env';

async function ensureDatabase(): Promise<void> {
  const target = new URL(TEST_DATABASE_URL);
  const name = target.pathname.slice(1);
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const knex = knexFactory({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  try {
    const exists = await knex.raw('select 1 from pg_database where datname = ?', [name]);
    if (exists.rows.length === 0) {
      await knex.raw(`create database "${name.replace(/"/g, '')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another run
      });
    }
  } finally {
    await knex.destroy();
  }
  const db = createKnex({ database: { url: TEST_DATABASE_URL, poolSize: 1, ssl: null } });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    await ensureDatabase();
  },
};
