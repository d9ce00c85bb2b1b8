import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config';

export type { Knex };

// numeric(10,2) and bigint come back as strings: money stays a decimal string and
// is converted to integer cents explicitly (never through a float).
// int8 counters are safe as numbers far beyond any realistic value.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

export function knexConfig(config: Pick<Config, 'database'>, poolSize = config.database.poolSize): Knex.Config {
  return {
    client: 'pg',
    connection: {
      connectionString: config.database.url,
      ...(config.database.ssl ? { ssl: config.database.ssl } : {}),
    },
    pool: { min: 0, max: poolSize },
    ...(config.database.schema ? { searchPath: [config.database.schema] } : {}),
    acquireConnectionTimeout: 10_000,
    migrations: { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], tableName: 'knex_migrations' },
  };
}

export function createKnex(config: Pick<Config, 'database'>, poolSize?: number): Knex {
  return knexFactory(knexConfig(config, poolSize));
}

export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
}
