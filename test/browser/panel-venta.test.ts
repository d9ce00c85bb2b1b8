/**
 * A sale's history reads like a receipt, in Spanish (issue 23, item 6), on a
 * phone: no raw JSON, no English router messages, accents in place, nothing
 * wider than the screen; a declined sale shows no access as if it were coming.
 * UPDATE_SCREENSHOTS=1 writes panel/screenshots/fichas-vacio-phone.png and /tmp/venta-historial-phone.png.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_LOGINS, ROOT, type RunningDemo } from '../../scripts/demo';
import { CHROMIUM, CHROMIUM_FLAGS, eventually, randomMac, removeTempDirs, requireChromium, startTestDemo } from '../support/browser';

const PHONE = { width: 390, height: 844 };

describe('panel on a phone (headless Chromium): a sale\'s history and the vouchers screens', function () {
  this.timeout(120_000);
  let demo: RunningDemo;
  let browser: Browser | undefined;
  let session: { token: string; expires_at: string; user: unknown };

  before(async function () {
    this.timeout(300_000);
    requireChromium('the sale history browser test');
    demo = await startTestDemo({ RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '1000', RATE_LIMIT_PAYMENTS_ROUTER_POINTS: '1000' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const res = await fetch(`${demo.apiUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO_LOGINS.clienteAdmin),
    });
    const json = await res.json() as { access_token: string; expires_at: string; user: unknown };
    session = { token: json.access_token, expires_at: json.expires_at, user: json.user };
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    await demo?.stop();
    removeTempDirs();
  });

  async function sale(token: string, device: { mac: string; ip: string }): Promise<{ status: number; body: Record<string, any> }> {
    const res = await fetch(`${demo.apiUrl}/api/v1/payments/pagar-conekta`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${demo.seed.apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': `historial-${crypto.randomUUID()}` },
      body: JSON.stringify({
        producto_id: demo.seed.productos[0]!.id, token_tarjeta: `tok_test_${token}_${crypto.randomBytes(6).toString('hex')}`, nombre_cliente: 'Ana López',
        email_cliente: 'ana@example.com', telefono_cliente: '5512345678', mac_cliente: device.mac, ip_cliente: device.ip, conexion_automatica: true,
      }),
    });
    return { status: res.status, body: await res.json() as Record<string, any> };
  }

  async function openPanel(hash: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'es-MX', timezoneId: 'America/Mexico_City' });
    await context.addInitScript((s) => { (globalThis as any).sessionStorage.setItem('pagos-panel-sesion', s); }, JSON.stringify(session));
    const page = await context.newPage();
    await page.goto(`${demo.panelUrl}#${hash}`);
    return page;
  }

  const overflowOf = (page: Page) => page.evaluate(() => {
    const d = (globalThis as any).document.documentElement;
    return (d.scrollWidth as number) - (d.clientWidth as number);
  });

  it('vouchers: an empty state that says what fichas are and how to make the first batch; the form explains the prefix before any error and has no blank type', async () => {
    const page = await openPanel('/lotes');
    const empty = page.getByTestId('fichas-vacias');
    await empty.waitFor({ state: 'visible', timeout: 60_000 });
    await eventually(async () => (await empty.innerText()).includes('modo RADIUS'), 20_000, 'the wording for the routers once they loaded');
    const text = await empty.innerText();
    expect(text).to.include('Aún no hay fichas').and.include('Las fichas son').and.include('primer lote');
    expect(text).not.to.match(/Aún no hay fichos|No hay registros|No results/i);
    // The demo company has one router of each mode: the text says how each one gets its vouchers.
    expect(text).to.include('modo API el usuario de la ficha se crea en el router').and.include('modo RADIUS el router pregunta por el código');
    expect(await overflowOf(page)).to.be.at.most(0);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: path.join(ROOT, 'panel', 'screenshots', 'fichas-vacio-phone.png') });

    await empty.getByRole('link', { name: /Crear lote/ }).click();
    const prefijo = page.getByLabel('Prefijo (opcional)');
    await prefijo.waitFor();
    // Said before anything is typed: which characters are left out.
    const form = await page.locator('form').innerText();
    expect(form).to.match(/Se dejan fuera O, I, L, 0 y 1/);
    await page.getByLabel('Tipo de ficha').click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options.map((o) => o.trim())).to.deep.equal(['Usuario y contraseña', 'PIN (solo código)']);
    await page.keyboard.press('Escape');
    expect(await overflowOf(page)).to.be.at.most(0);
    await page.context().close();
  });

  it('vouchers: with every router in RADIUS mode the empty state says the router asks our RADIUS server, not that users are created on it (issue 23.9)', async () => {
    const modo = (value: 'api' | 'radius') => fetch(`${demo.apiUrl}/api/v1/admin/mi-empresa/routers/${encodeURIComponent(demo.seed.routerId)}`, {
      method: 'PUT', headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ modo: value }),
    });
    expect((await modo('radius')).status).to.equal(200);
    try {
      const page = await openPanel('/lotes');
      const como = page.getByTestId('fichas-vacias-como');
      await como.waitFor({ state: 'visible', timeout: 60_000 });
      await eventually(async () => !(await como.innerText()).includes('modo API'), 20_000, 'the RADIUS-only wording once the routers loaded');
      const text = await como.innerText();
      expect(text).to.include('pregunta por el código a nuestro servidor RADIUS').and.include('no hace falta crear nada en el router').and.not.include('modo API');
      await page.context().close();
    } finally {
      expect((await modo('api')).status).to.equal(200);
    }
  });

  async function openSale(id: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'es-MX', timezoneId: 'America/Mexico_City' });
    // The panel's own session record, as its login stores it (the login form is another test's subject).
    await context.addInitScript((s) => { (globalThis as any).sessionStorage.setItem('pagos-panel-sesion', s); }, JSON.stringify(session));
    const page = await context.newPage();
    await page.goto(`${demo.panelUrl}#/ventas/${encodeURIComponent(id)}/show`);
    await page.getByTestId('eventos').waitFor({ state: 'visible', timeout: 60_000 });
    return page;
  }

  it('a paid sale whose auto-connect the router refused: each event in words, Spanish only, fitting a phone', async () => {
    // The device is already logged in under another user: the router answers "host already logged in".
    const device = { mac: randomMac(), ip: `10.5.50.${20 + crypto.randomInt(200)}` };
    const first = await sale('visa_4242', device);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    await eventually(() => demo.sim.state.activeList.some((s) => s.address === device.ip), 15_000, 'first login');
    const second = await sale('visa_4242', device);
    expect(second.status, JSON.stringify(second.body)).to.equal(200);
    const id = second.body.transaccion_id as string;
    await eventually(async () => {
      const eventos = await demo.web.container.knex('transaccion_eventos').where({ transaccion_id: id, tipo: 'auto_conexion_fallida' });
      return eventos.length > 0;
    }, 15_000, 'auto-connect refused');

    const page = await openSale(id);
    await page.getByTestId('evento').filter({ hasText: 'Auto conexión fallida' }).waitFor();
    const text = (await page.getByTestId('eventos').innerText());
    expect(text).to.include('Pago aprobado').and.include('Acceso activado').and.include('Auto conexión fallida');
    expect(text).to.include('el dispositivo ya tenía una sesión abierta');
    expect(text).not.to.match(/[{}"]|host already|logged in|gateway_status|_/);
    expect(text).not.to.match(/\b(confirmacion|conexion|autom[a]tica)\b/i);
    const overflow = await page.evaluate(() => {
      const d = (globalThis as any).document.documentElement;
      return { scroll: d.scrollWidth as number, client: d.clientWidth as number };
    });
    expect(overflow.scroll, 'page wider than the phone').to.be.at.most(overflow.client);
    const events = await page.getByTestId('evento').all();
    for (const e of events) {
      const box = await e.boundingBox();
      expect(box!.x + box!.width, 'an event wider than the phone').to.be.at.most(PHONE.width);
    }
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync(path.join(ROOT, 'panel', 'screenshots'), { recursive: true });
      await page.getByTestId('eventos').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join('/tmp', 'venta-historial-phone.png'), fullPage: true }); // full page: too big for the repo
    }
    await page.context().close();
  });

  it('a declined sale: the API\'s estado_hotspot is final, and the page shows no access as if it were coming', async () => {
    const declined = await sale('insufficient_funds', { mac: randomMac(), ip: '10.5.50.99' });
    expect(declined.status).to.equal(402);
    const id = declined.body.transaccion_id as string;
    const detail = await fetch(`${demo.apiUrl}/api/v1/admin/mi-empresa/transacciones/${id}`, { headers: { Authorization: `Bearer ${session.token}` } });
    const body = await detail.json() as Record<string, any>;
    expect(body.estado_pago).to.equal('declined');
    expect(body.estado_hotspot).to.equal('disabled');

    const page = await openSale(id);
    await page.getByText('Sin acceso: el pago fue rechazado').waitFor();
    const whole = await page.locator('main, #main-content, body').first().innerText();
    expect(whole).not.to.include(String(body.hotspot_usuario));
    // The sale's state chips: the payment's, and no access "Pendiente" as if it were coming.
    const chips = await page.getByTestId('venta-id').locator('xpath=..').innerText();
    expect(chips).to.include('Declinada').and.not.include('Pendiente');
    expect(await page.getByTestId('eventos').innerText()).to.include('Pago rechazado');
    await page.context().close();
  });
});
