/**
 * Each test file's own corner of PostgreSQL and Redis: a database cloned from
 * the run's migrated template, and a Redis key prefix (also before the BullMQ
 * queue prefix). Opened before the file's first hook and dropped after its
 * last (test/setup/global.ts installs both), so files can run side by side
 * with `mocha --parallel` and a run leaves nothing behind.
 *
 * The migrations run once per run, into the template database
 * (`<test db>_tpl_<run>`, `prepareTemplate`, from mochaGlobalSetup; <run> is
 * the pid of the run's main process, which mocha's workers inherit as
 * PAGOS_TEST_RUN); each file gets
 * `CREATE DATABASE <test db>_t_<run>_<pid>_<n> TEMPLATE <test db>_tpl_<run>`,
 * which copies every schema the migrations made (the app's, `SCOPE_SCHEMA`,
 * and any other, such as RADIUS's `<schema>_radius`) in a fraction of a
 * second instead of migrating again; most files take a clone made ahead
 * (`startClonePool`) and pay nothing. `TEST_ENV` carries the clone as DATABASE_URL and
 * DATABASE_SCHEMA while the file runs. Names carry the run, so two runs on one
 * test database leave each other alone: a run clears only what dead runs left,
 * and checks at its end only what it made itself.
 */
import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import Redis from 'ioredis';
import { createKnex, migrateLatest } from '../../src/platform/db/knex';
import { TEST_DATABASE_URL, TEST_ENV, TEST_REDIS_URL } from './env';

/** The test database's name: the template and every file's clone are named after it. */
const BASE = new URL(TEST_DATABASE_URL).pathname.slice(1);
/** The run: its main process's pid (set there by mochaGlobalSetup, inherited by the workers). */
function runId(): string {
  return (process.env.PAGOS_TEST_RUN ??= String(process.pid));
}
const TEMPLATE_PREFIX = `${BASE}_tpl_`;
/** Every file's clone starts with this (then `<run>_`). */
const DATABASE_PREFIX = `${BASE}_t_`;
/** The run's migrated template. */
export function templateDatabase(): string {
  return `${TEMPLATE_PREFIX}${runId()}`;
}
/** The app's schema in the template, so in every clone (DATABASE_SCHEMA: the app's searchPath). */
export const SCOPE_SCHEMA = 'app';
/** Schemas in the shared test database that a scope would have left (the scopes of before the template). */
export const SCHEMA_PREFIX = 't_';
export const REDIS_PREFIX = 't:';

