import type { Knex } from 'knex';

/**
 * `reconciliado_en` (issue 21): when the reconciler last looked at the row.
 * Its work lists take the rows it looked at longest ago (never first), so a
 * crowd of cash references waiting days for their store payment cannot keep a
 * charged-but-unknown card sale out of every batch.
 *
 * The partial indexes keep both lists cheap: only unsettled rows, and only
 * paid rows whose user is not on the router yet, are in them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones ADD COLUMN reconciliado_en timestamptz');
  await knex.raw(`CREATE INDEX transacciones_por_reconciliar ON transacciones (reconciliado_en NULLS FIRST, actualizado_en)
    WHERE estado_pago IN ('pending', 'unknown')`);
  await knex.raw(`CREATE INDEX transacciones_pagadas_sin_usuario ON transacciones (reconciliado_en NULLS FIRST, actualizado_en)
    WHERE estado_pago = 'paid' AND estado_hotspot IN ('pending', 'provisioning')`);
  // The cap on open cash references per router (and device) counts these.
  await knex.raw(`CREATE INDEX transacciones_referencias_abiertas ON transacciones (router_id)
    WHERE estado_pago IN ('pending', 'unknown') AND metodo_pago <> 'tarjeta'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS transacciones_referencias_abiertas');
  await knex.raw('DROP INDEX IF EXISTS transacciones_pagadas_sin_usuario');
  await knex.raw('DROP INDEX IF EXISTS transacciones_por_reconciliar');
  await knex.raw('ALTER TABLE transacciones DROP COLUMN reconciliado_en');
}
