import type { Knex } from 'knex';

/**
 * A per-user session epoch: every session token carries the epoch it was
 * issued in, and a password change or reset moves it, so every older session
 * is refused on its next request (no clock comparison, no slack).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('usuarios', (t) => {
    t.integer('sesion_epoca').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('usuarios', (t) => {
    t.dropColumn('sesion_epoca');
  });
}
