/**
 * The captive portal's cash and voucher paths in headless Chromium (issue 15),
 * against the demo stack: a printed voucher's code logs in through the
 * hotspot's own form; "Pagar en efectivo (OXXO)" shows the reference, and the
 * phone that comes back after paying at the store gets its credentials and is
 * connected. UPDATE_SCREENSHOT=1 rewrites docs/portal-efectivo.png.
 */
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/demo';
import { demoWithPhone, eventually, fillCustomer, newPhoneDevice, portalLoginUrl } from '../support/browser';

describe('captive portal in headless Chromium: printed vouchers and cash at OXXO', function () {
  this.timeout(90_000);
  const { demo, phone } = demoWithPhone('the vouchers and cash browser test');
  // A fresh simulated phone per test: the voucher test leaves its phone logged in.
  let device = newPhoneDevice();
  beforeEach(() => { device = newPhoneDevice(); });

  const portalUrl = () => portalLoginUrl(demo(), device);
  async function openPortal(problems: string[]): Promise<Page> {
    const page = await phone().newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (res) => { if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`); });
    await page.goto(portalUrl());
    await page.locator('#plan-list .plan').first().waitFor({ state: 'visible' });
    return page;
  }

  it('"¿Ya tienes una ficha?" logs in with a printed voucher\'s code through the hotspot form', async () => {
    const c = demo().web.container;
    const producto = demo().seed.productos[0]!;
    const lote = await c.fichas.crearLote(demo().seed.empresaId, { producto_id: producto.id, cantidad: 1 }, null);
    const codigo = lote.fichas[0]!.codigo;
    await eventually(() => demo().sim.state.findUser(codigo), 15_000, 'voucher on the router');
    const problems: string[] = [];
    const page = await openPortal(problems);
    await page.locator('#ficha-login summary').click();
    // Typed the way people type: lower case, with a space.
    await page.fill('#ficha-codigo', `${codigo.slice(0, 4).toLowerCase()} ${codigo.slice(4)}`);
    await page.click('#ficha-form button[type="submit"]');
    await page.locator('#connected').waitFor({ state: 'visible' });
    expect(await page.locator('#alogin-user').textContent()).to.equal(codigo);
    expect(demo().portal.logins.at(-1)).to.include({ username: codigo, ok: true });
    expect(problems).to.deep.equal([]);
    await page.close();
  });

  it('the phone is asked as required only where config/public says so: Conekta\'s OXXO, not the card nor Mercado Pago\'s OXXO', async () => {
    const problems: string[] = [];
    const page = await openPortal(problems);
    const cashRequests: string[] = [];
    page.on('request', (req) => { if (req.url().includes('/pagar-efectivo')) cashRequests.push(req.url()); });
    await page.locator('#plan-list .plan', { hasText: '1 hora' }).click();
    await page.locator('#cash-button').waitFor({ state: 'visible' });
    // Conekta (the first gateway): optional with a card, required for OXXO, said before anything fails.
    expect(await page.locator('#telefono-label').textContent()).to.equal('Teléfono (opcional con tarjeta; obligatorio para pagar en OXXO)');
    expect(await page.locator('#cash-phone-hint').isVisible()).to.equal(true);
    await page.fill('#nombre', 'Ana López');
    await page.fill('#email', 'ana@example.com');
    await page.fill('#telefono', '');
    await page.click('#cash-button');
    await page.locator('#cash-error', { hasText: 'teléfono' }).waitFor({ state: 'visible' });
    expect(await page.locator('#telefono').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).to.equal('telefono');
    expect(cashRequests).to.deep.equal([]);

    // Mercado Pago's OXXO needs no phone: the label says optional and the reference comes without one.
    await page.locator('label.gateway', { hasText: 'Mercado Pago' }).click();
    expect(await page.locator('#telefono-label').textContent()).to.equal('Teléfono (opcional)');
    expect(await page.locator('#cash-phone-hint').isVisible()).to.equal(false);
    await page.click('#cash-button');
    await page.locator('#cash-result').waitFor({ state: 'visible', timeout: 20_000 });
    expect(cashRequests).to.have.length(1);
    const row = await demo().web.container.knex('transacciones').where({ cliente_mac: device.mac, metodo_pago: 'oxxo' }).first();
    expect(row).to.include({ gateway: 'mercadopago', cliente_telefono: null });
    expect(problems).to.deep.equal([]);
    // The reference stays on the phone (the portal would open on it): the next test starts without it.
    await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
    await page.close();
  });

  it('"Pagar en efectivo (OXXO)" shows the reference; back after paying at the store, the phone shows its credentials and is connected', async () => {
    const problems: string[] = [];
    const page = await openPortal(problems);
    await page.locator('#plan-list .plan', { hasText: '1 hora' }).click();
    await page.locator('#cash-button').waitFor({ state: 'visible' });
    await fillCustomer(page);
    await page.click('#cash-button');
    await page.locator('#cash-result').waitFor({ state: 'visible', timeout: 20_000 });
    const referencia = (await page.locator('#cash-referencia').textContent())!.trim();
    expect(referencia).to.match(/^\d{14}$/);
    expect(await page.locator('#cash-monto').textContent()).to.contain('15.00');
    expect((await page.locator('#cash-expira').textContent())!.length).to.be.above(5);
    expect(await page.locator('#cash-instrucciones li').count()).to.be.at.least(3);
    const row = await demo().web.container.knex('transacciones').where({ referencia_pago: referencia }).first();
    expect(row).to.include({ metodo_pago: 'oxxo', estado_pago: 'pending', gateway: 'conekta', cliente_mac: device.mac });
    if (process.env.UPDATE_SCREENSHOT === '1') await page.screenshot({ path: path.join(ROOT, 'docs', 'portal-efectivo.png') });
    await page.close();

    // The customer pays at the store; the sandbox sends order.paid to the API.
    const paid = await fetch(`${demo().conekta.url}/sandbox/cash/pay`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: referencia, webhook_url: `${demo().apiUrl}/api/v1/webhook/conekta/${demo().seed.empresaId}` }),
    });
    expect(paid.status).to.equal(200);
    await eventually(async () => (await demo().web.container.knex('transacciones').where({ id: row.id }).first()).estado_hotspot === 'active', 15_000, 'active');

    // The phone comes back: same browser storage, new page.
    const again = await phone().newPage();
    again.on('pageerror', (error) => problems.push(error.message));
    again.on('console', (msg) => { if (process.env.DEBUG_PORTAL) console.log('console:', msg.text()); });
    await again.goto(portalUrl());
    await again.locator('#cred-usuario').waitFor({ state: 'visible', timeout: 20_000 }).catch(async (error: Error) => {
      console.log(await again.locator('main').innerText());
      throw error;
    });
    expect((await again.locator('#cred-usuario').textContent())!.trim()).to.equal(row.hotspot_usuario);
    expect(await again.locator('#result-title').textContent()).to.contain('Pago aprobado');
    await again.locator('#auto-status', { hasText: 'ya está conectado' }).waitFor({ timeout: 15_000 });
    expect(demo().sim.state.printActiveSessions().some((s) => s.user === row.hotspot_usuario && s.address === device.ip)).to.equal(true);
    expect(problems).to.deep.equal([]);
    await again.close();
  });
});
