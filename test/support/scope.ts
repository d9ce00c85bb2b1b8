/**
 * Each test file's own corner of PostgreSQL and Redis: a database cloned from
 * the run's migrated template, and a Redis key prefix (also before the BullMQ
 * queue prefix). Opened before the file's first hook and dropped after its
 * last (test/setup/global.ts installs both), so files can run side by side
 * with `mocha --parallel` and a run leaves nothing behind.
 *
 * The migrations run once per run, into the template database
 * (`<test db>_tpl`, `prepareTemplate`, from mochaGlobalSetup); each file gets
 * `CREATE DATABASE <test db>_t_<pid>_<n> TEMPLATE <test db>_tpl`, which copies
 * every schema the migrations made (the app's, `SCOPE_SCHEMA`, and any other,
 * such as RADIUS's `<schema>_radius`) in tens of milliseconds instead of
 * migrating again. `TEST_ENV` carries the clone as DATABASE_URL and
 * DATABASE_SCHEMA while the file runs.
 */
import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import Redis from 'ioredis';
import { createKnex, migrateLatest } from '../../src/platform/db/knex';
import { TEST_DATABASE_URL, TEST_ENV, TEST_REDIS_URL } from './env';

/** The test database's name: the template and every file's clone are named after it. */
const BASE = new URL(TEST_DATABASE_URL).pathname.slice(1);
/** The run's migrated template. */
export const TEMPLATE_DATABASE = `${BASE}_tpl`;
/** Every file's clone starts with this: what the end-of-run check looks for. */
export const DATABASE_PREFIX = `${BASE}_t_`;
/** The app's schema in the template, so in every clone (DATABASE_SCHEMA: the app's searchPath). */
export const SCOPE_SCHEMA = 'app';
/** Schemas in the shared test database that a scope would have left (the scopes of before the template). */
export const SCHEMA_PREFIX = 't_';
export const REDIS_PREFIX = 't:';

export interface TestScope {
  /** The file's database (a clone of the template) and its URL. */
  database: string;
  databaseUrl: string;
  /** The app's schema in it. */
  schema: string;
  redisPrefix: string;
}

let opened = 0;
let current: TestScope | null = null;

export function adminKnex(url = TEST_DATABASE_URL): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const quoted = (name: string) => `"${name.replace(/"/g, '')}"`;

async function dropDatabase(admin: Knex, name: string): Promise<void> {
  // FORCE: a connection a file forgot to close (a pool still draining) must not keep its clone alive.
  await admin.raw(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
}

/**
 * The run's template: (re)created and migrated once, in the main process,
 * before any file opens a scope. It takes no connections afterwards
 * (ALLOW_CONNECTIONS false): CREATE DATABASE … TEMPLATE needs it idle.
 */
export async function prepareTemplate(): Promise<void> {
  const admin = adminKnex();
  try {
    await dropTemplate(admin);
    await admin.raw(`CREATE DATABASE ${quoted(TEMPLATE_DATABASE)}`);
  } finally {
    await admin.destroy();
  }
  const db = createKnex({ database: { url: databaseUrl(TEMPLATE_DATABASE), poolSize: 1, ssl: null, schema: SCOPE_SCHEMA } });
  try {
    await db.raw(`CREATE SCHEMA ${quoted(SCOPE_SCHEMA)}`);
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  const done = adminKnex();
  try {
    await done.raw(`ALTER DATABASE ${quoted(TEMPLATE_DATABASE)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await done.destroy();
  }
}

async function dropTemplate(admin: Knex): Promise<void> {
  const found = await admin.raw('select 1 from pg_database where datname = ?', [TEMPLATE_DATABASE]);
  if (found.rows.length === 0) return;
  await admin.raw(`ALTER DATABASE ${quoted(TEMPLATE_DATABASE)} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`);
  await dropDatabase(admin, TEMPLATE_DATABASE);
}

/** The template, gone (the end of a run). */
export async function removeTemplate(): Promise<void> {
  const admin = adminKnex();
  try {
    await dropTemplate(admin);
  } finally {
    await admin.destroy();
  }
}

/**
 * Whether a test file needs a scope: it reaches PostgreSQL or Redis only
 * through the test support (harness, stack, browser, env, scope…), the app's
 * container or the platform's db/redis modules. A file that imports none of
 * them (pure units: parsers, crypto, the simulator, the gateway clients) gets
 * no database and no prefix.
 */
export function needsScope(file: string): boolean {
  if (!file) return true;
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return true;
  }
  return /from '(?:\.\.?\/)+(?:support\/(?!api-router')[\w-]+|scripts\/[\w-]+|src\/(?:app|container|platform\/(?:db|redis)[\w/-]*))'/.test(source);
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
  if (!current) throw new Error('no test scope is open: test/setup/global.ts opens one per test file that imports the test support (see needsScope)');
  return current;
}

export async function openScope(): Promise<TestScope> {
  // The previous file's last `after` hook did not run (mocha skips the rest of a
  // suite's hooks after one fails): drop its scope here, so one failing file
  // does not fail every file after it in this process.
  if (current) await closeScope();
  opened += 1;
  const database = `${DATABASE_PREFIX}${process.pid}_${opened}`;
  const scope: TestScope = { database, databaseUrl: databaseUrl(database), schema: SCOPE_SCHEMA, redisPrefix: `${REDIS_PREFIX}${process.pid}:${opened}:` };
  const admin = adminKnex();
  try {
    await admin.raw(`CREATE DATABASE ${quoted(database)} TEMPLATE ${quoted(TEMPLATE_DATABASE)}`);
  } finally {
    await admin.destroy();
  }
  TEST_ENV.DATABASE_URL = scope.databaseUrl;
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
  TEST_ENV.DATABASE_URL = TEST_DATABASE_URL;
  delete TEST_ENV.DATABASE_SCHEMA;
  delete TEST_ENV.REDIS_KEY_PREFIX;
  const admin = adminKnex();
  try {
    await dropDatabase(admin, scope.database);
  } finally {
    await admin.destroy();
  }
  await deleteRedisKeys(scope.redisPrefix);
}

/** Databases, schemas and Redis keys of scopes (this run's leftovers, or an interrupted run's). */
export async function leftovers(): Promise<{ databases: string[]; schemas: string[]; redisKeys: number }> {
  const admin = adminKnex();
  try {
    const like = (prefix: string) => `${prefix.replace(/[_%\\]/g, '\\$&')}%`;
    const databases = await admin.raw('SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1', [like(DATABASE_PREFIX)]);
    const schemas = await admin.raw('SELECT nspname FROM pg_namespace WHERE nspname LIKE ? ORDER BY 1', [like(SCHEMA_PREFIX)]);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = '0';
      let count = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      return {
        databases: (databases.rows as Array<{ datname: string }>).map((r) => r.datname),
        schemas: (schemas.rows as Array<{ nspname: string }>).map((r) => r.nspname),
        redisKeys: count,
      };
    } finally {
      redis.disconnect();
    }
  } finally {
    await admin.destroy();
  }
}

/** Drops every scope's database, schema and keys (before a run: an interrupted run's; after it: whatever the check found). */
export async function dropLeftovers(): Promise<void> {
  const { databases, schemas } = await leftovers();
  const admin = adminKnex();
  try {
    for (const database of databases) await dropDatabase(admin, database);
    for (const schema of schemas) await admin.raw(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`);
  } finally {
    await admin.destroy();
  }
  await deleteRedisKeys(REDIS_PREFIX);
}
