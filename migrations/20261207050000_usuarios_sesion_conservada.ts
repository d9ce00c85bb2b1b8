import type { Knex } from 'knex';

/**
 * The session that changed its own password survives the change (OWASP ASVS
 * 3.3.3): the epoch still moves, ending every other session, and this column
 * names the one session (its jti) that stays valid across it. A reset by a
 * super admin clears it, so then every session ends.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('usuarios', (t) => {
    t.text('sesion_conservada').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('usuarios', (t) => {
    t.dropColumn('sesion_conservada');
  });
}
