import type { Knex } from 'knex';

/**
 * The router API key, sealed (Fernet, like the other secrets), so the company's
 * portal download can carry the key in use (issue 23, item 7): the key is public
 * by design (every hotspot visitor's page holds it). Keys issued before this
 * column stay hash-only (null) until their next regeneration. Key rotation
 * (src/platform/crypto/rotation.ts) reseals it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('router_api_keys', (t) => {
    t.text('api_key_enc');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('router_api_keys', (t) => {
    t.dropColumn('api_key_enc');
  });
}
