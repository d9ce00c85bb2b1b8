/**
 * The demo's RADIUS-mode router in a real browser (issue 22, items 6 and 7):
 * the company admin's setup screen shows the router's one-paste script (the
 * demo router's own RADIUS secret and token: demo values, never a real one)
 * with a copy button and the steps in Spanish; the script passes the
 * RouterOS-command checker. Then a phone buys on that router's captive portal
 * and ends up connected: the sale's credentials are written for FreeRADIUS,
 * the hotspot login (CHAP, through the simulated hotspot page) becomes an
 * Access-Request from the router's address, FreeRADIUS accepts it, and its
 * accounting Start lands in radacct.
 *
 * Skipped only when /usr/bin/chromium is missing. UPDATE_SCREENSHOTS=1 writes
 * panel/screenshots/router-configuracion-desktop.png.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_LOGINS, RADIUS_ROUTER, ROOT, type RunningDemo } from '../../scripts/demo';
import { CHROMIUM, CHROMIUM_FLAGS, eventually, newPhoneDevice, payByCard, removeTempDirs, requireChromium, startTestDemo } from '../support/browser';
import { checkRouterOsScript } from '../support/routeros-script';
import { radiusSchemaFor } from '../../src/platform/db/radius-schema';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'panel', 'screenshots') : null;

/** Free UDP ports on 127.0.0.1 for the demo's FreeRADIUS (the default 1812/1813 may be another run's). */
async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(Array.from({ length: count }, () => new Promise<dgram.Socket>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = sockets.map((s) => s.address().port);
  for (const s of sockets) s.close();
  return ports;
}

describe('RADIUS router setup screen in headless Chromium', function () {
  this.timeout(120_000);
  let demo: RunningDemo;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 900 }, locale: 'es-MX', timezoneId: 'America/Mexico_City', permissions: ['clipboard-read', 'clipboard-write'],
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    return page;
  }

  before(async function () {
    this.timeout(300_000);
    requireChromium('the router setup browser test');
    const [auth, acct] = await freeUdpPorts(2);
    demo = await startTestDemo({ RADIUS_AUTH_PORT: String(auth), RADIUS_ACCT_PORT: String(acct) });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });

  after(async function () {
    this.timeout(60_000);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await demo?.stop();
    removeTempDirs();
  });

  it("shows the RADIUS router's one-paste script with its steps and copies it", async () => {
    const page = await newPage();
    await page.goto(demo.panelUrl);
    await page.getByLabel('Correo').fill(DEMO_LOGINS.clienteAdmin.email);
    await page.getByLabel('Contraseña').fill(DEMO_LOGINS.clienteAdmin.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('menuitem', { name: 'Routers' }).click();
    await page.getByText(RADIUS_ROUTER.nombre).first().click();
    await page.getByRole('tab', { name: 'Configuración' }).click();
    const screen = page.getByTestId('configuracion');
    await screen.getByText('Configurar el router con un solo pegado').waitFor();
    expect(await screen.textContent()).to.contain('Modo RADIUS').and.contain('7.15').and.contain('New Terminal');
    await page.getByRole('button', { name: 'Generar script' }).click();
    const field = page.getByTestId('script-configuracion');
    await field.waitFor();
    const script = await field.inputValue();
    const r = demo.seed.radiusRouter;
    expect(script).to.contain(`/system identity set name="${r.routerId}"`);
    expect(script).to.contain(`/radius add service=hotspot address=127.0.0.1 secret="${r.secret}" authentication-port=${demo.config.radius.authPort} accounting-port=${demo.config.radius.acctPort}`);
    expect(script).to.contain(`Authorization: Bearer ${r.token}`);
    expect(checkRouterOsScript(script)).to.deep.equal([]);

    await page.getByRole('button', { name: 'Copiar script de configuración' }).click();
    await page.getByText('Copiado al portapapeles').waitFor();
    // The text field shows the script with \n line ends; the clipboard holds it as served (\r\n).
    expect(String(await page.evaluate('navigator.clipboard.readText()')).replace(/\r\n/g, '\n')).to.equal(script.replace(/\r\n/g, '\n'));
    if (SCREENSHOTS) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'router-configuracion-desktop.png') });
    }
    expect(problems).to.deep.equal([]);
  });

  it('a phone buys on the RADIUS router\'s portal and is connected through FreeRADIUS', async () => {
    const r = demo.seed.radiusRouter;
    const radiusSim = demo.radiusRouter.sim;
    const device = newPhoneDevice();
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'es-MX' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(`${demo.radiusRouter.portal.url}/login?mac=${encodeURIComponent(device.mac)}&ip=${device.ip}`);
    await payByCard(page, 'Hora exprés', '4242 4242 4242 4242');
    await page.locator('#cred-usuario').waitFor({ state: 'visible', timeout: 20_000 });
    const usuario = (await page.locator('#cred-usuario').textContent())!.trim();
    const contrasena = (await page.locator('#cred-contrasena').textContent())!.trim();
    const row = await demo.web.container.knex('transacciones').where({ hotspot_usuario: usuario, router_id: r.routerId }).first();
    expect(row).to.include({ estado_pago: 'paid', estado_hotspot: 'active' });
    // Nothing dialled the router: no hotspot user exists on it; the phone logs in through the hotspot's form (CHAP).
    expect(radiusSim.state.findUser(usuario)).to.equal(undefined);
    const connected = await page.locator('#connected').waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (!connected) {
      await page.goto(`${demo.radiusRouter.portal.url}/login`);
      await page.locator('#manual-login summary').click();
      await page.fill('#manual-usuario', usuario);
      await page.fill('#manual-contrasena', contrasena);
      await page.locator('#manual-form button[type="submit"]').click();
      await page.locator('#connected').waitFor({ state: 'visible' });
    }
    expect(demo.radiusRouter.portal.logins.filter((l) => l.username === usuario).at(-1)).to.include({ ok: true, method: 'chap' });
    const session = radiusSim.state.activeList.find((x) => x.user === usuario);
    expect(session).to.include({ address: device.ip, radius: 'true' });
    expect(radiusSim.state.radius.stats.accepts).to.be.greaterThan(0);
    const knex = demo.web.container.knex;
    const schema = radiusSchemaFor(demo.config.database.schema);
    const open = await eventually(() => knex.withSchema(schema).table('radacct').where({ username: `${r.routerId}:${usuario}` }).whereNull('acctstoptime').first(), 5_000, 'the open radacct row');
    expect(open.callingstationid).to.equal(device.mac);
    expect(problems).to.deep.equal([]);
  });
});
