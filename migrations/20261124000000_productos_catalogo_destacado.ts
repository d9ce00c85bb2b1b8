import type { Knex } from 'knex';

/**
 * The captive portal's catalog is ordered `destacado DESC, orden_visual, id`
 * (featured first). With `destacado` in the partial index the catalog of a
 * router is one index scan in display order, with no sort step.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX productos_catalogo_orden ON productos (router_id, destacado DESC, orden_visual, id)
    WHERE activo AND eliminado_en IS NULL`);
  await knex.raw('DROP INDEX IF EXISTS productos_catalogo');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS productos_catalogo ON productos (router_id, orden_visual, id) WHERE activo AND eliminado_en IS NULL`);
  await knex.raw('DROP INDEX IF EXISTS productos_catalogo_orden');
}
