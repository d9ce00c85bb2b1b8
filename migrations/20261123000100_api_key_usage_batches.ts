import type { Knex } from 'knex';

/** Usage flush batches already applied, so a flush retried after a crash never counts twice. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_key_usage_batches', (t) => {
    t.string('batch_id', 64).primary();
    t.timestamp('applied_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('api_key_usage_batches');
}
