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
const CONEKTA_HAS_DATA = `conekta_private_key_enc IS NOT NULL OR conekta_public_key IS NOT NULL OR conekta_mode <> 'test'
  OR conekta_webhook_public_key IS NOT NULL OR conekta_webhook_id IS NOT NULL OR conekta_webhook_key_id IS NOT NULL OR conekta_webhook_estado IS NOT NULL
  OR conekta_webhook_error IS NOT NULL OR conekta_webhook_en IS NOT NULL`;
const MP_HAS_DATA = `mp_access_token_enc IS NOT NULL OR mp_public_key IS NOT NULL OR mp_webhook_secret_enc IS NOT NULL OR mp_mode <> 'test'`;

/** The per-gateway columns this table replaces: kept for one release, then dropped. */
export const LEGACY_COLUMNS = [
  'conekta_private_key_enc', 'conekta_public_key', 'conekta_mode', 'conekta_webhook_public_key',
  'conekta_webhook_id', 'conekta_webhook_key_id', 'conekta_webhook_estado', 'conekta_webhook_error', 'conekta_webhook_en',
  'mp_access_token_enc', 'mp_public_key', 'mp_webhook_secret_enc', 'mp_mode',
];

/** The triggers (and their functions) that keep the old columns and the table equal during the expand release. */
export const LEGACY_SYNC = [
  { trigger: 'empresa_pasarelas_a_columnas', table: 'empresa_pasarelas', fn: 'empresa_pasarelas_a_columnas' },
  { trigger: 'empresas_columnas_a_pasarelas', table: 'empresas', fn: 'empresas_columnas_a_pasarelas' },
] as const;

