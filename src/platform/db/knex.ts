import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { markStore } from '../unavailable';

export type { Knex };

// numeric(10,2) and bigint come back as strings: money stays a decimal string and
// is converted to integer cents explicitly (never through a float).
// int8 counters are safe as numbers far beyond any realistic value.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

/** How long a query waits for a pool connection (and a new connection for PostgreSQL to answer) when DATABASE_ACQUIRE_TIMEOUT_MS is not given. */
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 3000;

type DatabaseSettings = { database: Omit<Config['database'], 'acquireTimeoutMs'> & { acquireTimeoutMs?: number } };

export function knexConfig(config: DatabaseSettings, poolSize = config.database.poolSize): Knex.Config {
  // Bounded so a dead or failing-over database is a 503 in seconds, not a request hanging for a minute.
  const acquireTimeoutMs = config.database.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
  return {
    client: 'pg',
    connection: {
      connectionString: config.database.url,
      connectionTimeoutMillis: acquireTimeoutMs,
      ...(config.database.ssl ? { ssl: config.database.ssl } : {}),
    },
    pool: { min: 0, max: poolSize },
    ...(config.database.schema ? { searchPath: [config.database.schema] } : {}),
    acquireConnectionTimeout: acquireTimeoutMs,
    migrations: { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], tableName: 'knex_migrations' },
  };
}

/**
 * Marks every error this knex instance raises as PostgreSQL's (see
 * platform/unavailable.ts): a failure to get a connection always means the
 * database was unreachable; a failed query is classified by its shape.
 */
function markErrorsAsPostgres(knex: Knex): Knex {
  const client = knex.client as { acquireConnection(): Promise<unknown> };
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = async () => {
    try {
      return await acquire();
    } catch (error) {
      markStore(error, 'postgres', { unreachable: true });
      throw error;
    }
  };
  // Emitted before the query's promise rejects, with the very error it rejects with.
  knex.on('query-error', (error: unknown) => markStore(error, 'postgres'));
  return knex;
}

export function createKnex(config: DatabaseSettings, poolSize?: number, logger?: Logger): Knex {
  const settings = knexConfig(config, poolSize);
  if (logger) {
    settings.log = {
      // A refused connection is reported once, by the request or job that needed it (with the store's name).
      warn: (message: string) => {
        const line = message.split('\n')[0]!;
        if (/^Acquire connection error/.test(line)) logger.debug({ store: 'postgres' }, line);
        else if (/^Connection Error/.test(line)) logger.warn({ store: 'postgres' }, `pooled connection lost: ${line}`);
        else logger.warn(line);
      },
      error: (message: string) => logger.error(message),
      deprecate: (message: string) => logger.warn(message),
      debug: (message: string) => logger.debug(message),
    };
  }
  return markErrorsAsPostgres(knexFactory(settings));
}

/** One round trip to PostgreSQL (the health check's). */
export async function pingDatabase(knex: Knex): Promise<void> {
  await knex.raw('select 1');
}

export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
}
