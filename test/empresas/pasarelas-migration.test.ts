/**
 * The move of the company credentials from per-gateway columns of `empresas`
 * to `empresa_pasarelas` (issue 25, item 4), on a schema migrated to the
 * migration before it: every stored value arrives under its gateway, sealed
 * values byte for byte (they still open), a company that never configured a
 * gateway gets no row for it, the old columns stay as they were for the
 * previous release's processes and are kept equal to the table both ways
 * while both releases run, and `down` puts the table's values back in them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createKnex, MIGRATIONS_DIR } from '../../src/platform/db/knex';
import { createSecretBox } from '../../src/platform/crypto/secret-box';
import { currentScope } from '../support/scope';
import { TEST_ENV } from '../support/env';
import type { Knex } from 'knex';

const THIS = '20261208030000_empresa_pasarelas.ts';
const SCHEMA = 'mig_pasarelas';

/** The migrations directory as a knex migration source, up to (not including) `before` when given. */
function source(before?: string): Knex.MigrationSource<string> {
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).sort();
  return {
    getMigrations: async () => (before ? files.filter((f) => f < before) : files),
    getMigrationName: (file) => file,
    // As knex loads them itself (require, through the test run's TypeScript hook).
    getMigration: async (file) => require(path.join(MIGRATIONS_DIR, file)),
  };
}

