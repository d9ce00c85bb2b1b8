/**
 * Findings 3 and 4 of issue 14 in a real browser (Debian's Chromium through
 * playwright-core) on the demo stack: the portal follows only http(s) links,
 * keeps no password and nothing un-namespaced or unexpiring in localStorage,
 * and gets the credentials back from the status endpoint.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../scripts/demo';
import { TEST_DATABASE_URL, TEST_ENV, TEST_REDIS_URL } from '../support/env';

const CHROMIUM = '/usr/bin/chromium';
// Code run inside the page (page.evaluate): the browser's globals, typed loosely (no DOM lib here).
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; length: number };
declare const window: { __pwned?: number };

describe('security: captive portal in Chromium (issue 14, findings 3 and 4)', function () {
  this.timeout(90_000);
  let demo: RunningDemo | undefined;
  let context: BrowserContext | undefined;
  const tempDirs: string[] = [];
  const device = {
    mac: `02:${crypto.randomBytes(5).toString('hex').toUpperCase().match(/../g)!.join(':')}`,
    ip: `10.5.${50 + crypto.randomInt(50)}.${10 + crypto.randomInt(200)}`,
  };
  const expYear = String((new Date().getFullYear() + 3) % 100).padStart(2, '0');

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-sec-demo-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-sec-chromium-'));
    tempDirs.push(dataDir, profileDir);
    demo = await startDemo({
      databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL, apiPort: 0, portalPort: 0, dataDir,
      privateServices: false, schedules: false, log: () => undefined,
      env: {
        NODE_ENV: 'test', LOG_LEVEL: TEST_ENV.LOG_LEVEL!, BCRYPT_ROUNDS: '4', ENCRYPTION_KEY_MERCADO_PAGO: TEST_ENV.ENCRYPTION_KEY_MERCADO_PAGO!,
        // This file's schema and Redis prefix (test/support/scope.ts).
        DATABASE_SCHEMA: TEST_ENV.DATABASE_SCHEMA!, REDIS_KEY_PREFIX: TEST_ENV.REDIS_KEY_PREFIX!,
      },
    });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'es-MX',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async function () {
    this.timeout(30_000);
    await context?.close().catch(() => undefined);
    await demo?.stop();
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const portalUrl = (dst: string) => `${demo!.portal.url}/login?mac=${encodeURIComponent(device.mac)}&ip=${device.ip}&dst=${encodeURIComponent(dst)}`;
  const storageDump = (page: Page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage as object).map((k) => [k, localStorage.getItem(k)!])));

  it('a javascript: $(link-orig) is never followed; no password is kept in localStorage; "Conectarme" asks the status endpoint', async () => {
    const page = await context!.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // An older portal left a password origin-wide: it is removed on load.
    await page.goto(`${demo!.portal.url}/login?mac=${encodeURIComponent(device.mac)}&ip=${device.ip}`);
    await page.evaluate(() => localStorage.setItem('pagosHotspot.credenciales', JSON.stringify([{ transaccion_id: 'TRX_000000000001', usuario: 'old', contrasena: 'old-secret' }])));

    await page.goto(portalUrl('javascript:window.__pwned=1;document.title="pwned"'));
    await page.locator('#plan-list .plan').first().waitFor({ state: 'visible' });
    expect(await storageDump(page)).not.to.have.property('pagosHotspot.credenciales');

    await page.locator('#plan-list .plan', { hasText: '1 hora' }).click();
    await page.locator('#checkout').waitFor({ state: 'visible' });
    await page.fill('#nombre', 'Ana López');
    await page.fill('#email', 'ana@example.com');
    await page.fill('#telefono', '55 1234 5678');
    await page.fill('#card-number', '4242 4242 4242 4242');
    await page.fill('#card-exp', `12/${expYear}`);
    await page.fill('#card-cvc', '123');
    await page.click('#pay-button');
    await page.locator('#cred-usuario').waitFor({ state: 'visible', timeout: 20_000 });
    const usuario = (await page.locator('#cred-usuario').textContent())!.trim();
    const contrasena = (await page.locator('#cred-contrasena').textContent())!.trim();
    const continueLink = await page.locator('#continue-link').getAttribute('href');
    expect(continueLink ?? '').not.to.match(/^javascript:/i);

    // What the phone keeps: namespaced by company and router, with an expiry, and no password.
    const stored = await storageDump(page);
    const keys = Object.keys(stored);
    expect(keys.length).to.be.greaterThan(0);
    for (const key of keys) {
      expect(key).to.match(/^pagosHotspot\.EMP_[0-9A-F]{10}\.RTR_[0-9A-F]{8}\.(compras|cliente|dispositivo)$/);
      const box = JSON.parse(stored[key]);
      expect(box.exp, key).to.be.a('number').and.greaterThan(Date.now());
    }
    expect(JSON.stringify(stored)).not.to.include(contrasena);

    // "Conectarme" (the one action since issue 13) after a reload gets the credentials from GET /api/v1/payments/transacciones/{id}.
    await page.reload();
    const statusCalls: string[] = [];
    page.on('request', (req) => { if (/\/api\/v1\/payments\/transacciones\/TRX_/.test(req.url())) statusCalls.push(req.url()); });
    const saved = page.locator('#saved-list li', { hasText: usuario });
    await saved.getByRole('button', { name: 'Conectarme' }).click();
    await page.locator('#saved-status', { hasText: 'este dispositivo está conectado' }).waitFor();
    expect(statusCalls.length).to.be.at.least(1);
    await page.waitForTimeout(2000); // the portal would navigate to $(link-orig) 1.5 s after connecting
    expect(await page.evaluate(() => window.__pwned)).to.equal(undefined);
    expect(await page.title()).not.to.equal('pwned');
    expect(pageErrors).to.deep.equal([]);
    await page.close();
  });
});
