import type { Knex } from 'knex';

/**
 * RADIUS mode (issue 22): a heartbeat refused because another router of ours
 * holds its address (carrier NAT) is remembered on the router, so the panel can
 * tell its operator what happened and what to do; the next accepted heartbeat
 * clears it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('routers', (t) => {
    t.text('direccion_compartida');
    t.timestamp('direccion_compartida_en', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('routers', (t) => {
    t.dropColumn('direccion_compartida');
    t.dropColumn('direccion_compartida_en');
  });
}