describe('migration: company credentials keyed by gateway (empresa_pasarelas)', function () {
  this.timeout(60_000);
  let knex: Knex;
  const secrets = createSecretBox(TEST_ENV.ENCRYPTION_KEY_MERCADO_PAGO!);

  before(async () => {
    const scope = currentScope();
    const admin = createKnex({ database: { url: scope.databaseUrl, poolSize: 1, ssl: null, schema: null } });
    try {
      await admin.raw(`CREATE SCHEMA ${SCHEMA}`);
    } finally {
      await admin.destroy();
    }
    knex = createKnex({ database: { url: scope.databaseUrl, poolSize: 1, ssl: null, schema: SCHEMA } });
    await knex.migrate.latest({ migrationSource: source(THIS) });
  });
  after(async () => { await knex?.destroy(); });

  it('copies each gateway\'s values to its own row, leaves unconfigured gateways rowless, and down restores the columns', async () => {
    const conektaKey = secrets.seal('key_live_conekta_privada_123');
    const mpToken = secrets.seal('APP_USR-token-mp-456');
    const mpWebhook = secrets.seal('clave-secreta-mp');
    const registeredAt = new Date('2026-12-01T10:00:00Z');
    await knex('empresas').insert([
      {
        id: 'EMP_AAAAAAAAAA', nombre: 'Ambas', contacto_email: 'a@example.com',
        conekta_private_key_enc: conektaKey, conekta_public_key: 'key_pub_a', conekta_mode: 'live', conekta_webhook_public_key: '-----PEM-----',
        conekta_webhook_id: 'wh_1', conekta_webhook_key_id: 'whk_1', conekta_webhook_estado: 'automatico', conekta_webhook_en: registeredAt,
        mp_access_token_enc: mpToken, mp_public_key: 'APP_USR-pub', mp_webhook_secret_enc: mpWebhook, mp_mode: 'live',
      },
      { id: 'EMP_BBBBBBBBBB', nombre: 'Solo MP en prueba', contacto_email: 'b@example.com', mp_public_key: 'TEST-pub' },
      { id: 'EMP_CCCCCCCCCC', nombre: 'Nada', contacto_email: 'c@example.com' },
    ]);

    await knex.migrate.up({ migrationSource: source() });

    const rows = await knex('empresa_pasarelas').orderBy(['empresa_id', 'pasarela']);
    expect(rows.map((r) => `${r.empresa_id}/${r.pasarela}`)).to.deep.equal(['EMP_AAAAAAAAAA/conekta', 'EMP_AAAAAAAAAA/mercadopago', 'EMP_BBBBBBBBBB/mercadopago']);
    const [conekta, mp, soloMp] = rows;
    expect(conekta).to.include({
      modo: 'live', llave_publica: 'key_pub_a', secreto_enc: conektaKey, webhook_llave: '-----PEM-----', webhook_secreto_enc: null,
      webhook_id: 'wh_1', webhook_llave_id: 'whk_1', webhook_estado: 'automatico',
    });
    expect(conekta.webhook_en.toISOString()).to.equal(registeredAt.toISOString());
    expect(mp).to.include({ modo: 'live', llave_publica: 'APP_USR-pub', secreto_enc: mpToken, webhook_secreto_enc: mpWebhook, webhook_llave: null });
    expect(secrets.open(mp.secreto_enc)).to.equal('APP_USR-token-mp-456');
    expect(soloMp).to.include({ modo: 'test', llave_publica: 'TEST-pub', secreto_enc: null });
    // The previous release's processes still read the old columns during the deploy: untouched.
    expect(await knex('empresas').where({ id: 'EMP_AAAAAAAAAA' }).first()).to.include({ conekta_private_key_enc: conektaKey, mp_access_token_enc: mpToken, mp_mode: 'live' });

    // One row per company and gateway, and only registry-shaped ids.
    const duplicate = await knex('empresa_pasarelas').insert({ empresa_id: 'EMP_AAAAAAAAAA', pasarela: 'conekta' }).catch((e: { code?: string }) => e);
    expect((duplicate as { code?: string }).code).to.equal('23505');
    const badId = await knex('empresa_pasarelas').insert({ empresa_id: 'EMP_CCCCCCCCCC', pasarela: 'Conekta SA' }).catch((e: { code?: string }) => e);
    expect((badId as { code?: string }).code).to.equal('23514');

    // While both releases run, each sees the other's saves. This release's save reaches the old columns...
    const rotated = secrets.seal('APP_USR-token-mp-rotado');
    await knex('empresa_pasarelas').where({ empresa_id: 'EMP_AAAAAAAAAA', pasarela: 'mercadopago' }).update({ secreto_enc: rotated, webhook_secreto_enc: null });
    expect(await knex('empresas').where({ id: 'EMP_AAAAAAAAAA' }).first()).to.include({ mp_access_token_enc: rotated, mp_webhook_secret_enc: null, mp_public_key: 'APP_USR-pub' });
    // ...and the previous release's save (its own keys for a company on nothing yet) reaches the table.
    const oldKey = secrets.seal('key_live_guardada_por_la_version_anterior');
    await knex('empresas').where({ id: 'EMP_CCCCCCCCCC' }).update({ conekta_private_key_enc: oldKey, conekta_public_key: 'key_pub_vieja' });
    expect(await knex('empresa_pasarelas').where({ empresa_id: 'EMP_CCCCCCCCCC', pasarela: 'conekta' }).first())
      .to.include({ secreto_enc: oldKey, llave_publica: 'key_pub_vieja', modo: 'test' });
    // A write that does not touch the old columns (this release's touch of actualizada_en) copies nothing.
    const before = await knex('empresa_pasarelas').where({ empresa_id: 'EMP_CCCCCCCCCC', pasarela: 'conekta' }).first();
    await knex('empresas').where({ id: 'EMP_CCCCCCCCCC' }).update({ nombre: 'Nada, renombrada' });
    expect((await knex('empresa_pasarelas').where({ empresa_id: 'EMP_CCCCCCCCCC', pasarela: 'conekta' }).first()).actualizada_en).to.deep.equal(before.actualizada_en);
    // A row removed clears the columns.
    await knex('empresa_pasarelas').where({ empresa_id: 'EMP_CCCCCCCCCC', pasarela: 'conekta' }).delete();
    expect(await knex('empresas').where({ id: 'EMP_CCCCCCCCCC' }).first()).to.include({ conekta_private_key_enc: null, conekta_public_key: null, conekta_mode: 'test' });

    // What this release saves goes back to the columns on the way down: a key changed, a gateway added, one removed.
    const newKey = secrets.seal('key_live_conekta_nueva_789');
    await knex('empresa_pasarelas').where({ empresa_id: 'EMP_AAAAAAAAAA', pasarela: 'conekta' }).update({ secreto_enc: newKey, modo: 'test' });
    await knex('empresa_pasarelas').insert({ empresa_id: 'EMP_CCCCCCCCCC', pasarela: 'conekta', llave_publica: 'key_pub_c', modo: 'live' });
    await knex('empresa_pasarelas').where({ empresa_id: 'EMP_BBBBBBBBBB' }).delete();

    const syncFunctions = `SELECT proname FROM pg_proc WHERE pronamespace = '${SCHEMA}'::regnamespace AND proname IN ('empresa_pasarelas_a_columnas', 'empresas_columnas_a_pasarelas') ORDER BY proname`;
    expect((await knex.raw(syncFunctions)).rows).to.have.length(2);
    await knex.migrate.down({ migrationSource: source() });
    const back = await knex('empresas').orderBy('id');
    expect(back[0]).to.include({
      conekta_private_key_enc: newKey, conekta_public_key: 'key_pub_a', conekta_mode: 'test', conekta_webhook_public_key: '-----PEM-----',
      conekta_webhook_id: 'wh_1', conekta_webhook_key_id: 'whk_1', conekta_webhook_estado: 'automatico',
      mp_access_token_enc: rotated, mp_public_key: 'APP_USR-pub', mp_webhook_secret_enc: null, mp_mode: 'live',
    });
    expect(back[1]).to.include({ mp_public_key: null, mp_mode: 'test', conekta_private_key_enc: null, conekta_mode: 'test' });
    expect(back[2]).to.include({ conekta_public_key: 'key_pub_c', conekta_mode: 'live', conekta_private_key_enc: null, mp_access_token_enc: null, mp_mode: 'test' });
    expect(await knex.schema.hasTable('empresa_pasarelas')).to.equal(false);
    expect((await knex.raw(syncFunctions)).rows, 'the triggers\' functions dropped').to.deep.equal([]);
    // And the columns are plain columns again: an update no longer needs the table.
    await knex('empresas').where({ id: 'EMP_BBBBBBBBBB' }).update({ mp_public_key: 'TEST-otra' });
  });
});
