import type { Knex } from 'knex';

/**
 * Trials started, where the router reports them (issue 24, item 4).
 *
 * - `router_pruebas_dia`: per router and day (the company's time zone), how
 *   many trials started, the active trial sessions at the last reading and the
 *   day's peak, where the figures came from (`api`: the service read the
 *   router; `latido`: a RADIUS-mode router's heartbeat carried its count) and
 *   how the last attempt went (`leido_en` the last good reading, `intento_en`
 *   the last attempt, `error` why it failed), so the dashboard can say a count
 *   is unknown instead of dialling a router.
 * - `router_pruebas_dispositivos`: API mode's memory of which devices already
 *   started a trial in their current period, so a device seen on two readings
 *   counts once. The device is the sha256 of router id and MAC (never the MAC);
 *   rows older than the longest trial period (30 days) are deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('router_pruebas_dia', (t) => {
    t.string('router_id', 32).notNullable().references('id').inTable('routers').onDelete('CASCADE');
    t.string('empresa_id', 32).notNullable();
    t.date('fecha').notNullable();
    t.integer('iniciadas').notNullable().defaultTo(0);
    t.integer('activas');
    t.integer('activas_max').notNullable().defaultTo(0);
    t.string('fuente', 8).notNullable();
    t.timestamp('leido_en', { useTz: true });
    t.timestamp('intento_en', { useTz: true }).notNullable();
    t.text('error');
    t.primary(['router_id', 'fecha']);
    t.index(['empresa_id', 'fecha']);
  });
  await knex.raw("ALTER TABLE router_pruebas_dia ADD CONSTRAINT router_pruebas_dia_fuente_check CHECK (fuente IN ('api', 'latido'))");
  await knex.schema.createTable('router_pruebas_dispositivos', (t) => {
    t.string('router_id', 32).notNullable().references('id').inTable('routers').onDelete('CASCADE');
    t.string('dispositivo', 64).notNullable();
    t.timestamp('iniciada_en', { useTz: true }).notNullable();
    t.primary(['router_id', 'dispositivo']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('router_pruebas_dispositivos');
  await knex.schema.dropTable('router_pruebas_dia');
}
