import type { Knex } from 'knex';

/**
 * A voucher the router cannot take as it is (its product's profile does not
 * exist there) is `fallida`, with the Spanish reason in `ultimo_error`, instead
 * of staying `pendiente` and being retried forever (issue 25 item 2). The
 * operator voids it (`fallida` → `anulada`) once the product is fixed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE fichas DROP CONSTRAINT fichas_estado');
  await knex.raw(`ALTER TABLE fichas ADD CONSTRAINT fichas_estado CHECK (estado IN ('pendiente','disponible','usada','expirada','anulada','fallida'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE fichas SET estado = 'pendiente' WHERE estado = 'fallida'`);
  await knex.raw('ALTER TABLE fichas DROP CONSTRAINT fichas_estado');
  await knex.raw(`ALTER TABLE fichas ADD CONSTRAINT fichas_estado CHECK (estado IN ('pendiente','disponible','usada','expirada','anulada'))`);
}
