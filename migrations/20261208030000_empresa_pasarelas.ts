import type { Knex } from 'knex';

/**
 * A company's gateway credentials in one table keyed by gateway (issue 25,
 * item 4): one row per company and registry id (`conekta`, `mercadopago`, or
 * any later provider), in the same columns for every gateway, so adding a
 * gateway is not also a migration. What each column means for a gateway is its
 * provider's to say (src/integrations/<gateway>/provider.ts):
 *
 * - `secreto_enc`: the sealed secret it charges with (Conekta's private key,
 *   Mercado Pago's access token);
 * - `llave_publica`: the public key the portal tokenizes a card with;
 * - `webhook_llave` / `webhook_secreto_enc`: what verifies its webhooks, a public
 *   key in the clear (Conekta's PEM) or a sealed shared secret (Mercado Pago's
 *   "clave secreta");
 * - `webhook_id`, `webhook_llave_id`, `webhook_estado`, `webhook_error`,
 *   `webhook_en`: a webhook the service registered at the gateway itself (issue 23).
 *
 * The rows are copied from the old per-gateway columns of `empresas`, sealed
 * values as they are (same key). The API keeps the original's field names
 * (`conekta_private_key`, `mp_public_key`, ...): only storage moves.
 *
 * Expand, then contract: this release reads and writes only the new table, but
 * the old columns stay, kept equal to it by two triggers, so the previous
 * release's web and worker processes, which serve until the release phase's
 * new processes replace them, read and write the same credentials as the new
 * ones: a key saved, rotated or cleared by either is the one both charge with
 * (no sale charged on the platform's key or a revoked one in the meantime, no
 * save lost, and a code rollback without `down` keeps what was saved). Each
 * trigger skips the writes the other one makes (pg_trigger_depth). Key
 * rotation reseals both (src/platform/crypto/rotation.ts). The next release's
 * migration drops the triggers, their functions and the columns
 * (`LEGACY_COLUMNS`, `LEGACY_SYNC` below); `down` copies the table back into
 * the columns.
 */
/**
 * Each gateway's old columns of `empresas` and the column of the table each
 * one becomes, declared once: the copy, the two triggers and `down` are all
 * made from it.
 */
const LEGACY: ReadonlyArray<{ pasarela: string; columns: ReadonlyArray<readonly [legacy: string, table: string]> }> = [
  {
    pasarela: 'conekta',
    columns: [
      ['conekta_private_key_enc', 'secreto_enc'], ['conekta_public_key', 'llave_publica'], ['conekta_mode', 'modo'],
      ['conekta_webhook_public_key', 'webhook_llave'], ['conekta_webhook_id', 'webhook_id'], ['conekta_webhook_key_id', 'webhook_llave_id'],
      ['conekta_webhook_estado', 'webhook_estado'], ['conekta_webhook_error', 'webhook_error'], ['conekta_webhook_en', 'webhook_en'],
    ],
  },
  {
    pasarela: 'mercadopago',
    columns: [['mp_access_token_enc', 'secreto_enc'], ['mp_public_key', 'llave_publica'], ['mp_mode', 'modo'], ['mp_webhook_secret_enc', 'webhook_secreto_enc']],
  },
];

/** The per-gateway columns this table replaces: kept for one release, then dropped. */
export const LEGACY_COLUMNS = LEGACY.flatMap(({ columns }) => columns.map(([legacy]) => legacy));

/** The triggers (and their functions) that keep the old columns and the table equal during the expand release. */
export const LEGACY_SYNC = [
  { trigger: 'empresa_pasarelas_a_columnas', table: 'empresa_pasarelas', fn: 'empresa_pasarelas_a_columnas' },
  { trigger: 'empresas_columnas_a_pasarelas', table: 'empresas', fn: 'empresas_columnas_a_pasarelas' },
] as const;

type Gateway = (typeof LEGACY)[number];
const legacyOf = (g: Gateway, row = '') => g.columns.map(([legacy]) => `${row}${legacy}`).join(', ');
const tableOf = (g: Gateway, row = '') => g.columns.map(([, table]) => `${row}${table}`).join(', ');
/** A column's value for a gateway never configured: the mode is 'test', the rest NULL. */
const empty = (table: string) => (table === 'modo' ? `'test'` : 'NULL');
/** The company has something of this gateway in its old columns (`row`: '' in a query, 'NEW.' in a trigger). */
const hasData = (g: Gateway, row = '') => g.columns.map(([legacy, table]) => `${row}${legacy} ${table === 'modo' ? `<> 'test'` : 'IS NOT NULL'}`).join(' OR ');

