import type { Knex } from 'knex';

/**
 * Plans the service owns (issue 22 item 5), in both router modes:
 * - `limite_velocidad`: RouterOS rate-limit text "subida/bajada" ("2M/10M"),
 *   sent as Mikrotik-Rate-Limit in RADIUS mode and as the rate-limit of a
 *   hotspot user profile of ours in API mode; null: no limit of ours.
 * - `dispositivos`: simultaneous devices (Simultaneous-Use / shared-users).
 * - `vigencia_desde`: the validity (`vigencia_minutos`) counts from the
 *   activation (today's behaviour) or from the first login (a "1-day ficha").
 * Sales and voucher batches keep a snapshot of the three, as they already do
 * of the profile and limits, so editing a product never changes what was sold.
 * A product of a RADIUS-mode router may leave `perfil_mikrotik_nombre` empty
 * (''): no Mikrotik-Group is sent.
 */
const TABLES = ['productos', 'transacciones', 'fichas_lotes'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.text('limite_velocidad');
      t.integer('dispositivos').notNullable().defaultTo(1);
      t.text('vigencia_desde').notNullable().defaultTo('activacion');
    });
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_dispositivos CHECK (dispositivos BETWEEN 1 AND 1000)`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_vigencia_desde CHECK (vigencia_desde IN ('activacion','primer_uso'))`);
    // {0,1}, not ?: knex.raw would take a bare ? for a binding.
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_limite_velocidad CHECK (limite_velocidad ~ '^[1-9][0-9]{0,9}[kMG]{0,1}/[1-9][0-9]{0,9}[kMG]{0,1}$')`);
  }
  // Voucher batches did not keep the validity: they do now, with the rest of the plan.
  await knex.schema.alterTable('fichas_lotes', (t) => {
    t.integer('vigencia_minutos');
  });
  // primer_uso: the sale's validity starts at the first login (API mode: read from the router's uptime; RADIUS mode: Expire-After).
  await knex.schema.alterTable('transacciones', (t) => {
    t.timestamp('primer_uso_en', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transacciones', (t) => {
    t.dropColumn('primer_uso_en');
  });
  await knex.schema.alterTable('fichas_lotes', (t) => {
    t.dropColumn('vigencia_minutos');
  });
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('limite_velocidad');
      t.dropColumn('dispositivos');
      t.dropColumn('vigencia_desde');
    });
  }
}
