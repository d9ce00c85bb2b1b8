import type { Knex } from 'knex';

/**
 * - Webhook deduplication is per company: one tenant's signed deliveries must
 *   never shadow another tenant's events with the same id.
 * - Transactions whose gateway answer does not match them (amount, reference)
 *   are held for a person (`requiere_revision`) instead of being retried forever.
 * - The reconciler's "refunded but maybe still enabled" list covers every
 *   state in which a user may exist on the router.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS webhook_eventos_dedup');
  await knex.raw(`CREATE UNIQUE INDEX webhook_eventos_dedup ON webhook_eventos (gateway, empresa_id, event_id) WHERE firma_valida`);
  await knex.raw(`CREATE INDEX webhook_eventos_empresa ON webhook_eventos (empresa_id, recibido_en DESC)`);

  await knex.schema.alterTable('transacciones', (t) => {
    t.text('requiere_revision');
  });
  await knex.raw('DROP INDEX IF EXISTS transacciones_por_deshabilitar');
  await knex.raw(`CREATE INDEX transacciones_por_deshabilitar ON transacciones (actualizado_en)
    WHERE estado_pago IN ('refunded','charged_back') AND estado_hotspot IN ('active','provisioning','failed')`);
  await knex.raw(`CREATE INDEX transacciones_pago_expirado ON transacciones (pago_expirado_en) WHERE estado_pago = 'expired'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS transacciones_pago_expirado');
  await knex.raw('DROP INDEX IF EXISTS transacciones_por_deshabilitar');
  await knex.raw(`CREATE INDEX transacciones_por_deshabilitar ON transacciones (actualizado_en)
    WHERE estado_pago IN ('refunded','charged_back') AND estado_hotspot = 'active'`);
  await knex.schema.alterTable('transacciones', (t) => {
    t.dropColumn('requiere_revision');
  });
  await knex.raw('DROP INDEX IF EXISTS webhook_eventos_empresa');
  await knex.raw('DROP INDEX IF EXISTS webhook_eventos_dedup');
  await knex.raw(`CREATE UNIQUE INDEX webhook_eventos_dedup ON webhook_eventos (gateway, event_id) WHERE firma_valida`);
}
