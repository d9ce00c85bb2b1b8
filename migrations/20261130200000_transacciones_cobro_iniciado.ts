import type { Knex } from 'knex';

/**
 * `cobro_iniciado_en`: when the one request allowed to charge a transaction
 * claimed it (a conditional UPDATE), just before calling the gateway. A copy
 * of the request (same Idempotency-Key) that finds a pending row nobody
 * claimed knows no charge was ever sent (its creator lost the database right
 * after the insert) and may claim and charge it itself.
 *
 * Rows already pending or unknown count as claimed: a charge may be in
 * flight for them, so only the confirmation job may settle them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones ADD COLUMN cobro_iniciado_en timestamptz');
  await knex.raw(`UPDATE transacciones SET cobro_iniciado_en = creado_en WHERE estado_pago IN ('pending', 'unknown')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones DROP COLUMN cobro_iniciado_en');
}