const CONEKTA_ROW = `secreto_enc, llave_publica, modo, webhook_llave, webhook_id, webhook_llave_id, webhook_estado, webhook_error, webhook_en`;
const CONEKTA_COLUMNS = `conekta_private_key_enc, conekta_public_key, conekta_mode, conekta_webhook_public_key, conekta_webhook_id, conekta_webhook_key_id, conekta_webhook_estado, conekta_webhook_error, conekta_webhook_en`;
const MP_ROW = 'secreto_enc, llave_publica, modo, webhook_secreto_enc';
const MP_COLUMNS = 'mp_access_token_enc, mp_public_key, mp_mode, mp_webhook_secret_enc';
const prefixed = (columns: string, prefix: string) => columns.split(', ').map((c) => `${prefix}.${c}`).join(', ');

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
      IF r.pasarela = 'conekta' THEN
        UPDATE empresas SET (${CONEKTA_COLUMNS}) = (SELECT ${CONEKTA_ROW.split(', ').map((c) => (c === 'modo' ? `CASE WHEN gone THEN 'test' ELSE r.modo END` : `CASE WHEN gone THEN NULL ELSE r.${c} END`)).join(', ')})
         WHERE id = r.empresa_id;
      ELSIF r.pasarela = 'mercadopago' THEN
        UPDATE empresas SET (${MP_COLUMNS}) = (SELECT ${MP_ROW.split(', ').map((c) => (c === 'modo' ? `CASE WHEN gone THEN 'test' ELSE r.modo END` : `CASE WHEN gone THEN NULL ELSE r.${c} END`)).join(', ')})
         WHERE id = r.empresa_id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER empresa_pasarelas_a_columnas AFTER INSERT OR UPDATE OR DELETE ON empresa_pasarelas
    FOR EACH ROW EXECUTE FUNCTION empresa_pasarelas_a_columnas()`);
  // The columns to the table: what a process of the previous release saves is what this one reads.
  await knex.raw(`
    CREATE FUNCTION empresas_columnas_a_pasarelas() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
      IF (TG_OP = 'INSERT' AND (${CONEKTA_HAS_DATA.replace(/\b(conekta_\w+)/g, 'NEW.$1')}))
         OR (TG_OP = 'UPDATE' AND (${prefixed(CONEKTA_COLUMNS, 'NEW')}) IS DISTINCT FROM (${prefixed(CONEKTA_COLUMNS, 'OLD')})) THEN
        INSERT INTO empresa_pasarelas (empresa_id, pasarela, ${CONEKTA_ROW})
        VALUES (NEW.id, 'conekta', ${prefixed(CONEKTA_COLUMNS, 'NEW')})
        ON CONFLICT (empresa_id, pasarela) DO UPDATE SET (${CONEKTA_ROW}, actualizada_en) = (${prefixed(CONEKTA_ROW, 'EXCLUDED')}, now());
      END IF;
      IF (TG_OP = 'INSERT' AND (${MP_HAS_DATA.replace(/\b(mp_\w+)/g, 'NEW.$1')}))
         OR (TG_OP = 'UPDATE' AND (${prefixed(MP_COLUMNS, 'NEW')}) IS DISTINCT FROM (${prefixed(MP_COLUMNS, 'OLD')})) THEN
        INSERT INTO empresa_pasarelas (empresa_id, pasarela, ${MP_ROW})
        VALUES (NEW.id, 'mercadopago', ${prefixed(MP_COLUMNS, 'NEW')})
        ON CONFLICT (empresa_id, pasarela) DO UPDATE SET (${MP_ROW}, actualizada_en) = (${prefixed(MP_ROW, 'EXCLUDED')}, now());
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER empresas_columnas_a_pasarelas AFTER INSERT OR UPDATE OF ${CONEKTA_COLUMNS}, ${MP_COLUMNS} ON empresas
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
  await knex.raw(`
    INSERT INTO empresa_pasarelas (empresa_id, pasarela, modo, llave_publica, secreto_enc, webhook_llave,
      webhook_id, webhook_llave_id, webhook_estado, webhook_error, webhook_en)
    SELECT id, 'conekta', conekta_mode, conekta_public_key, conekta_private_key_enc, conekta_webhook_public_key,
      conekta_webhook_id, conekta_webhook_key_id, conekta_webhook_estado, conekta_webhook_error, conekta_webhook_en
    FROM empresas WHERE ${CONEKTA_HAS_DATA} ORDER BY id`);
  await knex.raw(`
    INSERT INTO empresa_pasarelas (empresa_id, pasarela, modo, llave_publica, secreto_enc, webhook_secreto_enc)
    SELECT id, 'mercadopago', mp_mode, mp_public_key, mp_access_token_enc, mp_webhook_secret_enc
    FROM empresas WHERE ${MP_HAS_DATA} ORDER BY id`);
  await createLegacySync(knex);
}

/** What this release saved in the table goes back to the columns (a company without a row gets the columns' empty values). */
export async function down(knex: Knex): Promise<void> {
  await dropLegacySync(knex);
  await knex.raw(`UPDATE empresas SET ${LEGACY_COLUMNS.map((c) => `${c} = ${/_mode$/.test(c) ? `'test'` : 'NULL'}`).join(', ')}`);
  await knex.raw(`UPDATE empresas e SET conekta_private_key_enc = p.secreto_enc, conekta_public_key = p.llave_publica, conekta_mode = p.modo,
      conekta_webhook_public_key = p.webhook_llave, conekta_webhook_id = p.webhook_id, conekta_webhook_key_id = p.webhook_llave_id,
      conekta_webhook_estado = p.webhook_estado, conekta_webhook_error = p.webhook_error, conekta_webhook_en = p.webhook_en
    FROM empresa_pasarelas p WHERE p.empresa_id = e.id AND p.pasarela = 'conekta'`);
  await knex.raw(`UPDATE empresas e SET mp_access_token_enc = p.secreto_enc, mp_public_key = p.llave_publica,
      mp_webhook_secret_enc = p.webhook_secreto_enc, mp_mode = p.modo
    FROM empresa_pasarelas p WHERE p.empresa_id = e.id AND p.pasarela = 'mercadopago'`);
  await knex.raw('DROP TABLE empresa_pasarelas');
}
