import type { Knex } from 'knex';
import { radiusSchemaFor } from '../src/platform/db/radius-schema';

/**
 * radacct looked up by user name (src/features/radius/store.ts: a user's
 * first Start, its seconds used, for vouchers, primer_uso sales and
 * profile-info; the radius-accounting job runs them every interval). The stock
 * schema indexes UserName only for open sessions and after AcctStartTime, so
 * these scanned the table; this index serves them (and their min(start)).
 */
async function radiusSchema(knex: Knex): Promise<string> {
  const result = await knex.raw('SELECT current_schema() AS s');
  return radiusSchemaFor((result.rows as Array<{ s: string }>)[0]!.s);
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS radacct_username ON "${await radiusSchema(knex)}".radacct (UserName, AcctStartTime)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS "${await radiusSchema(knex)}".radacct_username`);
}