async function createLegacySync(knex: Knex): Promise<void> {
  // The table to the columns: a row saved (or removed) by this release is what the previous one reads.
  await knex.raw(`
    CREATE FUNCTION empresa_pasarelas_a_columnas() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r RECORD;
      gone boolean := TG_OP = 'DELETE';
    BEGIN
      IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
      IF gone THEN r := OLD; ELSE r := NEW; END IF;
      ${LEGACY.map((g) => `IF r.pasarela = '${g.pasarela}' THEN
        UPDATE empresas SET (${legacyOf(g)}) = (SELECT ${g.columns.map(([, table]) => `CASE WHEN gone THEN ${empty(table)} ELSE r.${table} END`).join(', ')})
         WHERE id = r.empresa_id;
      END IF;`).join('\n      ')}
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER empresa_pasarelas_a_columnas AFTER INSERT OR UPDATE OR DELETE ON empresa_pasarelas
    FOR EACH ROW EXECUTE FUNCTION empresa_pasarelas_a_columnas()`);
  // The columns to the table: what a process of the previous release saves is what this one reads.
  await knex.raw(`
    CREATE FUNCTION empresas_columnas_a_pasarelas() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
      ${LEGACY.map((g) => `IF (TG_OP = 'INSERT' AND (${hasData(g, 'NEW.')}))
         OR (TG_OP = 'UPDATE' AND (${legacyOf(g, 'NEW.')}) IS DISTINCT FROM (${legacyOf(g, 'OLD.')})) THEN
        INSERT INTO empresa_pasarelas (empresa_id, pasarela, ${tableOf(g)}) VALUES (NEW.id, '${g.pasarela}', ${legacyOf(g, 'NEW.')})
        ON CONFLICT (empresa_id, pasarela) DO UPDATE SET (${tableOf(g)}, actualizada_en) = (${tableOf(g, 'EXCLUDED.')}, now());
      END IF;`).join('\n      ')}
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER empresas_columnas_a_pasarelas AFTER INSERT OR UPDATE OF ${LEGACY_COLUMNS.join(', ')} ON empresas
    FOR EACH ROW EXECUTE FUNCTION empresas_columnas_a_pasarelas()`);
}

async function dropLegacySync(knex: Knex): Promise<void> {
  for (const { trigger, table, fn } of LEGACY_SYNC) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
    await knex.raw(`DROP FUNCTION IF EXISTS ${fn}()`);
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE empresa_pasarelas (
      id bigserial PRIMARY KEY,
      empresa_id text NOT NULL REFERENCES empresas(id) ON DELETE CASCADE,
      pasarela text NOT NULL CONSTRAINT empresa_pasarelas_pasarela CHECK (pasarela ~ '^[a-z][a-z0-9]{1,29}$'),
      modo text NOT NULL DEFAULT 'test' CONSTRAINT empresa_pasarelas_modo CHECK (modo IN ('test','live')),
      llave_publica text,
      secreto_enc text,
      webhook_llave text,
      webhook_secreto_enc text,
      webhook_id text,
      webhook_llave_id text,
      webhook_estado text CONSTRAINT empresa_pasarelas_webhook_estado CHECK (webhook_estado IN ('automatico','manual','error')),
      webhook_error text,
      webhook_en timestamptz,
      creada_en timestamptz NOT NULL DEFAULT now(),
      actualizada_en timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT empresa_pasarelas_una_por_pasarela UNIQUE (empresa_id, pasarela)
    )`);
  for (const g of LEGACY) {
    await knex.raw(`INSERT INTO empresa_pasarelas (empresa_id, pasarela, ${tableOf(g)})
      SELECT id, '${g.pasarela}', ${legacyOf(g)} FROM empresas WHERE ${hasData(g)} ORDER BY id`);
  }
  await createLegacySync(knex);
}

/** What this release saved in the table goes back to the columns (a company without a row gets the columns' empty values). */
export async function down(knex: Knex): Promise<void> {
  await dropLegacySync(knex);
  for (const g of LEGACY) {
    await knex.raw(`UPDATE empresas e SET (${legacyOf(g)}) = (${g.columns.map(([, table]) => empty(table)).join(', ')})`);
    await knex.raw(`UPDATE empresas e SET (${legacyOf(g)}) = (${tableOf(g, 'p.')})
      FROM empresa_pasarelas p WHERE p.empresa_id = e.id AND p.pasarela = '${g.pasarela}'`);
  }
  await knex.raw('DROP TABLE empresa_pasarelas');
}
