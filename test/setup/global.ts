/**
 * Test run fixtures (loaded by .mocharc.json `require`).
 *
 * Once per run, in the main process (global fixtures, also under --parallel):
 * the test database exists; the scopes, keys and template of runs no longer
 * running are dropped (a run going on beside this one keeps its own);
 * the migrations run once, into the template database, and clones of it are
 * kept ready for the files (startClonePool); at the end, the run must have
 * left no scope database, schema or Redis key behind.
 *
 * Once per test file (root hooks run per file under --parallel, once per run
 * otherwise, so the hooks are put on each file's own top-level suites): a file
 * that uses the test support gets its own PostgreSQL database, cloned from the
 * template, and Redis key prefix (test/support/scope.ts), dropped after its
 * last hook; a file that does not (see needsScope) pays for neither.
 */
import {
  adminKnex, closeScope, dropLeftovers, dropRunLeftovers, leftovers, needsScope, openScope, prepareTemplate, removeTemplate, startClonePool, stopClonePool,
} from '../support/scope';
import { TEST_DATABASE_URL } from '../support/env';
import { recordFileTime, reportTimings, timingsWanted } from '../support/timings';

async function ensureDatabase(): Promise<void> {
  const name = new URL(TEST_DATABASE_URL).pathname.slice(1);
  const server = new URL(TEST_DATABASE_URL);
  server.pathname = '/postgres';
  const knex = adminKnex(server.toString());
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
}

export async function mochaGlobalSetup(): Promise<void> {
  await ensureDatabase();
  await dropLeftovers();
  await prepareTemplate();
  startClonePool(); // runs beside the files until the teardown
}

export async function mochaGlobalTeardown(): Promise<void> {
  reportTimings();
  await stopClonePool();
  const left = await leftovers();
  await removeTemplate();
  if (left.databases.length > 0 || left.schemas.length > 0 || left.redisKeys > 0) {
    await dropRunLeftovers();
    throw new Error(`the test run left ${left.databases.length} database(s) (${left.databases.join(', ')}), ${left.schemas.length} schema(s) (${left.schemas.join(', ')}) and ${left.redisKeys} Redis key(s) behind`);
  }
}

type HookList = Mocha.Hook[];

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    const root = this.test?.parent;
    if (!root) return;
    const byFile = new Map<string, Mocha.Suite[]>();
    for (const suite of root.suites) {
      const file = suite.file ?? '';
      byFile.set(file, [...(byFile.get(file) ?? []), suite]);
    }
    for (const [file, suites] of byFile) {
      const first = suites[0]!;
      const last = suites[suites.length - 1]!;
      const befores = (first as unknown as { _beforeAll: HookList })._beforeAll;
      if (needsScope(file)) {
        first.beforeAll('test file scope: own database (a clone of the migrated template) and Redis key prefix', async function () {
          this.timeout(60_000);
          await openScope();
        });
        // Before the file's own `before` hooks (they start apps on the database).
        befores.unshift(befores.pop()!);
        // After the file's own `after` hooks (they close the apps).
        last.afterAll('test file scope: drop its database and Redis keys', async function () {
          this.timeout(60_000);
          await closeScope();
        });
      }
      if (timingsWanted()) {
        // The file's wall time in its worker, scope included: before its first hook to after its last.
        let started = 0;
        first.beforeAll('test file timing: start', () => { started = performance.now(); });
        befores.unshift(befores.pop()!);
        last.afterAll('test file timing: end', () => recordFileTime(file, performance.now() - started));
      }
    }
  },
};
