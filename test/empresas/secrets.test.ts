/**
 * No response of this issue carries a stored secret: configure every secret a
 * company has (gateway keys, webhook secret, bot token, router password), then
 * call every GET the app registers for cliente_admin and the portal reads, and
 * search the serialized bodies for the plaintexts and their ciphertexts.
 */
import { expect } from 'chai';
import type { RouterOsSimulator } from '../../sim/routeros';
import { startTestApp, type TestContext } from '../support/harness';
import { insertApiKey, pasarelaOf } from '../support/fixtures';
import { as, insertSimRouter, insertTransaccion, startSim, escenarioWithSession } from '../support/cliente';

describe('cliente admin: no response contains a stored secret', () => {
  let t: TestContext;
  let sim: RouterOsSimulator;
  before(async () => {
    t = await startTestApp();
    sim = await startSim({ password: 'R0uterApiSecretPassword-42' });
  });
  after(async () => {
    await t.close();
    await sim.close();
  });

  it('configures every secret, then searches every GET response body', async () => {
    const a = await escenarioWithSession(t);
    const secrets = {
      conektaPrivate: 'key_live_CONEKTA_PRIVATE_0a1b2c3d4e5f',
      mpAccessToken: 'APP_USR-8877665544332211-MP_ACCESS_TOKEN-77',
      mpWebhookSecret: 'mp_webhook_SECRET_value_99aa88bb',
      telegramToken: '987654321:TELEGRAM_BOT_TOKEN_abcdefghijkl',
      routerPassword: sim.password,
    };
    expect((await t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set(as(a.token))
      .send({ private_key: secrets.conektaPrivate, public_key: 'key_pub_live_visible', mode: 'live' })).status).to.equal(200);
    expect((await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token))
      .send({ access_token: secrets.mpAccessToken, public_key: 'APP_USR-public-visible', webhook_secret: secrets.mpWebhookSecret, mode: 'live' })).status).to.equal(200);
    expect((await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token))
      .send({ telegram_bot_token: secrets.telegramToken, telegram_chat_id: '-100999' })).status).to.equal(200);
    const router = await insertSimRouter(t.container, a.empresa.id, sim);
    const routerKey = await insertApiKey(t.container, router.id, a.empresa.id);
    const created = await t.request.post('/api/v1/admin/products').set(as(a.token))
      .send({ router_id: router.id, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Plan', precio: '10.00' });
    expect(created.status).to.equal(201);
    const trx = await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: router.id, estado_pago: 'paid', gateway: 'mercadopago', gateway_id: '1234567890' });

    const empresa = await t.container.knex('empresas').where({ id: a.empresa.id }).first();
    const routerRow = await t.container.knex('routers').where({ id: router.id }).first();
    const conekta = (await pasarelaOf(t.container.knex, a.empresa.id, 'conekta'))!;
    const mp = (await pasarelaOf(t.container.knex, a.empresa.id, 'mercadopago'))!;
    const forbidden = [
      ...Object.values(secrets),
      conekta.secreto_enc, mp.secreto_enc, mp.webhook_secreto_enc, empresa.telegram_bot_token_enc,
      routerRow.password_enc, trx.hotspot_password_enc, routerKey.apiKey, routerKey.apiKey.slice(4),
    ];
    for (const value of forbidden) expect(value, 'fixture').to.be.a('string').with.length.above(8);

    const lote = await t.request.post('/api/v1/admin/fichas/lotes').set(as(a.token)).send({ producto_id: created.body.id, cantidad: 2, tipo_usuario: 'usuario_contrasena' });
    expect(lote.status).to.equal(201);
    const ids: Record<string, string> = {
      router_id: router.id, producto_id: String(created.body.id), transaccion_id: trx.id, empresa_id: a.empresa.id, payment_id: '1234567890',
      nombre: 'logo_EMP_0000000000_000000000000.png', lote_id: lote.body.id,
      pasarela: 'mercadopago', // its token and webhook secret (the list route shows every gateway's account)
    };
    const gets = t.app.routes.filter((r) => r.method === 'get' && (r.auth === 'cliente_admin' || r.auth === 'router_key'));
    expect(gets.length).to.be.at.least(12);
    const bodies: string[] = [];
    for (const route of gets) {
      const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
        if (!ids[name]) throw new Error(`${route.path}: no id for :${name}`);
        return ids[name]!;
      });
      const auth = route.auth === 'router_key' ? { 'X-API-Key': routerKey.apiKey } : as(a.token);
      const res = await t.request.get(path).set(auth);
      expect(res.status, `${path} → ${JSON.stringify(res.body)}`).to.equal(200);
      bodies.push(`${path} ${JSON.stringify(res.body)} ${JSON.stringify(res.headers)}`);
    }
    // The portal's key check and the write responses, too.
    const validar = await t.request.post('/api/v1/routers/validar-empresa-router').set('X-API-Key', routerKey.apiKey).send({});
    bodies.push(JSON.stringify(validar.body));
    bodies.push(JSON.stringify(created.body));
    for (const text of bodies) {
      for (const secret of forbidden) expect(text.includes(secret), `${text.slice(0, 120)}… contains a secret`).to.equal(false);
      expect(text).not.to.match(/_enc"/);
    }
    // The masked forms are there, so the admin can recognise what is configured.
    const all = bodies.join('\n');
    expect(all).to.include('••••4e5f');
    expect(all).to.include('••••N-77');
  });
});
