import type { Knex } from 'knex';

/**
 * A sale's gateway is any provider of the gateway registry
 * (src/integrations/gateways/registry.ts, issue 25 item 4), so adding a gateway
 * is its folder and one registry line, not also a migration: the column keeps
 * the registry's id format (lower-case letters and digits) instead of a closed list.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones DROP CONSTRAINT transacciones_gateway');
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_gateway CHECK (gateway ~ '^[a-z][a-z0-9]{1,29}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones DROP CONSTRAINT transacciones_gateway');
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_gateway CHECK (gateway IN ('conekta','mercadopago'))`);
}
