/**
 * The captive portal in a real browser: Debian's Chromium driven by
 * playwright-core against the demo stack (scripts/demo.ts startDemo) on the
 * test database and Redis. A phone-sized window chooses a plan, pays with the
 * sandbox Visa, sees its credentials and logs in through the hotspot form
 * (CHAP); a declined card shows the Spanish message.
 *
 * Skipped only when /usr/bin/chromium is missing (`apt-get install chromium`;
 * .ci/run installs it). UPDATE_SCREENSHOT=1 rewrites portal/screenshot.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/demo';
import { demoWithPhone, eventually, newPhoneDevice, payByCard, portalLoginUrl } from '../support/browser';

describe('captive portal in headless Chromium (phone viewport)', function () {
  this.timeout(60_000);

  const { demo, phone } = demoWithPhone('the portal browser test');
  // A fresh simulated phone per run, so rate limits left in Redis by earlier runs do not matter.
  const device = newPhoneDevice();

  const pageProblems = new Map<Page, string[]>();
  const portalUrl = () => portalLoginUrl(demo(), device);

  async function openPortal(url = portalUrl()): Promise<Page> {
    const page = await phone().newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // A declined payment is an expected 402; anything else failing to load is a bug.
    page.on('response', (res) => { if (res.status() >= 400 && res.status() !== 402) problems.push(`${res.status()} ${res.url()}`); });
    page.on('console', (msg) => { if (msg.type() === 'error' && !/status of 402/.test(msg.text())) problems.push(msg.text()); });
    // Sandbox mode loads nothing from outside this machine (no gateway CDN, no fonts, no images).
    page.on('request', (req) => {
      const { protocol, hostname } = new URL(req.url());
      if (protocol !== 'data:' && hostname !== '127.0.0.1' && hostname !== 'localhost') problems.push(`external request: ${req.url()}`);
    });
    pageProblems.set(page, problems);
    await page.goto(url);
    await page.locator('#plan-list .plan').first().waitFor({ state: 'visible' });
    return page;
  }

  it('buys a plan with the sandbox Visa: logo, contact and privacy notice, credentials and a receipt, auto-connected; then time left, one "Conectarme" and a hotspot CHAP login', async function () {
    // The company's logo (stored in PostgreSQL, served by the API) and what the payment form shows customers.
    const c = demo().web.container;
    // A real 1×1 PNG: uploads are decoded (issue 21), so bytes that only start like a PNG are refused.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const logo = await c.logos.upload(demo().seed.empresaId, png);
    await c.stores.empresas.patch(demo().seed.empresaId, { contacto_portal: 'WhatsApp 55 1234 5678', aviso_privacidad: 'Usamos tu correo solo para enviarte tu recibo.' });
    await c.authGeneration.bump();

    const page = await openPortal();
    expect(await page.locator('#sandbox-banner').isVisible()).to.equal(true);
    expect(await page.locator('#empresa-nombre').textContent()).to.equal('WiFi Demo');
    const img = page.locator('#empresa-logo');
    await img.waitFor({ state: 'visible' });
    expect(await img.getAttribute('src')).to.match(new RegExp(`^http://(127.0.0.1|localhost):\\d+${logo.logo_url}$`));
    // Visible is not loaded: on a busy machine the image may still be decoding (naturalWidth 0), so wait for it to finish.
    await img.evaluate((node) => new Promise<void>((resolve) => {
      const image = node as unknown as { complete: boolean; addEventListener(type: string, fn: () => void): void };
      if (image.complete) resolve();
      else { image.addEventListener('load', () => resolve()); image.addEventListener('error', () => resolve()); }
    }));
    expect(await img.evaluate((node) => (node as unknown as { naturalWidth: number }).naturalWidth)).to.equal(1);
    expect(await page.locator('#already-connected').isVisible()).to.equal(false);
    const plans = await page.locator('#plan-list .plan__name').allTextContents();
    expect(plans.join('|')).to.contain('1 hora').and.contain('1 día');

    await page.locator('#plan-list .plan', { hasText: '1 hora' }).click();
    expect(await page.locator('#empresa-contacto').textContent()).to.contain('WhatsApp 55 1234 5678');
    await page.locator('#aviso-privacidad summary').click();
    expect(await page.locator('#aviso-texto').textContent()).to.equal('Usamos tu correo solo para enviarte tu recibo.');
    await payByCard(page, '1 hora', '4242 4242 4242 4242');
    await page.locator('#cred-usuario').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#result-title').textContent()).to.contain('Pago aprobado');
    const usuario = (await page.locator('#cred-usuario').textContent())!.trim();
    const contrasena = (await page.locator('#cred-contrasena').textContent())!.trim();
    expect(usuario).to.match(/^\S{4,}$/);
    expect(contrasena).to.match(/^\S{4,}$/);
    await page.locator('#result-status', { hasText: 'Tu acceso está activo' }).waitFor({ timeout: 15_000 });
    // The receipt: plan, amount and when the access ends.
    await page.locator('#receipt').waitFor({ state: 'visible' });
    expect(await page.locator('#receipt-plan').textContent()).to.equal('1 hora');
    expect(await page.locator('#receipt-monto').textContent()).to.match(/\$\s?\d+(\.\d{2})? MXN/);
    expect(await page.locator('#receipt-acceso').textContent()).to.match(/navegación|Hasta el|Válido por/);
    await page.locator('#auto-status', { hasText: 'ya está conectado' }).waitFor({ timeout: 15_000 });

    const knex = demo().web.container.knex;
    const row = await knex('transacciones').where({ hotspot_usuario: usuario }).first();
    expect(row, 'transaction row').to.exist;
    expect(row.estado_pago).to.equal('paid');
    expect(row.estado_hotspot).to.equal('active');
    expect(row.gateway).to.equal('conekta');
    expect(row.cliente_mac).to.equal(device.mac);
    expect(row.idempotency_key).to.match(/^[0-9a-f-]{36}$/);
    const user = demo().sim.state.findUser(usuario);
    expect(user, 'hotspot user on the simulated router').to.exist;
    expect(user!.profile).to.equal('1-hora');
    expect(user!.comment).to.equal(row.id);
    expect(demo().sim.state.printActiveSessions().some((s) => s.user === usuario && s.address === device.ip)).to.equal(true);

    if (process.env.UPDATE_SCREENSHOT === '1') {
      const file = path.join(ROOT, 'portal', 'screenshot.png');
      await page.screenshot({ path: file, fullPage: false });
      expect(fs.statSync(file).size).to.be.below(300 * 1024);
    }

    // Back on the login page, this phone is told it is already connected before it buys again.
    await page.reload();
    await page.locator('#already-connected', { hasText: 'ya está conectado' }).waitFor({ state: 'visible' });
    expect(await page.locator('#already-connected').textContent()).to.contain(usuario);
    // The credentials are kept on the phone, with the time left read from the router (profile-info)...
    await page.locator('#saved', { hasText: usuario }).waitFor({ state: 'visible' });
    const saved = page.locator('#saved-list li', { hasText: usuario });
    await saved.locator('.saved__time', { hasText: 'Te quedan' }).waitFor({ state: 'visible' });
    expect(await saved.locator('.saved__time').textContent()).to.match(/^Te quedan (1 hora|\d+ minutos?( \d+ segundos?)?) de navegación\./);
    // ...and one action, "Conectarme": on a device the hotspot identified, the API logs it in (POST /api/v1/hotspot/auto-reconnect).
    expect(await saved.getByRole('button', { name: 'Reconectar' }).count()).to.equal(0);
    await saved.getByRole('button', { name: 'Conectarme' }).click();
    await page.locator('#saved-status', { hasText: 'este dispositivo está conectado' }).waitFor();
    await page.waitForURL(/\/status$/); // then on to where the phone was going (the demo hotspot's status page)
    expect(await page.locator('body').textContent()).to.contain(`Conectado como ${usuario}`);

    // Typing the credentials logs in through the hotspot's own form, with CHAP.
    await page.goto(portalUrl());
    await page.locator('#manual-login summary').click();
    await page.fill('#manual-usuario', usuario);
    await page.fill('#manual-contrasena', contrasena);
    await page.locator('#manual-form button[type="submit"]').click();
    await page.locator('#connected').waitFor({ state: 'visible' });
    expect(await page.locator('#alogin-user').textContent()).to.equal(usuario);
    const login = demo().portal.logins.at(-1)!;
    expect(login).to.include({ username: usuario, ok: true, method: 'chap' });
    expect(pageProblems.get(page)).to.deep.equal([]);
    await page.close();
  });

  it('shows the Spanish decline message for a declined card and records the decline', async function () {
    const page = await openPortal();
    const before = await demo().web.container.knex('transacciones').where({ cliente_mac: device.mac, estado_pago: 'declined' }).count<{ count: number }[]>('* as count');
    await payByCard(page, '1 día', '4000 0000 0000 0002');
    const error = page.locator('#form-error');
    await error.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await error.textContent()).to.contain('Tu banco rechazó el pago');
    expect(await page.locator('#result').isVisible()).to.equal(false);
    expect(await page.locator('#pay-button').isEnabled()).to.equal(true);
    const after = await demo().web.container.knex('transacciones').where({ cliente_mac: device.mac, estado_pago: 'declined' }).count<{ count: number }[]>('* as count');
    expect(Number(after[0]!.count)).to.equal(Number(before[0]!.count) + 1);

    // A card the sandbox does not know is refused in the browser, before any request.
    await page.fill('#card-number', '4111 1111 1111 1111');
    await page.fill('#card-cvc', '123');
    await page.click('#pay-button');
    await eventually(async () => (await error.textContent())?.includes('Modo sandbox'), 5000, 'sandbox card hint');
    expect(pageProblems.get(page)).to.deep.equal([]);
    await page.close();
  });

  it('pays through Mercado Pago too: a rejection in Spanish, then an approval with credentials', async function () {
    const page = await openPortal();
    // The Mercado Pago sandbox decides by the payer's first name (OTHE: rejected, APRO: approved).
    await payByCard(page, '1 semana', '5555 5555 5555 4444', { gateway: 'Mercado Pago', nombre: 'OTHE López' });
    const error = page.locator('#form-error');
    await error.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await error.textContent()).to.match(/no procesó el pago|rechaz/);

    await page.fill('#nombre', 'APRO López');
    await page.fill('#card-cvc', '123');
    await page.click('#pay-button');
    await page.locator('#cred-usuario').waitFor({ state: 'visible', timeout: 20_000 });
    const usuario = (await page.locator('#cred-usuario').textContent())!.trim();
    const row = await demo().web.container.knex('transacciones').where({ hotspot_usuario: usuario }).first();
    expect(row).to.include({ gateway: 'mercadopago', estado_pago: 'paid', monto: '199.00' });
    await eventually(() => demo().sim.state.findUser(usuario), 10_000, 'Mercado Pago user on the router');
    expect(pageProblems.get(page)).to.deep.equal([]);
    await page.close();
  });
  it('retries a payment that got a 503 and then no answer, with the same Idempotency-Key, showing "Reintentando…", and charges once', async function () {
    // Its own phone, so the per-device payment limit of the other tests does not matter.
    const ownDevice = newPhoneDevice();
    const page = await openPortal(portalLoginUrl(demo(), ownDevice));
    const origin = new URL(demo().portal.url).origin;
    const keys: string[] = [];
    let posts = 0;
    // The first attempt meets the outage answer (503 + Retry-After), the second no answer at all; the third reaches the real API.
    await page.route('**/api/v1/payments/pagar-conekta', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts += 1;
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (posts === 1) {
        return route.fulfill({
          status: 503, contentType: 'application/json',
          headers: { 'Retry-After': '1', 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After, X-Request-Id' },
          body: JSON.stringify({ detail: 'El servicio no está disponible por un momento; intenta de nuevo', code: 'service_unavailable' }),
        });
      }
      if (posts === 2) return route.abort('connectionreset');
      return route.continue();
    });

    await payByCard(page, '1 hora', '4242 4242 4242 4242');
    await page.locator('#form-error', { hasText: 'Reintentando' }).waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#pay-button').textContent()).to.contain('Reintentando');
    expect(await page.locator('#form-error').textContent()).to.contain('no se te cobrará dos veces');
    await page.locator('#cred-usuario').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('#result-title').textContent()).to.contain('Pago aprobado');

    expect(posts).to.equal(3);
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(keys).to.deep.equal([keys[0], keys[0], keys[0]]);
    const knex = demo().web.container.knex;
    const rows = await knex('transacciones').where({ cliente_mac: ownDevice.mac });
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ idempotency_key: keys[0], estado_pago: 'paid' });
    expect(demo().conekta.state.chargeCount(rows[0].id)).to.equal(1);
    await page.unroute('**/api/v1/payments/pagar-conekta');
    await page.close();
  });
});
