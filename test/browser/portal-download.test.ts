/**
 * The portal a company admin downloads works as it is (issue 23, item 7): the
 * zip from the panel's API, unpacked and served by a simulated hotspot on an
 * origin the API was never told about (no BACKEND_CORS_ORIGINS entry), loads
 * the company and its plans in headless Chromium with the key config.js carries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import yauzl from 'yauzl';
import { DEMO_LOGINS } from '../../scripts/demo';
import { startHotspotPortal, type HotspotPortal } from '../../sim/hotspot-portal';
import { demoWithPhone, newPhoneDevice, tempDir } from '../support/browser';

function unzipTo(buffer: Buffer, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const file = path.join(dir, entry.fileName);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, Buffer.concat(chunks));
            names.push(entry.fileName);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('the downloaded captive portal works as it is, from another origin (headless Chromium)', function () {
  this.timeout(90_000);
  const { demo, phone } = demoWithPhone('the portal download browser test');
  let hotspot: HotspotPortal | undefined;
  after(async () => { await hotspot?.close(); });

  it('unpacked and served by a hotspot on a new origin, it shows the company and its plans (catalog and config through CORS with the real key)', async () => {
    const api = demo().apiUrl;
    const login = await fetch(`${api}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: DEMO_LOGINS.clienteAdmin.email, password: DEMO_LOGINS.clienteAdmin.password }),
    });
    expect(login.status).to.equal(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    const zip = await fetch(`${api}/api/v1/admin/routers/${demo().seed.routerId}/portal.zip`, { headers: { Authorization: `Bearer ${token}` } });
    expect(zip.status).to.equal(200);
    expect(zip.headers.get('x-api-key-incluida')).to.equal('true');
    const dir = tempDir('pagos-portal-zip-');
    await unzipTo(Buffer.from(await zip.arrayBuffer()), dir);

    // A hotspot serving exactly the unpacked files (config.js as downloaded), on a port the API's CORS list never named.
    hotspot = await startHotspotPortal({ root: path.join(dir, 'portal'), port: 0, host: '127.0.0.1', router: demo().sim.state, identity: 'HotspotDescargado' });
    const origin = new URL(hotspot.url).origin;
    expect(demo().config.corsOrigins).not.to.include(origin);
    expect(new URL(api).origin).not.to.equal(origin);

    const page = await phone().newPage();
    const refused: string[] = [];
    page.on('console', (msg) => { if (msg.type() === 'error' && /CORS|Access-Control/i.test(msg.text())) refused.push(msg.text()); });
    page.on('response', (res) => { if (res.url().startsWith(api) && res.status() >= 400) refused.push(`${res.status()} ${res.url()}`); });
    const device = newPhoneDevice();
    await page.goto(`${hotspot.url}/login?mac=${encodeURIComponent(device.mac)}&ip=${device.ip}`);
    await page.locator('#plan-list .plan').first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#empresa-nombre').textContent()).to.equal('WiFi Demo');
    expect((await page.locator('#plan-list .plan__name').allTextContents()).join('|')).to.contain('1 hora');
    expect(refused).to.deep.equal([]);
    await page.close();
  });
});
