/**
 * Rotating the encryption key of secrets at rest (README, "Security"): the new
 * key seals, the previous one still opens, and resealAll moves every secret
 * to the new key without losing one.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { createContainer, type Container } from '../../src/container';
import { resealAll } from '../../src/platform/crypto/rotation';
import { createSecretBox } from '../../src/platform/crypto/secret-box';
import { TEST_ENV } from '../support/env';
import { insertTenant } from '../support/fixtures';
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
    const tenant = await insertTenant(t.container);
    await t.container.knex('empresas').where({ id: tenant.empresa.id }).update({
      mp_access_token_enc: t.container.secrets.seal('APP_USR-old-key-token-7766'),
      telegram_bot_token_enc: 'in-clear-from-the-original', // written before any key was configured
    });
    // A RADIUS-mode router's secret and heartbeat token are sealed too (issue 22).
    await t.container.knex('routers').where({ id: tenant.router.id }).update({
      modo: 'radius', radius_secret_enc: t.container.secrets.seal('radius-secret-old'), token_enc: t.container.secrets.seal('rtk_old-token'),
    });
    const before = await t.container.knex('empresas').where({ id: tenant.empresa.id }).first();
    expect(rotated.secrets.open(before.mp_access_token_enc)).to.equal('APP_USR-old-key-token-7766');

    const counts = await resealAll(rotated.knex, rotated.secrets);
    expect(counts['empresas.mp_access_token_enc']).to.be.at.least(1);
    expect(counts['routers.password_enc']).to.be.at.least(1);
    expect(counts['routers.radius_secret_enc']).to.be.at.least(1);
    expect(counts['routers.token_enc']).to.be.at.least(1);
    expect(counts['empresas.telegram_bot_token_enc']).to.be.at.least(1);

    const onlyNew = createSecretBox(NEW);
    const onlyOld = createSecretBox(OLD);
    const after = await t.container.knex('empresas').where({ id: tenant.empresa.id }).first();
    expect(onlyNew.open(after.mp_access_token_enc)).to.equal('APP_USR-old-key-token-7766');
    expect(onlyNew.open(after.telegram_bot_token_enc)).to.equal('in-clear-from-the-original');
    expect(() => onlyOld.open(after.mp_access_token_enc)).to.throw();
    const router = await t.container.knex('routers').where({ id: tenant.router.id }).first();
    expect(onlyNew.open(router.password_enc)).to.equal('router-pass');
    expect(onlyNew.open(router.radius_secret_enc)).to.equal('radius-secret-old');
    expect(onlyNew.open(router.token_enc)).to.equal('rtk_old-token');

    // Again: nothing left to do.
    const again = await resealAll(rotated.knex, rotated.secrets);
    expect(Object.values(again).every((n) => n === 0)).to.equal(true);
  });

  it('a previous key without a new one, or a malformed one, is refused at start', () => {
    expect(() => testConfig({ ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS: 'not-a-key' })).to.throw(/ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS/);
  });
});
