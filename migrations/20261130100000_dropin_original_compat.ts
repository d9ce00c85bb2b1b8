import type { Knex } from 'knex';

/**
 * Drop-in compatibility with the original service (issue 13):
 * - `notificaciones_telegram`: the company's switch for sale notifications
 *   (the original's default: off);
 * - what the captive portal shows a customer before paying: a contact line and
 *   the privacy notice (`aviso_privacidad`);
 * - company logos, stored in PostgreSQL (a web dyno's disk is wiped on every
 *   restart), served publicly by name; `empresas.logo_nombre` is the current one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('empresas', (t) => {
    t.boolean('notificaciones_telegram').notNullable().defaultTo(false);
    t.text('contacto_portal');
    t.text('aviso_privacidad');
    t.text('logo_nombre');
  });
  await knex.schema.createTable('empresa_logos', (t) => {
    t.text('nombre').primary();
    t.string('empresa_id', 14).notNullable().references('id').inTable('empresas').onDelete('CASCADE');
    t.text('content_type').notNullable();
    t.integer('bytes').notNullable();
    t.binary('contenido').notNullable();
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['empresa_id', 'creado_en']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('empresa_logos');
  await knex.schema.alterTable('empresas', (t) => {
    t.dropColumn('logo_nombre');
    t.dropColumn('aviso_privacidad');
    t.dropColumn('contacto_portal');
    t.dropColumn('notificaciones_telegram');
  });
}
