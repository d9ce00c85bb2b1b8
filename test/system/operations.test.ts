import { expect } from 'chai';
import sinon from 'sinon';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { startTelegramSandbox, type TelegramSandbox } from '../../sim/telegram';
import { assertEveryJobHasAProcessor, startWorker } from '../../workers/index';
import { createProcessors } from '../../workers/processors';
import { insertEscenario, insertUsuario } from '../support/fixtures';
import { loginAs, loginSuperAdmin, startTestApp, testConfig, type TestContext } from '../support/harness';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;

describe('operations', function () {
  this.timeout(60_000);

  describe('two web instances on one Redis and one database', () => {
    let t: TestContext;
    let other: ReturnType<typeof createContainer>;
    let b: supertest.Agent;
    before(async () => {
      t = await startTestApp({ RATE_LIMIT_LOGIN_EMAIL_IP_POINTS: '3' });
      other = createContainer(testConfig({ RATE_LIMIT_LOGIN_EMAIL_IP_POINTS: '3' }));
      b = supertest.agent(createApp(other).callback());
    });
    after(async () => { await other.close(); await t.close(); });

    it('a login rate limit reached through one holds on the other', async () => {
      for (let i = 0; i < 3; i++) {
        expect((await t.request.post('/api/v1/auth/login').send({ email: 'root@pagos.test', password: 'wrong-password' })).status).to.equal(401);
      }
      const blocked = await b.post('/api/v1/auth/login').send({ email: 'root@pagos.test', password: t.config.superAdmin.password });
      expect(blocked.status).to.equal(429);
      expect(Number(blocked.headers['retry-after'])).to.be.greaterThan(0);
      expect(blocked.body.detail).to.match(/^Demasiados intentos de inicio de sesión/);
      // Another email from the same IP is not blocked by that limit.
      const user = await insertUsuario(t.container, { rol: 'super_admin' });
      expect((await b.post('/api/v1/auth/login').send({ email: user.email, password: user.password })).status).to.equal(200);
    });

    it('a key revoked through one is refused by the other on the next request', async () => {
      const escenario = await insertEscenario(t.container);
      expect((await b.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey)).status).to.equal(200);
      const admin = await insertUsuario(t.container, { rol: 'super_admin' }); // root is rate-limited by the test above
      const token = await loginAs(t, admin.email, admin.password);
      const revoke = await t.request.post(`/admin/empresas/${escenario.empresa.id}/routers/${escenario.router.id}/api-keys/${escenario.keyId}/revoke`).set('Authorization', `Bearer ${token}`);
      expect(revoke.status).to.equal(200);
      expect((await b.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey)).status).to.equal(401);
    });

    it('portal key checks are cached per generation: an admin write is seen at once, a change by hand within the TTL', async () => {
      const escenario = await insertEscenario(t.container);
      const hit = () => b.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey);
      expect((await hit()).status).to.equal(200);
      // Changed behind the API's back (no generation bump): the cached check still holds...
      await t.container.knex('routers').where({ id: escenario.router.id }).update({ activo: false });
      expect((await hit()).status).to.equal(200);
      // ...until its TTL passes,
      const clock = sinon.useFakeTimers({ now: Date.now() + 31_000, toFake: ['Date'] });
      try {
        expect((await hit()).status).to.equal(401);
      } finally {
        clock.restore();
      }
      // while a change through the admin API is seen by every instance on the next request.
      await t.container.knex('routers').where({ id: escenario.router.id }).update({ activo: true });
      await t.container.authGeneration.bump();
      expect((await hit()).status).to.equal(200);
      const admin = await insertUsuario(t.container, { rol: 'super_admin' });
      const token = await loginAs(t, admin.email, admin.password);
      const toggle = await t.request.put(`/admin/empresas/${escenario.empresa.id}/routers/${escenario.router.id}/toggle-activo`).set('Authorization', `Bearer ${token}`);
      expect(toggle.body.activo).to.equal(false);
      expect((await hit()).status).to.equal(401);
    });

    it('portal requests per key are limited across instances', async () => {
      const limited = await startTestApp({ RATE_LIMIT_PORTAL_KEY_POINTS: '4' });
      const twin = createContainer(testConfig({ RATE_LIMIT_PORTAL_KEY_POINTS: '4' }));
      try {
        const escenario = await insertEscenario(limited.container);
        const twinAgent = supertest.agent(createApp(twin).callback());
        for (let i = 0; i < 2; i++) expect((await limited.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey)).status).to.equal(200);
        for (let i = 0; i < 2; i++) expect((await twinAgent.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey)).status).to.equal(200);
        const over = await twinAgent.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey);
        expect(over.status).to.equal(429);
        expect(over.headers['retry-after']).to.be.a('string');
      } finally {
        await twin.close();
        await limited.close();
      }
    });
  });

  describe('API key expiry warnings', () => {
    let t: TestContext;
    let telegram: TelegramSandbox;
    before(async () => {
      telegram = await startTelegramSandbox({ tokens: ['123:bot-token'] });
      t = await startTestApp({ TELEGRAM_API_URL: telegram.url });
    });
    after(async () => { await t.close(); await telegram.close(); });
    afterEach(() => sinon.restore());

    it('records one warning per key and threshold (30, 7, 1 days), never twice, and sends it to Telegram', async () => {
      const start = Date.now();
      const escenario = await insertEscenario(t.container);
      await t.container.knex('empresas').where({ id: escenario.empresa.id }).update({
        telegram_bot_token_enc: t.container.secrets.seal('123:bot-token'), telegram_chat_id: '-100200300',
      });
      await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).update({ expires_at: new Date(start + 40 * DAY) });
      const warnings = () => t.container.knex('api_key_expiry_warnings').where({ key_id: escenario.keyId }).orderBy('threshold_days', 'desc');
      const at = async (offsetMs: number) => {
        const clock = sinon.useFakeTimers({ now: start + offsetMs, toFake: ['Date'] });
        try {
          return await t.container.keyExpiry.run();
        } finally {
          clock.restore();
        }
      };

      await at(0);
      expect(await warnings()).to.have.length(0);
      await at(11 * DAY); // 29 days left
      expect((await warnings()).map((w) => w.threshold_days)).to.deep.equal([30]);
      await at(12 * DAY);
      expect(await warnings()).to.have.length(1);
      await at(33.5 * DAY); // 6.5 days left
      expect((await warnings()).map((w) => w.threshold_days)).to.deep.equal([30, 7]);
      await at(39.2 * DAY); // under a day left
      await at(39.5 * DAY);
      const all = await warnings();
      expect(all.map((w) => w.threshold_days)).to.deep.equal([30, 7, 1]);
      expect(all.every((w) => w.telegram_status === 'sent')).to.equal(true);
      expect(telegram.messages).to.have.length(3);
      expect(telegram.messages[0]).to.include({ chat_id: '-100200300' });
      expect(telegram.messages[0].text).to.include(escenario.router.id).and.include('29');

      const token = await loginSuperAdmin(t);
      const status = await t.request.get(`/admin/empresas/${escenario.empresa.id}/routers/${escenario.router.id}/api-key-status`).set('Authorization', `Bearer ${token}`);
      expect(status.status).to.equal(200);
      const later = await t.container.routers.keyStatus(escenario.empresa.id, escenario.router.id, new Date(start + 39.5 * DAY));
      expect(later.warning).to.equal('La API Key expira en 0 días');
      expect(status.body.expiry_warnings.map((w: { threshold_days: number }) => w.threshold_days)).to.deep.equal([30, 7, 1]);
      const dashboard = await t.request.get('/admin/dashboard').set('Authorization', `Bearer ${token}`);
      expect(JSON.stringify(dashboard.body)).to.include(escenario.keyId);
    });

    it('a company without Telegram still gets its warnings recorded', async () => {
      const escenario = await insertEscenario(t.container);
      await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).update({ expires_at: new Date(Date.now() + 5 * DAY) });
      await t.container.keyExpiry.run();
      const rows = await t.container.knex('api_key_expiry_warnings').where({ key_id: escenario.keyId });
      expect(rows.map((r) => r.threshold_days).sort()).to.deep.equal([30, 7]);
      expect(rows.every((r) => r.telegram_status === 'not_configured')).to.equal(true);
    });
  });

  describe('Bull Board and metrics', () => {
    let t: TestContext;
    before(async () => { t = await startTestApp({ RATE_LIMIT_LOGIN_EMAIL_IP_POINTS: '3' }); });
    after(async () => { await t.close(); });
    const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

    it('asks browsers for Basic credentials and lets only an active super admin in', async () => {
      const none = await t.request.get('/admin/queues');
      expect(none.status).to.equal(401);
      expect(none.headers['www-authenticate']).to.match(/^Basic realm=/);
      expect((await t.request.get('/admin/queues').set('Authorization', basic('root@pagos.test', 'nope-nope'))).status).to.equal(401);
      const escenario = await insertEscenario(t.container);
      expect((await t.request.get('/admin/queues').set('Authorization', basic(escenario.admin.email, escenario.admin.password))).status).to.equal(403);
      const session = await loginSuperAdmin(t);
      expect((await t.request.get('/admin/queues').set('Authorization', `Bearer ${session}`)).status).to.equal(401);
      const ok = await t.request.get('/admin/queues').set('Authorization', basic('root@pagos.test', t.config.superAdmin.password));
      expect(ok.status).to.equal(200);
      expect(ok.text).to.include('<html');
      const api = await t.request.get('/admin/queues/api/queues').set('Authorization', basic('root@pagos.test', t.config.superAdmin.password));
      expect(api.status).to.equal(200);
      expect(api.body.queues.map((q: { name: string }) => q.name).sort()).to.deep.equal(['fichas', 'hotspot', 'maintenance', 'payments']);
    });

    it('is rate-limited like the login', async () => {
      const user = await insertUsuario(t.container, { rol: 'super_admin' });
      for (let i = 0; i < 3; i++) await t.request.get('/admin/queues').set('Authorization', basic(user.email, 'wrong-one'));
      const res = await t.request.get('/admin/queues').set('Authorization', basic(user.email, user.password));
      expect(res.status).to.equal(429);
    });

    it("uses the login's own check: the email is trimmed and any case, and a success resets the failure count", async () => {
      const user = await insertUsuario(t.container, { rol: 'super_admin' });
      const spaced = `  ${user.email.toUpperCase()} `;
      for (let i = 0; i < 2; i++) expect((await t.request.get('/admin/queues').set('Authorization', basic(user.email, 'wrong-one'))).status).to.equal(401);
      expect((await t.request.get('/admin/queues').set('Authorization', basic(spaced, user.password))).status).to.equal(200);
      // Two more failures would be the 3rd and 4th without the reset: the limit (3) is not reached.
      for (let i = 0; i < 2; i++) expect((await t.request.get('/admin/queues').set('Authorization', basic(user.email, 'wrong-one'))).status).to.equal(401);
      expect((await t.request.get('/admin/queues').set('Authorization', basic(user.email, user.password))).status).to.equal(200);
    });

    it('/metrics has HTTP latency by route template and queue depths', async () => {
      await t.request.get('/health');
      const res = await t.request.get('/metrics');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('pagos_http_request_duration_seconds_bucket{');
      expect(res.text).to.include('route="GET /health"');
      expect(res.text).to.match(/pagos_queue_jobs\{queue="hotspot",state="waiting"\} \d+/);
    });
  });

  describe('worker', () => {
    it('refuses to start unless every job has a processor', async () => {
      const t = await startTestApp();
      try {
        const processors: Partial<ReturnType<typeof createProcessors>> = { ...createProcessors(t.container) };
        assertEveryJobHasAProcessor(processors);
        const { reconcile: _missing, ...withoutOne } = processors;
        expect(() => assertEveryJobHasAProcessor(withoutOne)).to.throw('jobs sin procesador: reconcile');
      } finally {
        await t.close();
      }
    });

    it('usage flushed by a real worker adds up across a worker restart', async () => {
      const t = await startTestApp({ RATE_LIMIT_PORTAL_KEY_POINTS: '100000' });
      try {
        const escenario = await insertEscenario(t.container);
        const hits = (n: number) => Promise.all(Array.from({ length: n }, () => t.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey)));
        const stored = async () => (await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).first()).use_count;
        await hits(500);
        let worker = await startWorker(t.config, { schedules: false });
        await t.container.jobs.enqueue('flush-key-usage', {});
        await eventually(async () => (await stored()) === 500, 10_000, 'first flush');
        await worker.stop();
        await hits(500);
        worker = await startWorker(t.config, { schedules: false });
        await t.container.jobs.enqueue('flush-key-usage', {});
        await eventually(async () => (await stored()) === 1000, 10_000, 'second flush');
        await worker.stop();
      } finally {
        await t.close();
      }
    });
  });

  describe('auto-reconnect and hotspot expiry (simulated router)', () => {
    let s: Stack;
    before(async () => { s = await startStack(); });
    after(async () => { await s.close(); });
    afterEach(async () => { await s.sim.faults.clear(); });

    const buy = async (key: string) => {
      const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', key)
        .send(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')));
      expect(res.body.estado_hotspot).to.equal('active');
      return res.body as { transaccion_id: string; usuario_hotspot: { usuario: string; contrasena: string } };
    };
    const reconnect = (apiKey: string, body: object) => s.t.request.post('/api/v1/hotspot/auto-reconnect').set('X-API-Key', apiKey).send(body);

    it('logs the device in with a valid user and password of this router', async () => {
      const sale = await buy('reconnect-ok-0001');
      const res = await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: sale.usuario_hotspot.contrasena, mac_cliente: 'aa-bb-cc-dd-ee-01', ip_cliente: '10.5.50.10' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ success: true, estado: 'activo', auto_conexion: 'conectado', resultado: 'conectado', usuario: sale.usuario_hotspot.usuario });
      expect(JSON.stringify(res.body)).not.to.include(sale.usuario_hotspot.contrasena);
      expect(s.sim.state.activeList.some((a) => a.user === sale.usuario_hotspot.usuario && a['mac-address'] === 'AA:BB:CC:DD:EE:01')).to.equal(true);
    });

    it('refuses a wrong password, a username alone, another router, an expired or disabled user, and bad MAC/IP', async () => {
      const sale = await buy('reconnect-no-0001');
      const device = { mac_cliente: 'AA:BB:CC:DD:EE:02', ip_cliente: '10.5.50.11' };
      expect((await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: 'wrong', ...device })).status).to.equal(401);
      expect((await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, ...device })).status).to.equal(422);
      const other = await s.addEscenario(s.sim);
      const foreign = await reconnect(other.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: sale.usuario_hotspot.contrasena, ...device });
      expect(foreign.status).to.equal(401);
      expect((await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: sale.usuario_hotspot.contrasena, mac_cliente: 'nope', ip_cliente: '10.5.50.11' })).status).to.equal(422);
      expect((await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: sale.usuario_hotspot.contrasena, mac_cliente: 'AA:BB:CC:DD:EE:02', ip_cliente: '10.5.50' })).status).to.equal(422);
      await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).update({ hotspot_expira_en: new Date(Date.now() - 1000) });
      const expired = await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: sale.usuario_hotspot.contrasena, ...device });
      expect(expired.status).to.equal(403);
      expect(expired.body.detail).to.include('expiró');
      await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).update({ hotspot_expira_en: null, estado_hotspot: 'disabled' });
      expect((await reconnect(s.escenario.apiKey, { usuario: sale.usuario_hotspot.usuario, contrasena: sale.usuario_hotspot.contrasena, ...device })).status).to.equal(403);
    });

    it('is rate-limited per username', async () => {
      const sale = await buy('reconnect-rl-0001');
      const body = { usuario: sale.usuario_hotspot.usuario, contrasena: 'wrong', mac_cliente: 'AA:BB:CC:DD:EE:03', ip_cliente: '10.5.50.12' };
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push((await reconnect(s.escenario.apiKey, body)).status);
      expect(statuses.slice(0, 10).every((st) => st === 401)).to.equal(true);
      expect(statuses[10]).to.equal(429);
    });

    it('a user whose validity ended is disabled on its router; an offline router is retried until it confirms', async () => {
      const sale = await buy('expiry-offline-01');
      await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).update({ hotspot_expira_en: new Date(Date.now() - 1000) });
      await s.sim.faults.set({ refuseConnections: true });
      const processors = createProcessors(s.t.container);
      expect(await processors['expire-hotspot-users']({}, { finalAttempt: false } as never)).to.be.at.least(1);
      await new Promise((r) => setTimeout(r, 1000));
      const still = await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).first();
      expect(still.estado_hotspot).to.equal('active'); // not confirmed by the router yet
      await s.sim.faults.clear();
      await eventually(async () => (await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).first()).estado_hotspot === 'expired', 15_000, 'expired');
      expect(s.sim.state.findUser(sale.usuario_hotspot.usuario)?.disabled).to.equal('true');
    });

    it('a cliente_admin cannot reach another tenant through the sale actions', async () => {
      const sale = await buy('isolation-actions-1');
      const other = await s.addEscenario(s.sim);
      const token = await loginAs(s.t, other.admin.email, other.admin.password);
      const res = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${sale.transaccion_id}/reembolso`).set('Authorization', `Bearer ${token}`).send({});
      expect(res.status).to.equal(404);
    });
  });
});
