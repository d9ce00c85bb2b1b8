/**
 * Findings 6, 11 and 12 of issue 14: Bull Board refuses cross-site writes and
 * loads nothing from outside; production refuses weak secrets and does not
 * publish /metrics without METRICS_TOKEN; masks show at most 4 characters.
 */
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { TEST_ENV } from '../support/env';
import { insertEscenario } from '../support/fixtures';
import { loginAs, startTestApp, type TestContext } from '../support/harness';

const PRODUCTION = { NODE_ENV: 'production', SUPER_ADMIN_INITIAL_PASSWORD: 'Initial-Prod-Pass-9431' };
const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

function configProblems(extra: Record<string, string>): string {
  try {
    loadConfig({ ...TEST_ENV, ...PRODUCTION, ...extra });
    return '';
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('security: operations (issue 14, findings 6, 11 and 12)', function () {
  this.timeout(30_000);

  describe('production settings', () => {
    it('refuses JWT secrets shorter than 32 bytes, naming the variable', () => {
      expect(configProblems({ JWT_SESSION_SECRET: 'x' })).to.match(/JWT_SESSION_SECRET debe tener al menos 32 bytes/);
      expect(configProblems({ JWT_APIKEY_SECRET: 'a'.repeat(31) })).to.match(/JWT_APIKEY_SECRET debe tener al menos 32 bytes/);
      expect(configProblems({})).to.equal('');
      // Outside production a short secret is still allowed (tests, demos).
      expect(() => loadConfig({ ...TEST_ENV, JWT_SESSION_SECRET: 'x' })).not.to.throw();
    });

    it('refuses a trivial initial super admin password, naming the variable', () => {
      for (const weak of ['x', 'password123', 'aaaaaaaaaaaaaaa', 'Root1234root1234']) {
        expect(configProblems({ SUPER_ADMIN_INITIAL_PASSWORD: weak }), weak).to.match(/SUPER_ADMIN_INITIAL_PASSWORD es demasiado débil/);
      }
    });

    it('validates TRUST_PROXY_HOPS', () => {
      expect(configProblems({ TRUST_PROXY_HOPS: 'dos' })).to.match(/TRUST_PROXY_HOPS/);
      expect(configProblems({ TRUST_PROXY_HOPS: '0' })).to.match(/TRUST_PROXY_HOPS/);
      expect(loadConfig({ ...TEST_ENV, ...PRODUCTION }).trustProxyHops).to.equal(1);
    });
  });

  describe('/metrics in production', () => {
    it('without METRICS_TOKEN it is not served', async () => {
      const t = await startTestApp(PRODUCTION);
      try {
        const res = await t.request.get('/metrics');
        expect(res.status).to.equal(403);
        expect(res.text).not.to.include('pagos_http');
        expect(res.body.detail).to.match(/METRICS_TOKEN/);
      } finally {
        await t.close();
      }
    });

    it('with METRICS_TOKEN only the token opens it', async () => {
      const t = await startTestApp({ ...PRODUCTION, METRICS_TOKEN: 'metrics-token-0123456789abcdef' });
      try {
        expect((await t.request.get('/metrics')).status).to.equal(401);
        expect((await t.request.get('/metrics').set('Authorization', 'Bearer wrong')).status).to.equal(401);
        const ok = await t.request.get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789abcdef');
        expect(ok.status).to.equal(200);
        expect(ok.text).to.include('pagos_http');
      } finally {
        await t.close();
      }
    });
  });

  describe('Bull Board', () => {
    let t: TestContext;
    let auth: string;
    before(async () => {
      t = await startTestApp(PRODUCTION);
      auth = basic(t.config.superAdmin.email, t.config.superAdmin.password);
    });
    after(() => t.close());

    const addJob = (headers: Record<string, string>) => {
      const req = t.request.post('/admin/queues/api/queues/maintenance/add').set('Authorization', auth);
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      return req.send({ name: 'cross-site', data: {} });
    };
    const jobs = async () => (await t.container.jobs.queues.maintenance.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j?.name === 'cross-site').length;

    it('a cross-site form post with cached Basic credentials is refused and queues nothing', async () => {
      for (const headers of [
        { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
        { Origin: 'https://evil.example' },
        { Referer: 'https://evil.example/page' },
        { 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.pagos.test' },
        {},
      ] as Array<Record<string, string>>) {
        const res = await addJob(headers);
        expect(res.status, JSON.stringify(headers)).to.equal(403);
        expect(res.body.detail).to.match(/solo se aceptan desde su propia página/);
      }
      expect(await jobs()).to.equal(0);
      const ok = await addJob({ Host: 'pagos.test', Origin: 'http://pagos.test' });
      expect(ok.status, JSON.stringify(ok.body)).to.be.below(300);
      const sameOrigin = await addJob({ 'Sec-Fetch-Site': 'same-origin' });
      expect(sameOrigin.status).to.be.below(300);
      expect(await jobs()).to.equal(2);
    });

    it('its page loads nothing from outside (no Google Fonts) and its assets are served locally', async () => {
      const page = await t.request.get('/admin/queues').set('Authorization', auth);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('<html');
      expect(page.text).not.to.match(/fonts\.googleapis|fonts\.gstatic|https?:\/\//);
      expect(page.headers['content-security-policy']).to.match(/default-src 'self'/);
      const assets = [...page.text.matchAll(/(?:href|src)="(static\/[^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).to.be.greaterThan(2);
      for (const asset of assets) {
        const res = await t.request.get(`/admin/queues/${asset}`).set('Authorization', auth);
        expect(res.status, asset).to.equal(200);
      }
    });
  });

  describe('masks', () => {
    let t: TestContext;
    before(async () => { t = await startTestApp(PRODUCTION); });
    after(() => t.close());

    it('gateway secrets are shown with at most 4 characters, short ones with none', async () => {
      const escenario = await insertEscenario(t.container);
      const token = await loginAs(t, escenario.admin.email, escenario.admin.password);
      const res = await t.request.post('/api/v1/payments/configurar-credenciales').set('Authorization', `Bearer ${token}`)
        .send({ access_token: 'APP_USR-1234567890-abcdef-7766', public_key: 'APP_USR-pub-123', webhook_secret: 'whsec_12345678' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.access_token).to.equal('••••7766');
      expect(res.body.webhook_secret).to.equal('••••');
      const conekta = await t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set('Authorization', `Bearer ${token}`)
        .send({ private_key: 'key_short1', public_key: 'key_pub_1' });
      expect(conekta.body.private_key).to.equal('••••');
    });
  });
});
