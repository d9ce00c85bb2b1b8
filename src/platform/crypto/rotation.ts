/**
 * Moves every secret at rest to the current encryption key (after
 * ENCRYPTION_KEY_MERCADO_PAGO changed and the old one went to
 * ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS). Maintenance over every encrypted
 * column, owned by no feature: one small Objection model per table, here.
 * Each row is updated only if its value is still the one read (conditional
 * UPDATE), so a secret changed meanwhile by an admin is never overwritten.
 */
import type { Knex } from 'knex';
import { Model } from 'objection';
import type { SecretBox } from './secret-box';

/**
 * Every sealed column, by table. A new sealed column (named `*_enc`, the
 * convention test/security/key-rotation.test.ts checks against the migrated
 * schema) is one more entry here. `first`: a cursor below every id (text ids:
 * '', the default; integer and bigint ids: 0).
 */
export const SEALED_COLUMNS: ReadonlyArray<{ table: string; id: string; columns: string[]; first?: string | number }> = [
  // Before the old per-gateway columns of empresas: a trigger copies each resealed value there (migration
  // 20261208030000), so those are found already on the new key; they stay for the previous release's
  // processes until the next release drops them.
  { table: 'empresa_pasarelas', id: 'id', columns: ['secreto_enc', 'webhook_secreto_enc'], first: 0 },
  { table: 'empresas', id: 'id', columns: ['telegram_bot_token_enc', 'conekta_private_key_enc', 'mp_access_token_enc', 'mp_webhook_secret_enc'] },
  { table: 'routers', id: 'id', columns: ['password_enc', 'radius_secret_enc', 'token_enc'] },
  { table: 'router_api_keys', id: 'key_id', columns: ['api_key_enc'] },
  { table: 'transacciones', id: 'id', columns: ['hotspot_password_enc'] },
  { table: 'fichas', id: 'id', columns: ['contrasena_enc'], first: 0 },
];

function modelFor(table: string, id: string) {
  return class extends Model {
    static override tableName = table;
    static override idColumn = id;
  };
}

export async function resealAll(knex: Knex, secrets: SecretBox, batchSize = 500): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, id, columns, first = '' } of SEALED_COLUMNS) {
    const Rows = modelFor(table, id);
    for (const column of columns) {
      let resealed = 0;
      let after: string | number = first;
      for (;;) {
        const rows = (await Rows.query(knex).select(id, column).whereNotNull(column).where(id, '>', after)
          .orderBy(id).limit(batchSize)) as unknown as Array<Record<string, string>>;
        if (rows.length === 0) break;
        for (const row of rows) {
          const next = secrets.reseal(row[column]);
          if (next === null) continue;
          resealed += await Rows.query(knex).patch({ [column]: next } as never).where(id, row[id]).where(column, row[column]);
        }
        after = rows[rows.length - 1][id];
      }
      counts[`${table}.${column}`] = resealed;
    }
  }
  return counts;
}
