import type { Knex } from 'knex';

/**
 * SPEI bank transfers (issue 24): `metodo_pago` gains `spei`, and a SPEI sale
 * keeps the account to transfer to (`referencia_clabe`, 18 digits, when the
 * gateway gives it) and its bank (`referencia_banco`, e.g. "STP").
 * `referencia_pago` keeps the gateway's reference (Conekta's reference_number,
 * else the CLABE or Mercado Pago's reference).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transacciones', (t) => {
    t.text('referencia_clabe');
    t.text('referencia_banco');
  });
  await knex.raw('ALTER TABLE transacciones DROP CONSTRAINT IF EXISTS transacciones_metodo_pago');
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_metodo_pago CHECK (metodo_pago IN ('tarjeta','oxxo','paycash','spei'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones DROP CONSTRAINT IF EXISTS transacciones_metodo_pago');
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_metodo_pago CHECK (metodo_pago IN ('tarjeta','oxxo','paycash'))`);
  await knex.schema.alterTable('transacciones', (t) => {
    t.dropColumn('referencia_banco');
    t.dropColumn('referencia_clabe');
  });
}
