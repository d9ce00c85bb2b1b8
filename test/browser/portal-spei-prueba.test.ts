/**
 * SPEI from a phone on the captive portal (issue 24), in headless Chromium
 * against the demo stack: the router's trial is turned on from the service;
 * the portal offers "Probar gratis N minutos"; the customer asks for a CLABE,
 * takes "Conectarme N minutos para pagar desde mi banco" (the router's own
 * trial login), the sandbox receives the transfer, and the phone that comes
 * back ends its trial and is connected on its plan.
 * UPDATE_SCREENSHOT=1 rewrites docs/portal-prueba.png and docs/portal-spei.png.
 */
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../../scripts/demo';
import { demoWithPhone, eventually, fillCustomer, newPhoneDevice, portalLoginUrl } from '../support/browser';

describe('captive portal in headless Chromium: SPEI with the router\'s trial', function () {
  this.timeout(120_000);
  const { demo, phone } = demoWithPhone('the SPEI and trial browser test');
  const device = newPhoneDevice();

  it('issues a CLABE, uses the trial to reach the bank, the transfer arrives, and the phone ends up connected on its plan', async () => {
    const { empresaId, routerId } = demo().seed;
    const c = demo().web.container;
    await c.routers.update(empresaId, routerId, { prueba: { activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M/1M' } });
    const problems: string[] = [];
    const page = await phone().newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(portalLoginUrl(demo(), device, 'http://example.com/'));
    await page.locator('#plan-list .plan').first().waitFor({ state: 'visible' });

    // The free sample, offered because the router's trial is on.
    await page.locator('#trial-box').waitFor({ state: 'visible' });
    expect((await page.locator('#trial-button').textContent())!.trim()).to.equal('Probar gratis 10 minutos');
    if (process.env.UPDATE_SCREENSHOT === '1') await page.locator('#trial-box').screenshot({ path: path.join(ROOT, 'docs', 'portal-prueba.png') });

    // A CLABE for the 1-hour plan.
    await page.locator('#plan-list .plan', { hasText: '1 hora' }).click();
    await page.locator('#spei-button').waitFor({ state: 'visible' });
    await fillCustomer(page);
    await page.click('#spei-button');
    await page.locator('#cash-result').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#cash-title').textContent()).to.contain('SPEI');
    expect(await page.locator('#trial-box').isVisible()).to.equal(false); // the SPEI screen offers the trial itself
    const clabe = (await page.locator('#cash-referencia').textContent())!.replace(/\s+/g, '');
    expect(clabe).to.match(/^\d{18}$/);
    expect(await page.locator('#cash-monto').textContent()).to.contain('15.00');
    expect(await page.locator('#cash-copy').isVisible()).to.equal(true);
    expect(await page.locator('#cash-instrucciones li').count()).to.be.at.least(3);
    const trialButton = page.locator('#spei-trial-button');
    await trialButton.waitFor({ state: 'visible' });
    expect((await trialButton.textContent())!.trim()).to.equal('Conectarme 10 minutos para pagar desde mi banco');
    const row = await c.knex('transacciones').where({ referencia_clabe: clabe }).first();
    expect(row).to.include({ metodo_pago: 'spei', estado_pago: 'pending', cliente_mac: device.mac });
    if (process.env.UPDATE_SCREENSHOT === '1') await page.screenshot({ path: path.join(ROOT, 'docs', 'portal-spei.png'), fullPage: true });

    // The router's trial: online to open the bank app.
    await trialButton.click();
    await page.locator('#connected').waitFor({ state: 'visible' });
    const trialSession = demo().sim.state.printActiveSessions().find((s) => s.address === device.ip);
    expect(trialSession).to.include({ 'login-by': 'trial', user: `T-${device.mac}` });
    await page.close();

    // The transfer arrives; the sandbox sends the signed order.paid.
    const paid = await fetch(`${demo().conekta.url}/sandbox/spei/pay`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clabe, webhook_url: `${demo().apiUrl}/api/v1/webhook/conekta/${empresaId}` }),
    });
    expect(paid.status).to.equal(200);
    await eventually(async () => (await c.knex('transacciones').where({ id: row.id }).first()).estado_hotspot === 'active', 20_000, 'active');

    // The phone comes back (still on its trial): the sale's status, then the trial out and the plan in.
    const again = await phone().newPage();
    again.on('pageerror', (error) => problems.push(error.message));
    await again.goto(portalLoginUrl(demo(), device));
    await again.locator('#connected').waitFor({ state: 'visible', timeout: 30_000 }).catch(async (error: Error) => {
      console.log(await again.locator('body').innerText());
      throw error;
    });
    expect((await again.locator('#alogin-user').textContent())!.trim()).to.equal(row.hotspot_usuario);
    expect(demo().portal.logouts.some((l) => l.user === `T-${device.mac}`)).to.equal(true);
    const sessions = demo().sim.state.printActiveSessions().filter((s) => s.address === device.ip);
    expect(sessions).to.have.length(1);
    expect(sessions[0]).to.include({ user: row.hotspot_usuario, 'login-by': 'http-pap' });
    expect(problems).to.deep.equal([]);
    await again.close();
  });
});
