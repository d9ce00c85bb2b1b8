/**
 * Each test file's own corner of the shared test database and Redis db: a
 * PostgreSQL schema migrated for it, and a Redis key prefix (also before the
 * BullMQ queue prefix). Opened before the file's first hook and dropped after
 * its last (test/setup/global.ts installs both), so files can run side by side
 * with `mocha --parallel` and a run leaves nothing behind.
 */
import knexFactory, { type Knex } from 'knex';
import Redis from 'ioredis';
import { createKnex, migrateLatest } from '../../src/platform/db/knex';
import { radiusSchemaFor } from '../../src/platform/db/radius-schema';
import { TEST_DATABASE_URL, TEST_ENV, TEST_REDIS_URL } from './env';

/** Every scope's schema and Redis prefix start with these: what the end-of-run check looks for. */
export const SCHEMA_PREFIX = 't_';
export const REDIS_PREFIX = 't:';

export interface TestScope {
  schema: string;
  redisPrefix: string;
}

let opened = 0;
let current: TestScope | null = null;

export function adminKnex(url = TEST_DATABASE_URL): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

/** Deletes every key under `prefix` (SCAN, never KEYS or FLUSHDB: other files' keys live in the same db). */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/** The open scope (a test file is running). */
export function currentScope(): TestScope {
  if (!current) throw new Error('no test scope is open: test/setup/global.ts opens one per test file');
  return current;
}

export async function openScope(): Promise<TestScope> {
  // The previous file's last `after` hook did not run (mocha skips the rest of a
  // suite's hooks after one fails): drop its scope here, so one failing file
  // does not fail every file after it in this process.
  if (current) await closeScope();
  opened += 1;
  const scope = { schema: `${SCHEMA_PREFIX}${process.pid}_${opened}`, redisPrefix: `${REDIS_PREFIX}${process.pid}:${opened}:` };
  const admin = adminKnex();
  try {
    await admin.raw(`CREATE SCHEMA "${scope.schema}"`);
  } finally {
    await admin.destroy();
  }
  const db = createKnex({ database: { url: TEST_DATABASE_URL, poolSize: 1, ssl: null, schema: scope.schema } });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  TEST_ENV.DATABASE_SCHEMA = scope.schema;
  TEST_ENV.REDIS_KEY_PREFIX = scope.redisPrefix;
  current = scope;
  return scope;
}

/** Everything the file left in Redis, gone (what FLUSHDB was when a run had the db to itself). */
export async function clearScopeRedis(): Promise<void> {
  await deleteRedisKeys(currentScope().redisPrefix);
}

export async function closeScope(): Promise<void> {
  const scope = current;
  if (!scope) return;
  current = null;
  delete TEST_ENV.DATABASE_SCHEMA;
  delete TEST_ENV.REDIS_KEY_PREFIX;
  const admin = adminKnex();
  try {
    await admin.raw(`DROP SCHEMA IF EXISTS "${scope.schema}" CASCADE`);
    // FreeRADIUS's tables (migration 20261207010000_radius) live beside the file's schema.
    await admin.raw(`DROP SCHEMA IF EXISTS "${radiusSchemaFor(scope.schema)}" CASCADE`);
  } finally {
    await admin.destroy();
  }
  await deleteRedisKeys(scope.redisPrefix);
}

/** Schemas and Redis keys of scopes (this run's leftovers, or an interrupted run's). */
export async function leftovers(): Promise<{ schemas: string[]; redisKeys: number }> {
  const admin = adminKnex();
  try {
    const rows = await admin.raw(`SELECT nspname FROM pg_namespace WHERE nspname LIKE ? ORDER BY 1`, [`${SCHEMA_PREFIX.replace('_', '\\_')}%`]);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = '0';
      let count = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      return { schemas: (rows.rows as Array<{ nspname: string }>).map((r) => r.nspname), redisKeys: count };
    } finally {
      redis.disconnect();
    }
  } finally {
    await admin.destroy();
  }
}

/** Drops every scope's schema and keys (before a run: an interrupted run's; after it: whatever the check found). */
export async function dropLeftovers(): Promise<void> {
  const { schemas } = await leftovers();
  const admin = adminKnex();
  try {
    for (const schema of schemas) await admin.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.destroy();
  }
  await deleteRedisKeys(REDIS_PREFIX);
}