/** Whether the run `id` (a pid) is still running. */
function alive(id: string): boolean {
  try {
    process.kill(Number(id), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
    await admin.raw(`CREATE DATABASE ${quoted(templateDatabase())}`);
  } finally {
    await admin.destroy();
  }
  const db = createKnex({ database: { url: databaseUrl(templateDatabase()), poolSize: 1, ssl: null, schema: SCOPE_SCHEMA } });
  try {
    await db.raw(`CREATE SCHEMA ${quoted(SCOPE_SCHEMA)}`);
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  const done = adminKnex();
  try {
    await done.raw(`ALTER DATABASE ${quoted(templateDatabase())} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await done.destroy();
  }
}

async function dropTemplate(admin: Knex): Promise<void> {
  const found = await admin.raw('select 1 from pg_database where datname = ?', [templateDatabase()]);
  if (found.rows.length === 0) return;
  await admin.raw(`ALTER DATABASE ${quoted(templateDatabase())} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`);
  await dropDatabase(admin, templateDatabase());
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
 * Clones made ahead of time: in the run's main process, while the files run,
 * `startClonePool` keeps POOL_TARGET clones of the template ready
 * (`<test db>_t_<run>_pool_<n>`); a file's `openScope` takes one by renaming
 * it to its own name (a rename of a database nobody is connected to: atomic,
 * so two workers never get the same one) and clones on the spot only when
 * none is ready. A clone costs ~0.4 s of PostgreSQL's time; made ahead, it is
 * off the files' path (the workers mostly wait on I/O meanwhile).
 */
const POOL_TARGET = 2;
const poolPrefix = () => `${DATABASE_PREFIX}${runId()}_pool_`;
const likePrefix = (prefix: string) => `${prefix.replace(/[_%\\]/g, '\\$&')}%`;
let pool: { stop: () => Promise<void> } | null = null;

async function pooledClones(admin: Knex): Promise<string[]> {
  const { rows } = await admin.raw('SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY datname', [likePrefix(poolPrefix())]);
  return (rows as Array<{ datname: string }>).map((r) => r.datname);
}

/** Starts the filler (the main process, after prepareTemplate); `stopClonePool` ends it and drops what is left. */
export function startClonePool(): void {
  if (pool) return;
  let stopped = false;
  let made = 0;
  const admin = adminKnex();
  const loop = (async () => {
    while (!stopped) {
      try {
        if ((await pooledClones(admin)).length < POOL_TARGET) {
          made += 1;
          await admin.raw(`CREATE DATABASE ${quoted(`${poolPrefix()}${String(made).padStart(5, '0')}`)} TEMPLATE ${quoted(templateDatabase())}`);
          continue;
        }
      } catch {
        // The template busy for a moment, or the server restarting: the files clone on the spot meanwhile.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  pool = {
    async stop() {
      stopped = true;
      await loop;
      try {
        for (const name of await pooledClones(admin)) await dropDatabase(admin, name);
      } finally {
        await admin.destroy();
      }
    },
  };
}

export async function stopClonePool(): Promise<void> {
  const running = pool;
  pool = null;
  await running?.stop();
}

/** Takes a ready clone as `name`; false when there is none (or another file took the last one first). */
async function claimPooled(admin: Knex, name: string): Promise<boolean> {
  for (const candidate of await pooledClones(admin)) {
    try {
      await admin.raw(`ALTER DATABASE ${quoted(candidate)} RENAME TO ${quoted(name)}`);
      return true;
    } catch {
      // Taken by another file meanwhile: the next one.
    }
  }
  return false;
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
  return /from '(?:\.\.?\/)+(?:support\/(?!api-router'|fake-)[\w-]+|scripts\/[\w-]+|src\/(?:app|container|platform\/(?:db|redis)[\w/-]*))'/.test(source);
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
  const database = `${DATABASE_PREFIX}${runId()}_${process.pid}_${opened}`;
  const scope: TestScope = { database, databaseUrl: databaseUrl(database), schema: SCOPE_SCHEMA, redisPrefix: `${REDIS_PREFIX}${runId()}:${process.pid}:${opened}:` };
  const admin = adminKnex();
  try {
    if (!(await claimPooled(admin, database))) await admin.raw(`CREATE DATABASE ${quoted(database)} TEMPLATE ${quoted(templateDatabase())}`);
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

interface Leftovers { databases: string[]; templates: string[]; schemas: string[]; redisKeys: string[] }

/** Scope databases, templates, schemas and Redis keys (of every run): the run of each is the first number after the prefix. */
async function allLeftovers(): Promise<Leftovers> {
  const admin = adminKnex();
  try {
    const like = (prefix: string) => `${prefix.replace(/[_%\\]/g, '\\$&')}%`;
    const names = async (sql: string, prefix: string, column: string) =>
      ((await admin.raw(sql, [like(prefix)])).rows as Array<Record<string, string>>).map((r) => r[column]!);
    const databases = await names('SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1', DATABASE_PREFIX, 'datname');
    const templates = await names('SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1', TEMPLATE_PREFIX, 'datname');
    const schemas = await names('SELECT nspname FROM pg_namespace WHERE nspname LIKE ? ORDER BY 1', SCHEMA_PREFIX, 'nspname');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const redisKeys: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
        cursor = next;
        redisKeys.push(...keys);
      } while (cursor !== '0');
      return { databases, templates, schemas, redisKeys };
    } finally {
      redis.disconnect();
    }
  } finally {
    await admin.destroy();
  }
}

const runOf = (name: string, prefix: string) => name.slice(prefix.length).split(/[_:]/)[0]!;

function only(found: Leftovers, keep: (run: string) => boolean): Leftovers {
  return {
    databases: found.databases.filter((d) => keep(runOf(d, DATABASE_PREFIX))),
    templates: found.templates.filter((d) => keep(runOf(d, TEMPLATE_PREFIX))),
    schemas: found.schemas.filter((n) => keep(runOf(n, SCHEMA_PREFIX))),
    redisKeys: found.redisKeys.filter((k) => keep(runOf(k, REDIS_PREFIX))),
  };
}

/** What this run's scopes left behind (the end-of-run check; the template is not a scope). */
export async function leftovers(): Promise<{ databases: string[]; schemas: string[]; redisKeys: number }> {
  const mine = only(await allLeftovers(), (run) => run === runId());
  return { databases: mine.databases, schemas: mine.schemas, redisKeys: mine.redisKeys.length };
}

async function drop(found: Leftovers): Promise<void> {
  const admin = adminKnex();
  try {
    for (const database of found.databases) await dropDatabase(admin, database);
    for (const template of found.templates) {
      await admin.raw(`ALTER DATABASE ${quoted(template)} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`);
      await dropDatabase(admin, template);
    }
    for (const schema of found.schemas) await admin.raw(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`);
  } finally {
    await admin.destroy();
  }
  if (found.redisKeys.length > 0) {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      for (let i = 0; i < found.redisKeys.length; i += 500) await redis.unlink(...found.redisKeys.slice(i, i + 500));
    } finally {
      redis.disconnect();
    }
  }
}

/** Drops what runs no longer running left (an interrupted run's scopes, keys and template); a live run's are left alone. */
export async function dropLeftovers(): Promise<void> {
  await drop(only(await allLeftovers(), (run) => !alive(run)));
}

/** Drops this run's leftovers (after the end-of-run check found some). */
export async function dropRunLeftovers(): Promise<void> {
  await drop(only(await allLeftovers(), (run) => run === runId()));
}
