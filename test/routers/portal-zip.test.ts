/** The captive portal download: a zip of portal/ with config.js filled for one router (issue 16). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import yauzl from 'yauzl';
import { startTestApp, type TestContext } from '../support/harness';
import { as, tenantWithSession } from '../support/cliente';
import { insertRouter } from '../support/fixtures';

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

  it('regenerar=false: the portal files unchanged, config.js with the API URL and a placeholder key, said in LEEME.txt and a header; the key keeps working', async () => {
    const a = await tenantWithSession(t);
    const res = await t.request.get(`/api/v1/admin/routers/${a.router.id}/portal.zip?regenerar=false`).set(as(a.token)).buffer(true).parse(binary);
    expect(res.status, (res.body as Buffer).toString()).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="portal-${a.router.id}.zip"`);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['x-api-key-incluida']).to.equal('false');
    expect(decodeURIComponent(res.headers['x-aviso'])).to.match(/no trae la API Key/);
    const files = await unzip(res.body as Buffer);
    expect([...files.keys()]).to.have.members([
      'portal/login.html', 'portal/portal.js', 'portal/portal.css', 'portal/md5.js', 'portal/alogin.html', 'portal/config.js', 'walled-garden.rsc', 'LEEME.txt',
    ]);
    for (const name of ['login.html', 'portal.js', 'portal.css', 'md5.js', 'alogin.html']) {
      expect(files.get(`portal/${name}`)!.equals(await readFile(path.join(PORTAL, name))), name).to.equal(true);
    }
    const config = evalConfig(files.get('portal/config.js')!.toString('utf8'));
    expect(config).to.include({ apiBaseUrl: 'https://api.wifiplaza.mx', apiKey: 'jwt_REEMPLAZAR_CON_LA_API_KEY_DEL_ROUTER', mode: 'live' });
    expect(files.get('LEEME.txt')!.toString('utf8')).to.match(/NO trae la API Key/);

    const rsc = files.get('walled-garden.rsc')!.toString('utf8');
    expect(rsc).to.include('/ip hotspot walled-garden ip add action=accept dst-host=api.wifiplaza.mx comment="Pagos Hotspot API"');
    for (const host of ['cdn.conekta.io', 'api.conekta.io', 'sdk.mercadopago.com', 'api.mercadopago.com']) expect(rsc).to.include(`dst-host=${host}`);
    expect(decodeURIComponent(res.headers['x-walled-garden']).split('\n')[0]).to.equal('/ip hotspot walled-garden ip add action=accept dst-host=api.wifiplaza.mx comment="Pagos Hotspot API"');

    // Nothing was revoked: the router's current key still opens the portal API.
    const portal = await t.request.get('/api/v1/catalogo_perfiles_venta').set({ Authorization: `Bearer ${a.apiKey}` });
    expect(portal.status, JSON.stringify(portal.body)).to.equal(200);
  });

  it('regenerar=true: a fresh key in config.js that works, the old one revoked at once (also where its check was cached)', async () => {
    const a = await tenantWithSession(t);
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
    // Only the hash is stored.
    expect(JSON.stringify(keys)).not.to.include(config.apiKey);
  });

  it('another company\'s router is 404 and its key untouched; an inactive router cannot regenerate (400); bad values are 422; no session is 401', async () => {
    const a = await tenantWithSession(t);
    const b = await tenantWithSession(t);
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
