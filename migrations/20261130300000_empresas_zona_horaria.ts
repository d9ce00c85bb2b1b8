import type { Knex } from 'knex';

/**
 * The company's time zone (IANA name): the panel shows times in it and the
 * dashboard's days, weeks and months are counted in it (issue 16).
 * Validated by the application with Intl.DateTimeFormat.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('empresas', (t) => {
    t.string('zona_horaria', 64).notNullable().defaultTo('America/Mexico_City');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('empresas', (t) => {
    t.dropColumn('zona_horaria');
  });
}
