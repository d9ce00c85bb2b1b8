/**
 * Findings 3 and 4 of issue 14 in a real browser (Debian's Chromium through
 * playwright-core) on the demo stack: the portal follows only http(s) links,
 * keeps no password and nothing un-namespaced or unexpiring in localStorage,
 * and gets the credentials back from the status endpoint.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { demoWithPhone, newPhoneDevice, payByCard, portalLoginUrl } from '../support/browser';

// Code run inside the page (page.evaluate): the browser's globals, typed loosely (no DOM lib here).
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; length: number };
declare const window: { __pwned?: number };

describe('security: captive portal in Chromium (issue 14, findings 3 and 4)', function () {
  this.timeout(90_000);
  const { demo, phone } = demoWithPhone('the portal security test');
  const device = newPhoneDevice();

  const storageDump = (page: Page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage as object).map((k) => [k, localStorage.getItem(k)!])));

  it('a javascript: $(link-orig) is never followed; no password is kept in localStorage; "Conectarme" asks the status endpoint', async () => {
    const page = await phone().newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // An older portal left a password origin-wide: it is removed on load.
    await page.goto(portalLoginUrl(demo(), device));
    await page.evaluate(() => localStorage.setItem('pagosHotspot.credenciales', JSON.stringify([{ transaccion_id: 'TRX_000000000001', usuario: 'old', contrasena: 'old-secret' }])));

    await page.goto(portalLoginUrl(demo(), device, 'javascript:window.__pwned=1;document.title="pwned"'));
    await page.locator('#plan-list .plan').first().waitFor({ state: 'visible' });
    expect(await storageDump(page)).not.to.have.property('pagosHotspot.credenciales');

    await payByCard(page, '1 hora', '4242 4242 4242 4242');
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
