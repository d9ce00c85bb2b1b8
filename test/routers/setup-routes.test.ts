/**
 * The one-paste router setup over HTTP (issue 22, item 6): the script for the
 * company admin's own routers and the super admin's, never cached, passing the
 * RouterOS-command checker; the portal files it downloads, one by one, from
 * their short-lived URLs; radius mode with the router's own secret and token.
 */
import crypto from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { as, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { escenarioWithSession } from '../support/cliente';
import { checkRouterOsScript } from '../support/routeros-script';

const PORTAL = path.resolve(__dirname, '..', '..', 'portal');
const BASE = 'https://api.wifiplaza.mx';

/** The per-file URLs the script fetches, as paths on our app. */
function fetchedPaths(script: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of script.matchAll(/\/tool fetch url="https:\/\/api\.wifiplaza\.mx(\/api\/v1\/routers\/portal\/[^"]+\/([a-z0-9.]+))"/g)) out.set(m[2]!, m[1]!);
  return out;
}

function evalConfig(js: string): Record<string, string> {
  const window: Record<string, any> = {};
  new Function('window', js)(window);
  return window.PAGOS_CONFIG;
}

describe('Router setup script over HTTP (configuracion.rsc and the per-file portal)', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestApp({
      PUBLIC_BASE_URL: BASE, RADIUS_PUBLIC_ADDRESS: '203.0.113.10', RADIUS_HEARTBEAT_URL: 'http://198.51.100.7', RADIUS_AUTH_PORT: '11812', RADIUS_ACCT_PORT: '11813',
    });
  });
  after(async () => { await t.close(); });

  it('gives the company admin its router\'s script (api mode), not cached, checker-clean, whose portal files download one by one', async () => {
    const a = await escenarioWithSession(t);
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/configuracion.rsc`).set(as(a.token));
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="configuracion-${a.router.id}.rsc"`);
    const script = res.text;
    expect(checkRouterOsScript(script)).to.deep.equal([]);
    expect(script).to.contain(`/system identity set name="${a.router.id}"`);
    expect(script).to.contain('/user group add name="pagos-api"');
    expect(script).not.to.match(/^\/radius add/m);

    const files = fetchedPaths(script);
    expect([...files.keys()]).to.have.members(['login.html', 'portal.js', 'portal.css', 'md5.js', 'alogin.html', 'config.js']);
    for (const name of ['login.html', 'portal.js', 'portal.css', 'md5.js', 'alogin.html']) {
      const file = await t.request.get(files.get(name)!).buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); });
      expect(file.status, name).to.equal(200);
      expect(file.headers['cache-control']).to.equal('no-store');
      expect((file.body as Buffer).equals(await readFile(path.join(PORTAL, name))), name).to.equal(true);
    }
    const config = await t.request.get(files.get('config.js')!);
    expect(config.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    // The router's current key, kept sealed for its company (issue 23.7), goes in as it is.
    expect(evalConfig(config.text)).to.include({ apiBaseUrl: BASE, apiKey: a.apiKey });
    // The key in use was not touched.
    expect((await t.request.get('/api/v1/config/public').set(as(a.apiKey))).status).to.equal(200);
  });

  it('regenerar=true puts a fresh API key in config.js (the old one is revoked, the new one works)', async () => {
    const a = await escenarioWithSession(t);
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/configuracion.rsc?regenerar=true`).set(as(a.token));
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['x-api-key-incluida']).to.equal('true');
    const config = evalConfig((await t.request.get(fetchedPaths(res.text).get('config.js')!)).text);
    expect(config.apiKey).to.match(/^jwt_/);
    expect(res.text).not.to.contain(config.apiKey);
    expect((await t.request.get('/api/v1/config/public').set(as(config.apiKey!))).status).to.equal(200);
    expect((await t.request.get('/api/v1/config/public').set(as(a.apiKey))).status).to.equal(401);
  });

  it('refuses an unknown or forged download token, and a file that is not the portal\'s, in Spanish', async () => {
    const forged = crypto.randomBytes(32).toString('base64url');
    const res = await t.request.get(`/api/v1/routers/portal/${forged}/login.html`);
    expect(res.status).to.equal(404);
    expect(res.body.detail).to.match(/venció/);
    expect((await t.request.get(`/api/v1/routers/portal/${forged}/..%2F..%2Fpackage.json`)).status).to.be.within(400, 422);
    expect((await t.request.get('/api/v1/routers/portal/x/login.html')).status).to.equal(404);
  });

  it("answers 404 for another company's router, and lets the super admin get any company's", async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    const other = await t.request.get(`/api/v1/admin/routers/${b.router.id}/configuracion.rsc`).set(as(a.token));
    expect(other.status).to.equal(404);
    expect(other.body.detail).to.be.a('string');
    const admin = await loginSuperAdmin(t);
    const res = await t.request.get(`/admin/empresas/${b.empresa.id}/routers/${b.router.id}/configuracion.rsc`).set(as(admin));
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.contain(`/system identity set name="${b.router.id}"`);
    expect((await t.request.get(`/admin/empresas/${a.empresa.id}/routers/${b.router.id}/configuracion.rsc`).set(as(admin))).status).to.equal(404);
    expect((await t.request.get(`/admin/empresas/${b.empresa.id}/routers/${b.router.id}/configuracion.rsc`).set(as(b.token))).status).to.equal(403);
  });

  it('radius mode: the RADIUS client with the router\'s own secret, the heartbeat with its token, the same ones every time', async () => {
    const a = await escenarioWithSession(t);
    await t.container.knex('routers').where({ id: a.router.id }).update({ modo: 'radius' });
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/configuracion.rsc`).set(as(a.token));
    expect(res.status, res.text).to.equal(200);
    const script = res.text;
    expect(checkRouterOsScript(script)).to.deep.equal([]);
    const radius = /\/radius add service=hotspot address=203\.0\.113\.10 secret="([^"]+)" authentication-port=11812 accounting-port=11813/.exec(script);
    expect(radius, script).not.to.equal(null);
    const token = /Authorization: Bearer (rtk_[A-Za-z0-9_-]{43})\\"/.exec(script)?.[1];
    expect(token).to.be.a('string');
    expect(script).to.contain('/tool fetch url=\\"http://198.51.100.7/api/v1/routers/latido\\\\\\?pruebas_activas=\\$pagosPruebas\\" http-method=post');
    expect(script).not.to.contain('/user group');
    // Sealed at rest, the token findable by its hash, and the same secret and token on the next request.
    const row = await t.container.knex('routers').where({ id: a.router.id }).first('radius_secret_enc', 'token_enc', 'token_hash');
    expect(t.container.secrets.open(row.radius_secret_enc)).to.equal(radius![1]);
    expect(t.container.secrets.open(row.token_enc)).to.equal(token);
    expect(row.token_hash).to.equal(crypto.createHash('sha256').update(token!).digest('hex'));
    const again = await t.request.get(`/api/v1/admin/routers/${a.router.id}/configuracion.rsc`).set(as(a.token));
    expect(again.text).to.contain(`secret="${radius![1]}"`);
    expect(again.text).to.contain(`Bearer ${token}`);
    // The heartbeat the script schedules is accepted with that token.
    const latido = await t.request.post('/api/v1/routers/latido').set('Authorization', `Bearer ${token}`);
    expect(latido.status, JSON.stringify(latido.body)).to.equal(200);
  });
});

describe('Router setup script: radius mode without RADIUS_PUBLIC_ADDRESS', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp({ PUBLIC_BASE_URL: BASE }); });
  after(async () => { await t.close(); });

  it('answers 503 in Spanish and writes nothing', async () => {
    const a = await escenarioWithSession(t);
    await t.container.knex('routers').where({ id: a.router.id }).update({ modo: 'radius' });
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/configuracion.rsc`).set(as(a.token));
    expect(res.status).to.equal(503);
    expect(res.body.detail).to.match(/RADIUS_PUBLIC_ADDRESS/);
    const row = await t.container.knex('routers').where({ id: a.router.id }).first('radius_secret_enc', 'token_enc');
    expect(row).to.deep.equal({ radius_secret_enc: null, token_enc: null });
  });
});
