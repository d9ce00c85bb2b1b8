/**
 * A gateway added as one provider shows up in the operators' panel with no
 * panel code of its own (issue 25, item 4): the payment settings page lists
 * the registry's gateways, renders a card with the fields the provider takes
 * (its own descriptions as help), and saves them at the registry's route; the
 * secret is sealed at rest and shown masked. Headless Chromium against the
 * app with the test-only provider registered.
 * UPDATE_SCREENSHOTS=1 writes the saved card to /tmp/panel-pasarela-prueba.png.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { GATEWAY_PROVIDERS } from '../../src/integrations/gateways';
import { ensurePanelBuilt } from '../../scripts/demo';
import { CHROMIUM, CHROMIUM_FLAGS, requireChromium } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import { createPruebaGateway, PRUEBA_SECRETO } from '../support/prueba-gateway/provider';

describe('panel: a registered gateway\'s settings card, from its provider (headless Chromium)', function () {
  this.timeout(120_000);
  let s: Stack;
  let server: http.Server;
  let base: string;
  let browser: Browser | undefined;
  const prueba = createPruebaGateway();

  before(async function () {
    this.timeout(300_000);
    requireChromium('the gateway settings browser test');
    await ensurePanelBuilt(() => undefined);
    s = await startStack({ gatewayProviders: [...GATEWAY_PROVIDERS, prueba.provider] });
    server = http.createServer(s.t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    if (server) await new Promise((resolve) => server.close(resolve));
    await s?.close();
  });

  it('shows the test gateway beside Conekta and Mercado Pago, with only its fields, and saves its secret sealed', async () => {
    const login = await s.t.request.post('/api/v1/auth/login').send({ email: s.escenario.admin.email, password: s.escenario.admin.password });
    expect(login.status).to.equal(200);
    const session = JSON.stringify({ token: login.body.access_token, expires_at: login.body.expires_at, user: login.body.user });
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' });
    await context.addInitScript((value) => { (globalThis as any).sessionStorage.setItem('pagos-panel-sesion', value); }, session);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/panel/#/pagos`);
      const card = page.getByTestId('pasarela-prueba');
      await card.waitFor();
      await card.getByText('Sin configurar').waitFor();
      // Its provider's fields only, with its own words as help; the original gateways keep their cards.
      expect(await card.getByLabel('Llave secreta nueva').count()).to.equal(1);
      expect(await card.getByLabel('Clave secreta de webhooks nueva').count()).to.equal(1);
      expect(await card.getByLabel('Llave pública nueva').count()).to.equal(0);
      await card.getByText('Llave secreta de la pasarela de prueba', { exact: false }).waitFor();
      expect(await page.getByTestId('conekta').count()).to.equal(1);
      expect(await page.getByTestId('mercadopago').count()).to.equal(1);
      expect(await page.getByTestId('pasarela-conekta').count(), 'Conekta is configured at its own path').to.equal(0);

      await card.getByLabel('Llave secreta nueva').fill(PRUEBA_SECRETO);
      await card.getByRole('button', { name: 'Guardar' }).click();
      await page.getByText('Credenciales de Pasarela de Prueba guardadas correctamente').waitFor();
      await card.getByText('Configurado · pruebas').waitFor();
      await card.getByText('••••6789').waitFor();
      expect(await page.content()).not.to.include(PRUEBA_SECRETO);
      if (process.env.UPDATE_SCREENSHOTS === '1') await card.screenshot({ path: '/tmp/panel-pasarela-prueba.png' });
    } finally {
      await context.close();
    }
    // The toast came after the API's answer: the account is saved.
    const stored = await s.t.container.knex('empresa_pasarelas').where({ empresa_id: s.escenario.empresaId, pasarela: 'prueba' }).first();
    expect(stored.secreto_enc).to.match(/^gAAAAA/);
    expect(s.t.container.secrets.open(stored.secreto_enc)).to.equal(PRUEBA_SECRETO);
  });
});
