/**
 * Rotating the encryption key of secrets at rest (README, "Security"): the new
 * key seals, the previous one still opens, and resealAll moves every secret
 * to the new key without losing one.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { createContainer, type Container } from '../../src/container';
import { resealAll, SEALED_COLUMNS } from '../../src/platform/crypto/rotation';
import { createSecretBox } from '../../src/platform/crypto/secret-box';
import { TEST_ENV } from '../support/env';
import { insertEscenario, pasarelaOf, setPasarela } from '../support/fixtures';
import { startTestApp, testConfig, type TestContext } from '../support/harness';

describe('security: encryption key rotation', function () {
  this.timeout(30_000);
  const OLD = TEST_ENV.ENCRYPTION_KEY_MERCADO_PAGO!;
  const NEW = crypto.randomBytes(32).toString('base64url') + '=';
  let t: TestContext;
  let rotated: Container;
  before(async () => {
    t = await startTestApp();
    rotated = createContainer(testConfig({ ENCRYPTION_KEY_MERCADO_PAGO: NEW, ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS: OLD }), { processName: 'test' });
  });
  after(async () => {
    await rotated.close();
    await t.close();
  });

  it('old secrets still open during the rotation, and resealAll moves them all to the new key', async () => {
    const escenario = await insertEscenario(t.container);
    await t.container.knex('empresas').where({ id: escenario.empresa.id }).update({
      telegram_bot_token_enc: 'in-clear-from-the-original', // written before any key was configured
    });
    await setPasarela(t.container.knex, escenario.empresa.id, 'mercadopago', {
      secreto_enc: t.container.secrets.seal('APP_USR-old-key-token-7766'), webhook_secreto_enc: t.container.secrets.seal('mp-webhook-old'),
    });
    // A RADIUS-mode router's secret and heartbeat token are sealed too (issue 22).
    await t.container.knex('routers').where({ id: escenario.router.id }).update({
      modo: 'radius', radius_secret_enc: t.container.secrets.seal('radius-secret-old'), token_enc: t.container.secrets.seal('rtk_old-token'),
    });
    // A voucher's password (bigint ids) and the router's sealed API key.
    const [producto] = await t.container.knex('productos').insert({
      empresa_id: escenario.empresa.id, router_id: escenario.router.id, perfil_mikrotik_nombre: 'default', nombre_venta: 'Plan 1 hora', precio: '20.00',
    }).returning('id');
    await t.container.knex('fichas_lotes').insert({
      id: 'LOT_00000000AA', empresa_id: escenario.empresa.id, router_id: escenario.router.id, producto_id: producto.id, producto_nombre: 'Plan 1 hora',
      perfil_mikrotik_nombre: 'default', precio: '20.00', moneda: 'MXN', tipo_usuario: 'usuario_contrasena', cantidad: 1,
    });
    const [ficha] = await t.container.knex('fichas').insert({
      lote_id: 'LOT_00000000AA', empresa_id: escenario.empresa.id, router_id: escenario.router.id, codigo: 'K7M2QXAB', contrasena_enc: t.container.secrets.seal('PZ4K7M'),
    }).returning('id');
    const before = (await pasarelaOf(t.container.knex, escenario.empresa.id, 'mercadopago'))!;
    expect(rotated.secrets.open(before.secreto_enc)).to.equal('APP_USR-old-key-token-7766');

    const counts = await resealAll(rotated.knex, rotated.secrets);
    expect(counts['empresa_pasarelas.secreto_enc']).to.be.at.least(1);
    expect(counts['empresa_pasarelas.webhook_secreto_enc']).to.be.at.least(1);
    expect(counts['routers.password_enc']).to.be.at.least(1);
    expect(counts['routers.radius_secret_enc']).to.be.at.least(1);
    expect(counts['routers.token_enc']).to.be.at.least(1);
    expect(counts['empresas.telegram_bot_token_enc']).to.be.at.least(1);
    expect(counts['fichas.contrasena_enc']).to.be.at.least(1);
    expect(counts['router_api_keys.api_key_enc']).to.be.at.least(1);

    const onlyNew = createSecretBox(NEW);
    const onlyOld = createSecretBox(OLD);
    const after = await t.container.knex('empresas').where({ id: escenario.empresa.id }).first();
    const mpAfter = (await pasarelaOf(t.container.knex, escenario.empresa.id, 'mercadopago'))!;
    expect(onlyNew.open(mpAfter.secreto_enc)).to.equal('APP_USR-old-key-token-7766');
    expect(onlyNew.open(mpAfter.webhook_secreto_enc)).to.equal('mp-webhook-old');
    expect(onlyNew.open(after.telegram_bot_token_enc)).to.equal('in-clear-from-the-original');
    expect(() => onlyOld.open(mpAfter.secreto_enc)).to.throw();
    const router = await t.container.knex('routers').where({ id: escenario.router.id }).first();
    expect(onlyNew.open(router.password_enc)).to.equal('router-pass');
    expect(onlyNew.open(router.radius_secret_enc)).to.equal('radius-secret-old');
    expect(onlyNew.open(router.token_enc)).to.equal('rtk_old-token');
    const voucher = await t.container.knex('fichas').where({ id: ficha.id }).first();
    expect(onlyNew.open(voucher.contrasena_enc)).to.equal('PZ4K7M');
    const key = await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).first();
    expect(onlyNew.open(key.api_key_enc)).to.equal(escenario.apiKey);

    // Again: nothing left to do.
    const again = await resealAll(rotated.knex, rotated.secrets);
    expect(Object.values(again).every((n) => n === 0)).to.equal(true);
  });

  it('every sealed column of the migrated schema (named *_enc) is in the rotation list', async () => {
    // information_schema, the migrated truth: a new `*_enc` column that rotation.ts does not list fails here.
    const rows: Array<{ table_name: string; column_name: string }> = await t.container.knex('information_schema.columns')
      .select('table_name', 'column_name').where('table_schema', TEST_ENV.DATABASE_SCHEMA!).andWhere('column_name', 'like', '%\\_enc');
    const inSchema = rows.map((r) => `${r.table_name}.${r.column_name}`).sort();
    expect(inSchema).to.include('fichas.contrasena_enc');
    const listed = SEALED_COLUMNS.flatMap(({ table, columns }) => columns.map((c) => `${table}.${c}`));
    const missing = inSchema.filter((c) => !listed.includes(c));
    expect(missing, 'sealed columns missing from SEALED_COLUMNS in src/platform/crypto/rotation.ts').to.deep.equal([]);
    // And nothing listed that the schema does not have.
    expect(listed.filter((c) => !inSchema.includes(c))).to.deep.equal([]);
  });

  it('a previous key without a new one, or a malformed one, is refused at start', () => {
    expect(() => testConfig({ ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS: 'not-a-key' })).to.throw(/ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS/);
  });
});
