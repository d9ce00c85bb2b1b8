import type { Knex } from 'knex';

/**
 * A declined sale's access is final (issue 23): rows declined before the state
 * machine ended their access in the same statement (ACCESS_ENDS_WITH_PAGO) move
 * from `pending` to `disabled`, stamped when they were declined. Nothing was
 * ever provisioned for them (no user exists on any router).
 */
export async function up(knex: Knex): Promise<void> {
  await knex('transacciones').where({ estado_pago: 'declined', estado_hotspot: 'pending' })
    .update({ estado_hotspot: 'disabled', deshabilitado_en: knex.raw('coalesce(declinado_en, now())') });
}

export async function down(): Promise<void> {
  // Not reversible in a useful way: `pending` was never true of a declined sale.
}
