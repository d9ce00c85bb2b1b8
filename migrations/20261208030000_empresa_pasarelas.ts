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
 * the old columns stay (unread, still rotated by src/platform/crypto/rotation.ts)
 * so the previous release's web and worker processes, which serve until the
 * release phase's new processes replace them, keep reading companies instead
 * of failing on a missing column. The next release's migration drops them
 * (`LEGACY_COLUMNS` below); `down` copies the table back into them.
 */
const CONEKTA_HAS_DATA = `conekta_private_key_enc IS NOT NULL OR conekta_public_key IS NOT NULL OR conekta_mode <> 'test'
  OR conekta_webhook_public_key IS NOT NULL OR conekta_webhook_id IS NOT NULL OR conekta_webhook_key_id IS NOT NULL OR conekta_webhook_estado IS NOT NULL`;
const MP_HAS_DATA = `mp_access_token_enc IS NOT NULL OR mp_public_key IS NOT NULL OR mp_webhook_secret_enc IS NOT NULL OR mp_mode <> 'test'`;

/** The per-gateway columns this table replaces: kept for one release, then dropped. */
export const LEGACY_COLUMNS = [
  'conekta_private_key_enc', 'conekta_public_key', 'conekta_mode', 'conekta_webhook_public_key',
  'conekta_webhook_id', 'conekta_webhook_key_id', 'conekta_webhook_estado', 'conekta_webhook_error', 'conekta_webhook_en',
  'mp_access_token_enc', 'mp_public_key', 'mp_webhook_secret_enc', 'mp_mode',
];

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
}

/** What this release saved in the table goes back to the columns (a company without a row gets the columns' empty values). */
export async function down(knex: Knex): Promise<void> {
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
