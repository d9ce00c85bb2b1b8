import type { Knex } from 'knex';

/**
 * Conekta webhooks set up by the service (issue 23): what was registered at
 * Conekta for each company (the webhook endpoint and the webhook key, whose
 * public half stays in `conekta_webhook_public_key`) and how that went
 * (`automatico`, `manual`, `error` with its Spanish reason); and, once per
 * platform key (CONEKTA_DEFAULT_PRIVATE_KEY, known by its sha256), the one
 * registration whose URL finds the company from the order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('empresas', (t) => {
    t.text('conekta_webhook_id');
    t.text('conekta_webhook_key_id');
    t.text('conekta_webhook_estado');
    t.text('conekta_webhook_error');
    t.timestamp('conekta_webhook_en', { useTz: true });
  });
  await knex.raw(`ALTER TABLE empresas ADD CONSTRAINT empresas_conekta_webhook_estado CHECK (conekta_webhook_estado IN ('automatico','manual','error'))`);
  await knex.schema.createTable('conekta_plataforma_webhooks', (t) => {
    t.string('private_key_sha256', 64).primary();
    t.text('webhook_id');
    t.text('webhook_key_id');
    t.text('public_key');
    t.text('url');
    t.text('error');
    t.timestamp('registrado_en', { useTz: true });
    t.timestamp('actualizado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conekta_plataforma_webhooks');
  await knex.raw('ALTER TABLE empresas DROP CONSTRAINT IF EXISTS empresas_conekta_webhook_estado');
  await knex.schema.alterTable('empresas', (t) => {
    for (const c of ['conekta_webhook_id', 'conekta_webhook_key_id', 'conekta_webhook_estado', 'conekta_webhook_error', 'conekta_webhook_en']) t.dropColumn(c);
  });
}
