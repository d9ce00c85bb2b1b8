/** The captive portal download: a zip of portal/ with config.js filled for one router (issue 16). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import yauzl from 'yauzl';
import { loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { as, escenarioWithSession } from '../support/cliente';
import { insertApiKey, insertRouter } from '../support/fixtures';

const PORTAL = path.resolve(__dirname, '..', '..', 'portal');

/** Every entry of a zip, read with yauzl (an independent reader, not the writer we ship). */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** config.js evaluated as the portal page would: what window.PAGOS_CONFIG ends up being. */
function evalConfig(js: string): Record<string, string> {
  const window: Record<string, any> = {};
  new Function('window', js)(window);
  return window.PAGOS_CONFIG;
}

describe('cliente admin: portal download (portal.zip)', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp({ PUBLIC_BASE_URL: 'https://api.wifiplaza.mx' }); });
  after(async () => { await t.close(); });

  it('regenerar=false: the portal files unchanged, config.js with the API URL and the key in use (works as it is), LEEME.txt in Spanish asking no server setting', async () => {
    const a = await escenarioWithSession(t);
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/portal.zip?regenerar=false`).set(as(a.token)).buffer(true).parse(binary);
    expect(res.status, (res.body as Buffer).toString()).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="portal-${a.router.id}.zip"`);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['x-api-key-incluida']).to.equal('true');
    expect(res.headers['x-aviso']).to.equal(undefined);
    const files = await unzip(res.body as Buffer);
    expect([...files.keys()]).to.have.members([
      'portal/login.html', 'portal/portal.js', 'portal/portal.css', 'portal/md5.js', 'portal/alogin.html', 'portal/config.js', 'walled-garden.rsc', 'LEEME.txt',
    ]);
    for (const name of ['login.html', 'portal.js', 'portal.css', 'md5.js', 'alogin.html']) {
      expect(files.get(`portal/${name}`)!.equals(await readFile(path.join(PORTAL, name))), name).to.equal(true);
    }
    const config = evalConfig(files.get('portal/config.js')!.toString('utf8'));
    expect(config).to.include({ apiBaseUrl: 'https://api.wifiplaza.mx', apiKey: a.apiKey, mode: 'live' });
    const leeme = files.get('LEEME.txt')!.toString('utf8');
    expect(leeme).to.match(/ya trae la API Key actual/);
    // Nothing to set on our server, and written with its accents.
    expect(leeme).not.to.match(/BACKEND_CORS_ORIGINS|REEMPLAZAR/);
    expect(leeme).to.include('Instalación:').and.include('líneas de walled-garden.rsc').and.include('teléfono').and.include('después');
    expect(leeme).not.to.match(/\b(Instalacion|lineas|telefono|despues|valido)\b/);
    expect(files.get('portal/config.js')!.toString('utf8')).not.to.match(/\b(configuracion|publica|pagina|diseno)\b/);
    // The sealed key never shows in the key listing.
    const superToken = await loginSuperAdmin(t);
    const listed = await t.request.get(`/admin/empresas/${a.empresa.id}/routers/${a.router.id}/api-keys`).set(as(superToken));
    expect(listed.status).to.equal(200);
    expect(listed.body).to.have.length.at.least(1);
    expect(JSON.stringify(listed.body)).not.to.include('api_key_enc').and.not.include(a.apiKey);

    const rsc = files.get('walled-garden.rsc')!.toString('utf8');
    expect(rsc).to.include('/ip hotspot walled-garden ip add action=accept dst-host=api.wifiplaza.mx comment="Pagos Hotspot API"');
    for (const host of ['cdn.conekta.io', 'api.conekta.io', 'sdk.mercadopago.com', 'api.mercadopago.com']) expect(rsc).to.include(`dst-host=${host}`);
    expect(decodeURIComponent(res.headers['x-walled-garden']).split('\n')[0]).to.equal('/ip hotspot walled-garden ip add action=accept dst-host=api.wifiplaza.mx comment="Pagos Hotspot API"');

    // Nothing was revoked: the router's current key still opens the portal API.
    const portal = await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${a.apiKey}` });
    expect(portal.status, JSON.stringify(portal.body)).to.equal(200);
  });

  it('a key stored only as its hash (issued before keys were kept) stays a placeholder, said in LEEME.txt and a header, until the next regeneration', async () => {
    const a = await escenarioWithSession(t);
    const legacy = await insertRouter(t.container, a.empresa.id);
    const key = await insertApiKey(t.container, legacy.id, a.empresa.id, undefined, { hashOnly: true });
    const res = await t.request.get(`/api/v1/admin/routers/${legacy.id}/portal.zip`).set(as(a.token)).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['x-api-key-incluida']).to.equal('false');
    expect(decodeURIComponent(res.headers['x-aviso'])).to.match(/no trae la API Key/);
    const files = await unzip(res.body as Buffer);
    expect(evalConfig(files.get('portal/config.js')!.toString('utf8')).apiKey).to.equal('jwt_REEMPLAZAR_CON_LA_API_KEY_DEL_ROUTER');
    expect(files.get('LEEME.txt')!.toString('utf8')).to.match(/NO trae la API Key/);
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${key.apiKey}` })).status).to.equal(200);

    // After a regeneration every download carries the key.
    const fresh = await t.request.get(`/api/v1/admin/routers/${legacy.id}/portal.zip?regenerar=true`).set(as(a.token)).buffer(true).parse(binary);
    const issued = evalConfig((await unzip(fresh.body as Buffer)).get('portal/config.js')!.toString('utf8')).apiKey;
    const again = await t.request.get(`/api/v1/admin/routers/${legacy.id}/portal.zip`).set(as(a.token)).buffer(true).parse(binary);
    expect(again.headers['x-api-key-incluida']).to.equal('true');
    expect(evalConfig((await unzip(again.body as Buffer)).get('portal/config.js')!.toString('utf8')).apiKey).to.equal(issued);
  });

  it('router-key endpoints answer CORS for any origin, without credentials (by the route\'s authentication); session endpoints only for configured origins', async () => {
    const a = await escenarioWithSession(t);
    const origin = 'http://10.5.50.1';
    for (const [method, path] of [['GET', '/api/v1/config/public'], ['GET', '/api/v1/catalogo_perfiles_venta'], ['POST', '/api/v1/payments/pagar-conekta'], ['GET', '/api/v1/payments/transacciones/TRX_000000000000']]) {
      const pre = await t.request.options(path).set({ Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' });
      expect(pre.status, `${method} ${path}`).to.be.oneOf([200, 204]);
      expect(pre.headers['access-control-allow-origin'], `${method} ${path}`).to.equal('*');
      expect(pre.headers['access-control-allow-credentials']).to.equal(undefined);
      expect(pre.headers['access-control-allow-methods']).to.include(method);
      expect(pre.headers['access-control-allow-headers'].toLowerCase()).to.include('authorization').and.include('idempotency-key');
    }
    const catalogo = await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Origin: origin, Authorization: `Bearer ${a.apiKey}` });
    expect(catalogo.status).to.equal(200);
    expect(catalogo.headers['access-control-allow-origin']).to.equal('*');
    expect(catalogo.headers['access-control-allow-credentials']).to.equal(undefined);
    // A refused key still lets the portal read its error.
    const refused = await t.request.get('/api/v1/config/public').set({ Origin: origin, Authorization: 'Bearer jwt_no' });
    expect(refused.status).to.equal(401);
    expect(refused.headers['access-control-allow-origin']).to.equal('*');

    // A session route is not opened by this, whatever its path looks like.
    for (const [method, path] of [['GET', '/api/v1/admin/mi-empresa'], ['POST', '/api/v1/auth/login'], ['GET', `/api/v1/admin/routers/${a.router.id}/portal.zip`]]) {
      const pre = await t.request.options(path).set({ Origin: origin, 'Access-Control-Request-Method': method });
      expect(pre.headers['access-control-allow-origin'], `${method} ${path}`).to.equal(undefined);
    }
    const me = await t.request.get('/api/v1/admin/mi-empresa').set({ Origin: origin, ...as(a.token) });
    expect(me.status).to.equal(200);
    expect(me.headers['access-control-allow-origin']).to.equal(undefined);
  });

  it('regenerar=true: a fresh key in config.js that works, the old one revoked at once (also where its check was cached)', async () => {
    const a = await escenarioWithSession(t);
    // The old key in use: this process caches its check until the auth generation moves.
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${a.apiKey}` })).status).to.equal(200);
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/portal.zip?regenerar=true`).set(as(a.token)).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['x-api-key-incluida']).to.equal('true');
    expect(res.headers['x-aviso']).to.equal(undefined);
    const files = await unzip(res.body as Buffer);
    const config = evalConfig(files.get('portal/config.js')!.toString('utf8'));
    expect(config.apiKey).to.match(/^jwt_/).and.not.equal(a.apiKey);
    expect(files.get('LEEME.txt')!.toString('utf8')).to.match(/API Key NUEVA/);

    const fresh = await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${config.apiKey}` });
    expect(fresh.status).to.equal(200);
    const old = await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${a.apiKey}` });
    expect(old.status).to.equal(401);
    const keys = await t.container.knex('router_api_keys').where({ router_id: a.router.id }).orderBy('issued_at');
    expect(keys.map((k: { revoked: boolean }) => k.revoked)).to.deep.equal([true, false]);
    // The key is stored as its hash and sealed, never in clear.
    expect(JSON.stringify(keys)).not.to.include(config.apiKey);
    expect(t.container.secrets.open(keys[1].api_key_enc)).to.equal(config.apiKey);
  });

  it('another company\'s router is 404 and its key untouched; an inactive router cannot regenerate (400); bad values are 422; no session is 401', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    for (const q of ['true', 'false']) {
      const res = await t.request.get(`/api/v1/admin/routers/${b.router.id}/portal.zip?regenerar=${q}`).set(as(a.token));
      expect(res.status, q).to.equal(404);
      expect(res.body).to.deep.equal({ detail: 'Router no encontrado', code: 'not_found' });
    }
    expect((await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${b.apiKey}` })).status).to.equal(200);

    const inactive = await insertRouter(t.container, a.empresa.id, { activo: false });
    const r = await t.request.get(`/api/v1/admin/routers/${inactive.id}/portal.zip?regenerar=true`).set(as(a.token));
    expect(r.status).to.equal(400);
    expect(r.body.detail).to.equal('No se puede regenerar API key de un router inactivo');

    const bad = await t.request.get(`/api/v1/admin/routers/${a.router.id}/portal.zip?regenerar=quizas`).set(as(a.token));
    expect(bad.status).to.equal(422);
    expect(bad.body.detail).to.match(/regenerar/);
    expect((await t.request.get(`/api/v1/admin/routers/${a.router.id}/portal.zip`)).status).to.equal(401);
  });
});
