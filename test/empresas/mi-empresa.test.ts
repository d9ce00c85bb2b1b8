/** GET/PUT /api/v1/admin/mi-empresa, its dashboard and the payment credentials. */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertRouter, pasarelaOf, setPasarela } from '../support/fixtures';
import { as, insertTransaccion, escenarioWithSession } from '../support/cliente';

describe('cliente admin: mi empresa', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  describe('GET and PUT /api/v1/admin/mi-empresa', () => {
    it('returns the session company, never a private key', async () => {
      const a = await escenarioWithSession(t);
      await setPasarela(t.container.knex, a.empresa.id, 'conekta', { secreto_enc: t.container.secrets.seal('key_priv_abcdefgh12345678'), llave_publica: 'key_pub_abc' });
      const res = await t.request.get('/api/v1/admin/mi-empresa').set(as(a.token));
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        id: a.empresa.id, nombre: a.empresa.nombre, activa: true, conekta_configurado: true, conekta_public_key: 'key_pub_abc',
        conekta_mode: 'test', mercado_pago_configurado: false, mercado_pago_mode: 'test', telegram_configurado: false, telegram_bot_token: null,
      });
      expect(JSON.stringify(res.body)).not.to.include('key_priv_abcdefgh12345678');
      expect(JSON.stringify(res.body)).not.to.include('_enc');
    });

    it('updates only the fields sent; telegram token is stored encrypted and shown masked; "" clears it', async () => {
      const a = await escenarioWithSession(t);
      const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
      const res = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({
        contacto_telefono: '+52 55 1234 5678', telegram_bot_token: token, telegram_chat_id: '-100123',
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ nombre: a.empresa.nombre, contacto_telefono: '+52 55 1234 5678', telegram_configurado: true, telegram_chat_id: '-100123' });
      expect(res.body.telegram_bot_token).to.equal('••••Dsaw');
      const row = await t.container.knex('empresas').where({ id: a.empresa.id }).first();
      expect(row.telegram_bot_token_enc).to.match(/^gAAAAA/);
      expect(t.container.secrets.open(row.telegram_bot_token_enc)).to.equal(token);

      const renamed = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ nombre: '  WiFi Plaza  ' });
      expect(renamed.body).to.include({ nombre: 'WiFi Plaza', telegram_configurado: true, contacto_telefono: '+52 55 1234 5678' });

      const cleared = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ telegram_bot_token: '' });
      expect(cleared.body).to.include({ telegram_configurado: false, telegram_bot_token: null, telegram_chat_id: '-100123' });
    });

    it('rejects unknown fields (activa, id, keys) and bad values with the field named', async () => {
      const a = await escenarioWithSession(t);
      for (const [body, detail] of [
        [{ activa: false }, "Campo no permitido: 'activa'"],
        [{ empresa_id: 'EMP_0000000000' }, "Campo no permitido: 'empresa_id'"],
        [{ conekta_private_key: 'x' }, "Campo no permitido: 'conekta_private_key'"],
        [{ contacto_email: 'no-es-email' }, "El campo 'contacto_email' no tiene un formato válido (email)"],
        [{ nombre: '   ' }, "El campo 'nombre' tiene un formato inválido"],
      ] as const) {
        const res = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send(body);
        expect(res.status, JSON.stringify(body)).to.equal(422);
        expect(res.body.detail).to.equal(detail);
      }
      const row = await t.container.knex('empresas').where({ id: a.empresa.id }).first();
      expect(row.activa).to.equal(true);
    });

    it('is 403 for a super admin and 401 without a session or with a router key', async () => {
      const a = await escenarioWithSession(t);
      const root = await loginSuperAdmin(t);
      const res = await t.request.get('/api/v1/admin/mi-empresa').set(as(root));
      expect(res.status).to.equal(403);
      expect(res.body.detail).to.equal('Se requiere rol CLIENTE_ADMIN');
      expect((await t.request.get('/api/v1/admin/mi-empresa')).status).to.equal(401);
      expect((await t.request.get('/api/v1/admin/mi-empresa').set(as(a.apiKey))).status).to.equal(401);
    });
  });

  describe('GET /api/v1/admin/mi-empresa/dashboard', () => {
    it('counts by status, sums paid revenue per currency in SQL as decimal strings, lists routers and the latest 10 sales', async () => {
      const a = await escenarioWithSession(t);
      const b = await escenarioWithSession(t);
      const inactive = await insertRouter(t.container, a.empresa.id, { activo: false });
      const base = { empresa_id: a.empresa.id, router_id: a.router.id };
      // Amounts that float arithmetic gets wrong: 0.1 + 0.2 and many cents.
      await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '0.10' });
      await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '0.20' });
      for (let i = 0; i < 10; i++) await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '19.99' });
      await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '5.00', moneda: 'USD' });
      await insertTransaccion(t.container, { ...base, estado_pago: 'refunded', monto: '100.00', estado_hotspot: 'disabled' });
      await insertTransaccion(t.container, { ...base, estado_pago: 'declined', monto: '50.00' });
      await insertTransaccion(t.container, { ...base, estado_pago: 'pending', monto: '50.00' });
      const failed = await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '1.00', estado_hotspot: 'failed' });
      const latest = await insertTransaccion(t.container, { ...base, estado_pago: 'unknown', monto: '7.00', creado_en: new Date(Date.now() + 60_000) });
      await insertTransaccion(t.container, { empresa_id: b.empresa.id, router_id: b.router.id, estado_pago: 'paid', monto: '999.00' });

      const res = await t.request.get('/api/v1/admin/mi-empresa/dashboard').set(as(a.token));
      expect(res.status).to.equal(200);
      expect(res.body.empresa).to.deep.equal({ id: a.empresa.id, nombre: a.empresa.nombre, activa: true });
      expect(res.body.transacciones.total).to.equal(18);
      expect(res.body.transacciones.por_estado_pago).to.deep.equal({ pending: 1, paid: 14, declined: 1, unknown: 1, expired: 0, refunded: 1, charged_back: 0 });
      expect(res.body.transacciones.por_estado_hotspot).to.deep.equal({ pending: 3, provisioning: 0, active: 13, failed: 1, disabled: 1, expired: 0 });
      // 0.10 + 0.20 + 10 × 19.99 + 1.00 = 201.20; refunds, declines, pending and the other company excluded.
      expect(res.body.ingresos).to.deep.equal({ MXN: { total: '201.20', transacciones: 13 }, USD: { total: '5.00', transacciones: 1 } });
      expect(res.body.routers).to.deep.include({ total: 2, activos: 1, inactivos: 1 });
      expect(res.body.routers.lista.map((r: { id: string }) => r.id)).to.have.members([a.router.id, inactive.id]);
      expect(res.body.ultimas_ventas).to.have.length(10);
      expect(res.body.ultimas_ventas[0].id).to.equal(latest.id);
      expect(res.body.ultimas_ventas.map((v: { id: string }) => v.id)).to.include(failed.id);
      const text = JSON.stringify(res.body);
      expect(text).not.to.include(b.empresa.id);
      expect(text).not.to.include('hotspot_password');
    });

    it('an empty company has zeros and no revenue', async () => {
      const a = await escenarioWithSession(t);
      const res = await t.request.get('/api/v1/admin/mi-empresa/dashboard').set(as(a.token));
      expect(res.body.transacciones.total).to.equal(0);
      expect(res.body.ingresos).to.deep.equal({});
      expect(res.body.ultimas_ventas).to.deep.equal([]);
      expect(res.body.productos).to.deep.equal({ total: 0, activos: 0 });
    });
  });

  describe('Conekta credentials', () => {
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

    it('stores the private key encrypted, shows it masked, keeps omitted fields (the mode included)', async () => {
      const a = await escenarioWithSession(t);
      const privateKey = 'key_live_PRIVADA_0123456789abcdef';
      const res = await t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set(as(a.token))
        .send({ private_key: privateKey, public_key: 'key_pub_live_123', mode: 'live', webhook_public_key: pem });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({
        message: 'Credenciales de Conekta configuradas correctamente', configurado: true, mode: 'live', private_key: '••••cdef',
        public_key: 'key_pub_live_123', webhook_public_key_configurada: true,
        webhook_url: `http://pagos.test/api/v1/webhook/conekta/${a.empresa.id}`,
      });
      expect(res.body.webhook_public_key_fingerprint).to.match(/^SHA256:/);
      const row = (await pasarelaOf(t.container.knex, a.empresa.id, 'conekta'))!;
      expect(row).to.include({ modo: 'live', llave_publica: 'key_pub_live_123', webhook_estado: 'manual' });
      expect(row.secreto_enc).to.match(/^gAAAAA/);
      expect(t.container.secrets.open(row.secreto_enc)).to.equal(privateKey);
      expect(row.webhook_llave.trim()).to.equal(pem.trim());

      // Only the public key: the private key, the mode and the webhook key stay.
      const partial = await t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set(as(a.token)).send({ public_key: 'key_pub_live_456' });
      expect(partial.body).to.include({ mode: 'live', private_key: '••••cdef', public_key: 'key_pub_live_456', webhook_public_key_configurada: true });

      const view = await t.request.get('/api/v1/admin/mi-empresa/conekta').set(as(a.token));
      expect(view.status).to.equal(200);
      const { message: _m, ...expected } = partial.body;
      expect(view.body).to.deep.equal(expected);
      expect(JSON.stringify(view.body)).not.to.include(privateKey);

      const removed = await t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set(as(a.token)).send({ webhook_public_key: null });
      expect(removed.body).to.include({ webhook_public_key_configurada: false, webhook_public_key_fingerprint: null, mode: 'live' });
    });

    it('rejects a webhook key that is not a PEM public key, a bad mode and unknown fields (422), changing nothing', async () => {
      const a = await escenarioWithSession(t);
      for (const [body, detail] of [
        [{ webhook_public_key: 'not a pem' }, "El campo 'webhook_public_key' no es una llave pública PEM válida"],
        [{ webhook_public_key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }, "El campo 'webhook_public_key' no es una llave pública PEM válida"],
        [{ mode: 'prod' }, "El campo 'mode' debe ser uno de: test, live"],
        [{ private_key: '' }, "El campo 'private_key' no puede estar vacío"],
        [{ private_key: 12345 }, "El campo 'private_key' debe ser de tipo texto"],
        [{ secret: 'x' }, "Campo no permitido: 'secret'"],
      ] as const) {
        const res = await t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set(as(a.token)).send({ private_key: 'key_new_0123456789', ...body });
        expect(res.status, JSON.stringify(body)).to.equal(422);
        expect(res.body.detail).to.equal(detail);
      }
      expect(await pasarelaOf(t.container.knex, a.empresa.id, 'conekta'), 'nothing saved').to.equal(undefined);
    });
  });

  describe('Mercado Pago credentials', () => {
    it('stores token and webhook secret encrypted, masks them, shows the webhook URL; omitted keeps, "" clears', async () => {
      const a = await escenarioWithSession(t);
      const accessToken = 'APP_USR-1234567890123456-TOKENSECRETO-99887766';
      const webhookSecret = 'whsec_f1e2d3c4b5a6978877665544';
      const res = await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token))
        .send({ access_token: accessToken, public_key: 'APP_USR-pub-123', webhook_secret: webhookSecret, mode: 'live' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      // The original's answer (`success`, `empresa`, `campos_modificados`, `configuracion_actual`) is checked in test/compat.
      const { success: _s, empresa: _e, campos_modificados: _c, configuracion_actual: _a, ...ours } = res.body;
      expect(ours).to.deep.equal({
        message: 'Credenciales de Mercado Pago configuradas correctamente', configurado: true, mode: 'live',
        access_token: '••••7766', public_key: 'APP_USR-pub-123', webhook_secret: '••••5544', webhook_secret_configurado: true,
        webhook_url: `http://pagos.test/api/v1/webhook/mercado-pago/${a.empresa.id}`, webhook_aviso: null,
      });
      const row = (await pasarelaOf(t.container.knex, a.empresa.id, 'mercadopago'))!;
      expect(row).to.include({ modo: 'live', llave_publica: 'APP_USR-pub-123' });
      expect(t.container.secrets.open(row.secreto_enc)).to.equal(accessToken);
      expect(t.container.secrets.open(row.webhook_secreto_enc)).to.equal(webhookSecret);
      expect(row.secreto_enc).to.match(/^gAAAAA/);
      expect(row.webhook_secreto_enc).to.match(/^gAAAAA/);

      const view = await t.request.get('/api/v1/admin/mi-empresa/mercado-pago').set(as(a.token));
      const { message: _m, ...expected } = ours;
      const { configuracion_actual: masked, ...viewOurs } = view.body;
      expect(viewOurs).to.deep.equal(expected);
      expect(masked).to.deep.equal({ access_token: '********', public_key: 'APP_USR-pub-123', mode: 'live', webhook_secret: '********' });

      const cleared = await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token)).send({ webhook_secret: '' });
      expect(cleared.body).to.include({ configurado: true, mode: 'live', access_token: '••••7766', webhook_secret: null, webhook_secret_configurado: false });
      expect((await pasarelaOf(t.container.knex, a.empresa.id, 'mercadopago'))!.webhook_secreto_enc).to.equal(null);

      const off = await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token)).send({ access_token: '' });
      expect(off.body).to.include({ configurado: false, access_token: null, public_key: 'APP_USR-pub-123' });
      // The portal stops offering Mercado Pago at once.
      const portal = await t.request.get('/api/v1/config/public').set('X-API-Key', a.apiKey);
      expect(portal.body.mercado_pago).to.include({ habilitado: false, public_key: null });
    });

    it('the portal sees the public key and mode, never the token', async () => {
      const a = await escenarioWithSession(t);
      await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token))
        .send({ access_token: 'TEST-access-token-0987654321', public_key: 'TEST-public-key-1', mode: 'test' });
      const portal = await t.request.get('/api/v1/config/public').set('X-API-Key', a.apiKey);
      expect(portal.body.mercado_pago).to.deep.equal({ habilitado: true, public_key: 'TEST-public-key-1', mode: 'test' });
      expect(JSON.stringify(portal.body)).not.to.include('TEST-access-token-0987654321');
    });

    it('rejects bad values and is 403 for a super admin', async () => {
      const a = await escenarioWithSession(t);
      const bad = await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token)).send({ mode: 'sandbox' });
      expect(bad.status).to.equal(422);
      const spaces = await t.request.post('/api/v1/payments/configurar-credenciales').set(as(a.token)).send({ access_token: 'con espacios' });
      expect(spaces.status).to.equal(422);
      expect(spaces.body.detail).to.equal("El campo 'access_token' tiene un formato inválido");
      const root = await loginSuperAdmin(t);
      expect((await t.request.post('/api/v1/payments/configurar-credenciales').set(as(root)).send({ mode: 'live' })).status).to.equal(403);
    });
  });
});
