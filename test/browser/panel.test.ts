/**
 * The operators' panel (/panel/) in a real browser: Debian's Chromium driven
 * by playwright-core against the demo stack (scripts/demo.ts startDemo, which
 * builds panel/dist when it is missing) on the test database and Redis.
 *
 * A company admin sees a sale made through the payment API and refunds it,
 * creates a product from a profile read live from the router; a super admin
 * creates a company and a router and sees its API key once; a second
 * company's admin sees nothing of the first; a wrong password shows the API's
 * Spanish message. Every page runs under the panel's Content-Security-Policy
 * and loads nothing from outside this machine.
 *
 * Fails (never skips) when /usr/bin/chromium is missing. UPDATE_SCREENSHOTS=1 writes
 * panel/screenshots/*.png (desktop 1280 px and phone 390 px wide).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import yauzl from 'yauzl';
import { DEMO_LOGINS, ROOT, type RunningDemo } from '../../scripts/demo';
import { freeradiusInstalled } from '../support/radius';
import { CHROMIUM, CHROMIUM_FLAGS, eventually, randomMac, removeTempDirs, requireChromium, startTestDemo } from '../support/browser';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'panel', 'screenshots') : null;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** The entries of a downloaded zip, read with yauzl. */
function unzip(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => zip.openReadStream(entry, (e, stream) => {
        if (e || !stream) return reject(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks).toString('utf8')); zip.readEntry(); });
      }));
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function downloaded(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFileSync(file);
}

describe('operators\' panel in headless Chromium', function () {
  this.timeout(90_000);

  let demo: RunningDemo;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const run = crypto.randomBytes(3).toString('hex').toUpperCase();

  async function api<T = any>(method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
    const res = await fetch(`${demo.apiUrl}${url}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  async function token(email: string, password: string): Promise<string> {
    const res = await api<{ access_token: string }>('POST', '/api/v1/auth/login', null, { email, password });
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    return res.json.access_token;
  }

  /** A card sale through the portal's payment API, with the demo router's key and a sandbox Visa token. */
  async function sale(apiKey: string, productoId: number, nombre: string): Promise<{ transaccion_id: string; estado_pago: string }> {
    const res = await api('POST', '/api/v1/payments/pagar-conekta', apiKey, {
      producto_id: productoId, token_tarjeta: `tok_test_visa_4242_${crypto.randomBytes(6).toString('hex')}`,
      nombre_cliente: nombre, email_cliente: 'ana@example.com', telefono_cliente: '5512345678', mac_cliente: randomMac(), ip_cliente: '10.5.50.77',
    }, { 'Idempotency-Key': `panel-test-${crypto.randomUUID()}` });
    expect(res.status, JSON.stringify(res.json)).to.be.oneOf([200, 202]);
    return res.json;
  }

  async function newPage(viewport = DESKTOP): Promise<Page> {
    const context = await browser!.newContext({
      viewport, locale: 'es-MX', timezoneId: 'America/Mexico_City',
      ...(viewport.width < 600 ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (msg) => {
      if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
    });
    page.on('request', (req) => {
      const { protocol, hostname } = new URL(req.url());
      if (!['data:', 'blob:'].includes(protocol) && hostname !== '127.0.0.1' && hostname !== 'localhost') problems.push(`external request: ${req.url()}`);
    });
    return page;
  }

  /**
   * Picks `option` in the form's select labelled `label` (a list page's column
   * header can carry the same label). A select whose choices are still loading
   * (a ReferenceInput) ignores the click, so it is opened again until the
   * option shows.
   */
  async function choose(page: Page, label: string, option: string | RegExp, exact = false) {
    const wanted = page.getByRole('option', { name: option, exact });
    await eventually(async () => {
      await page.locator('form').getByLabel(label).click();
      if (await wanted.waitFor({ timeout: 2_000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    }, 20_000, `the option ${String(option)} of ${label}`);
    await wanted.click();
  }

  /** The panel's session as the page keeps it: for the tab (sessionStorage) or remembered (localStorage, "Recordarme"). */
  async function storedSession(page: Page): Promise<{ tab: string | null; remembered: string | null }> {
    return page.evaluate<{ tab: string | null; remembered: string | null }>(
      "({ tab: sessionStorage.getItem('pagos-panel-sesion'), remembered: localStorage.getItem('pagos-panel-sesion') })",
    );
  }

  /** Signs in through the login form (only the test of the login itself: the others use `signIn`). */
  async function login(page: Page, email: string, password: string, route = '') {
    await page.goto(`${demo.panelUrl}${route}`);
    await page.getByLabel('Correo').fill(email);
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('button', { name: 'Entrar' }).waitFor({ state: 'detached', timeout: 15_000 });
  }

  /**
   * Signs in by token: the session the panel keeps for the tab (sessionStorage
   * 'pagos-panel-sesion', as its login stores it) from the API's login, set on
   * the panel's origin before the panel loads, then the panel opened at `route`.
   */
  async function signIn(page: Page, email: string, password: string, route = '') {
    const res = await api<{ access_token: string; expires_at: string; user: unknown }>('POST', '/api/v1/auth/login', null, { email, password });
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    const session = JSON.stringify({ token: res.json.access_token, expires_at: res.json.expires_at, user: res.json.user });
    await page.goto(`${demo.apiUrl}/health`);
    await page.evaluate(`sessionStorage.setItem('pagos-panel-sesion', ${JSON.stringify(session)})`);
    await page.goto(`${demo.panelUrl}${route}`);
    await page.getByRole('button', { name: 'Perfil' }).waitFor();
  }

  async function shot(page: Page, name: string) {
    if (!SCREENSHOTS) return;
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.waitForTimeout(400); // transitions and the snackbar
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  before(async function () {
    this.timeout(300_000);
    requireChromium('the panel browser test');
    demo = await startTestDemo({ RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '1000', RATE_LIMIT_PAYMENTS_ROUTER_POINTS: '1000' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });

  after(async function () {
    this.timeout(60_000);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await demo?.stop();
    removeTempDirs();
  });

  afterEach(async function () {
    // A failed step leaves a picture of each open page behind, to see what the browser showed.
    if (this.currentTest?.state === 'failed') {
      const pages = contexts.flatMap((c) => c.pages());
      for (const [i, p] of pages.entries()) await p.screenshot({ path: path.join(os.tmpdir(), `panel-test-failure-${i}.png`) }).catch(() => undefined);
    }
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    const found = problems.splice(0);
    expect(found, 'page errors, CSP violations or external requests').to.deep.equal([]);
  });

  it('is served at /panel/ with a strict Content-Security-Policy, an SPA fallback and long-cached hashed assets', async function () {
    const index = await fetch(`${demo.apiUrl}/panel/`);
    expect(index.status).to.equal(200);
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).to.contain("default-src 'self'").and.contain("script-src 'self'").and.contain("frame-ancestors 'none'");
    expect(csp).not.to.contain('unsafe-inline');
    const html = await index.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).to.contain(`content="${nonce}"`);
    expect(html).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(index.headers.get('cache-control')).to.equal('no-cache');

    const deep = await fetch(`${demo.apiUrl}/panel/ventas/TRX_000000000000`);
    expect(deep.status).to.equal(200);
    expect(await deep.text()).to.contain('<div id="root">');
    const redirect = await fetch(`${demo.apiUrl}/panel`, { redirect: 'manual' });
    expect(redirect.status).to.equal(302);
    expect(redirect.headers.get('location')).to.equal('/panel/');

    const asset = /src="(\/panel\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${demo.apiUrl}${asset}`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('cache-control')).to.contain('immutable');
    expect(js.headers.get('content-type')).to.contain('javascript');
    expect((await fetch(`${demo.apiUrl}/panel/assets/missing-123.js`)).status).to.equal(404);
    expect((await fetch(`${demo.apiUrl}/panel/..%2f..%2fpackage.json`)).status).to.equal(404);
  });

  it('shows the API\'s Spanish message for a wrong password', async function () {
    const page = await newPage();
    await page.goto(demo.panelUrl);
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await shot(page, 'login-desktop');
    await page.getByLabel('Correo').fill(DEMO_LOGINS.clienteAdmin.email);
    await page.getByLabel('Contraseña').fill('ContraseñaEquivocada1');
    await page.getByRole('button', { name: 'Entrar' }).click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).to.equal('Credenciales incorrectas');
    // No session stored without a successful login (react-admin's own preferences, RaStore.*, are no session).
    expect(await storedSession(page)).to.deep.equal({ tab: null, remembered: null });
  });

  it('opens at once on a cold visit: the login form within seconds of the page loading, without re-navigating to #/login over and over', async function () {
    // Every change of the address the page makes (react-router's hash history pushes and replaces), counted in the page.
    const countNavigations = `window.__navegaciones = 0;
      for (const method of ['pushState', 'replaceState']) {
        const original = history[method].bind(history);
        history[method] = (...args) => { window.__navegaciones += 1; return original(...args); };
      }`;
    for (const [route, landing] of [['', '#/login'], ['#/ventas', '#/login?volver=%2Fventas']] as const) {
      const page = await newPage();
      await page.addInitScript(countNavigations);
      await page.goto(`${demo.panelUrl}${route}`); // resolves once the page has loaded
      // Before the fix: a blank page for 12–17 s while it re-navigated to #/login thousands of times.
      await page.getByLabel('Correo').waitFor({ timeout: 8_000 });
      expect(await page.evaluate<number>('window.__navegaciones'), `navigations of a cold visit to /panel/${route}`).to.be.at.most(3);
      expect(new URL(page.url()).hash).to.equal(landing);
      await page.getByLabel('Correo').fill(DEMO_LOGINS.clienteAdmin.email);
      await page.getByLabel('Contraseña').fill('x');
      expect(await page.getByRole('button', { name: 'Entrar' }).isEnabled()).to.equal(true);
    }
  });

  it('company admin: sees a sale made through the payment API, its history, and refunds it', async function () {
    const producto = demo.seed.productos[0]!;
    const cliente = `Ana Panel ${run}`;
    const paid = await sale(demo.seed.apiKey, producto.id, cliente);
    expect(paid.estado_pago).to.equal('paid');

    // The one test that signs in through the form, from a deep link: after the login it is where it was going.
    const page = await newPage();
    await login(page, DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password, '#/ventas');
    const row = page.locator('tr', { hasText: cliente });
    await row.waitFor();
    expect(new URL(page.url()).hash).to.equal('#/ventas');
    expect(await row.textContent()).to.contain('Pagada').and.contain('$15.00 MXN');
    // The session is kept for the tab only (no "Recordarme").
    const kept = await storedSession(page);
    expect(kept.tab).to.be.a('string');
    expect(kept.remembered).to.equal(null);

    await page.getByRole('menuitem', { name: 'Tablero' }).click();
    await page.getByTestId('periodo-hoy-ventas').waitFor();
    expect(Number(await page.getByTestId('periodo-hoy-ventas').textContent())).to.be.at.least(1);
    expect(await page.getByTestId('periodo-hoy-tarjeta').textContent()).to.match(/\$[\d,]+\.\d{2} MXN/);
    await shot(page, 'dashboard-desktop');

    // An OXXO reference beside it: the list tells the two apart (issues 23.5, 24).
    const oxxoCliente = `Oscar Oxxo ${run}`;
    const oxxo = await fetch(`${demo.apiUrl}/api/v1/payments/pagar-efectivo`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': demo.seed.apiKey, 'idempotency-key': `panel-oxxo-${run}` },
      body: JSON.stringify({ producto_id: producto.id, nombre_cliente: oxxoCliente, email_cliente: 'oscar@example.com', telefono_cliente: '5512345678', pasarela: 'conekta' }),
    });
    expect(oxxo.status).to.equal(200);

    await page.getByRole('menuitem', { name: 'Ventas' }).click();
    await row.waitFor();
    expect(await row.getByTestId('venta-metodo').textContent()).to.equal('Tarjeta');
    expect(await page.locator('tr', { hasText: oxxoCliente }).getByTestId('venta-metodo').textContent()).to.equal('OXXO');
    await shot(page, 'ventas-desktop');

    // The "usuario" filter narrows the list to one sale.
    const detail = await api('GET', `/api/v1/admin/mi-empresa/transacciones/${paid.transaccion_id}`, await token(DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password));
    await page.getByRole('button', { name: 'Agregar filtro' }).click();
    await page.getByRole('menu').getByText('Usuario hotspot').click();
    await page.getByLabel('Usuario hotspot').fill(detail.json.hotspot_usuario);
    await eventually(async () => (await page.locator('tbody tr').count()) === 1, 15_000, 'one sale left by the filter');

    await row.click();
    await page.getByTestId('venta-id').filter({ hasText: paid.transaccion_id }).waitFor();
    expect(await page.getByTestId('venta-detalle-metodo').textContent()).to.equal('Tarjeta');
    const eventos = await page.getByTestId('eventos').textContent();
    expect(eventos).to.contain('Venta iniciada');
    await shot(page, 'venta-desktop');

    await page.getByRole('button', { name: 'Reembolsar' }).click();
    await page.getByRole('dialog').getByLabel('Motivo (opcional)').fill('Prueba del panel');
    await page.getByRole('button', { name: 'Sí, reembolsar' }).click();
    await page.getByText('Reembolso realizado').waitFor();
    await page.locator('[data-estado="refunded"]').waitFor();
    expect(await page.getByRole('button', { name: 'Reembolsar' }).count()).to.equal(0);
    const stored = await demo.web.container.knex('transacciones').where({ id: paid.transaccion_id }).first('estado_pago');
    expect(stored.estado_pago).to.equal('refunded');

    // Logout: the session is revoked on the server and forgotten in the tab.
    const sessionToken = JSON.parse(await page.evaluate<string>("sessionStorage.getItem('pagos-panel-sesion')")).token as string;
    await page.getByRole('button', { name: 'Perfil' }).click();
    await page.getByRole('menuitem', { name: 'Cerrar sesión' }).click();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    expect(await storedSession(page)).to.deep.equal({ tab: null, remembered: null });
    expect((await api('GET', '/api/v1/auth/me', sessionToken)).status).to.equal(401);
  });

  it('company admin: creates a product from a profile read live from the router', async function () {
    const perfil = `panel-${run.toLowerCase()}`;
    demo.sim.state.addProfile({ name: perfil, 'session-timeout': '2h', 'shared-users': '1' });
    const page = await newPage();
    await signIn(page, DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password);
    await page.getByRole('menuitem', { name: 'Productos' }).click();
    await page.getByRole('link', { name: 'Crear' }).click();
    await choose(page, 'Router', 'Router Demo (simulador)');
    await choose(page, 'Perfil MikroTik', new RegExp(`^${perfil}`));
    await page.getByLabel('Nombre de venta').fill(`2 horas ${run}`);
    await page.getByLabel('Precio').fill('25.50');
    await shot(page, 'producto-nuevo-desktop');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Perfil verificado en el router').waitFor();
    await page.locator('tr', { hasText: `2 horas ${run}` }).waitFor();
    const row = await demo.web.container.knex('productos').where({ perfil_mikrotik_nombre: perfil }).first();
    expect(row).to.include({ precio: '25.50', perfil_verificado: true, router_id: demo.seed.routerId });
    // Keep the demo catalog as it was.
    await api('DELETE', `/api/v1/admin/products/${row.id}`, await token(DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password));
  });

  it('company admin: kicks an online session, exports the sales CSV and downloads the portal zip (placeholder, then a fresh key)', async function () {
    const usuario = `online${run.toLowerCase()}`;
    demo.sim.state.addUser({ name: usuario, password: 'pw-online', profile: demo.seed.productos[0]!.perfil ?? 'default' });
    demo.sim.state.loginActive({ user: usuario, password: 'pw-online', ip: '10.5.50.99', mac: '02:AA:BB:CC:DD:99' });
    const page = await newPage();
    await signIn(page, DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password);

    // Sales CSV with the list's filters, downloaded by the browser.
    await page.getByRole('menuitem', { name: 'Ventas' }).click();
    await page.locator('tbody tr').first().waitFor();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).to.match(/^ventas-EMP_[0-9A-F]+-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await downloaded(csvDownload)).toString('utf8');
    expect(csv.charCodeAt(0)).to.equal(0xfeff);
    expect(csv.slice(1).split('\r\n')[0]).to.match(/^id,fecha \(America\/Mexico_City\),/);
    // Every sale of the company, one row each (the list's total says how many).
    const ventas = await api('GET', '/api/v1/admin/mi-empresa/transacciones?limit=1', await token(DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password));
    expect(csv.slice(1).split('\r\n').filter(Boolean).length - 1).to.equal(ventas.json.total);

    // Online sessions, read live from the simulated router, and one kicked.
    await page.getByRole('menuitem', { name: 'Routers' }).click();
    await page.getByText('Router Demo (simulador)').first().click();
    await page.getByRole('tab', { name: 'Sesiones activas' }).click();
    const sessionRow = page.getByTestId('activos').locator('tr', { hasText: usuario });
    await sessionRow.waitFor();
    expect(await sessionRow.textContent()).to.contain('10.5.50.99').and.contain('02:AA:BB:CC:DD:99');
    await shot(page, 'activos-desktop');
    await sessionRow.getByRole('button', { name: 'Desconectar' }).click();
    await page.getByRole('dialog').getByRole('button', { name: /Confirmar|Desconectar|Sí/ }).last().click();
    await page.getByText('Sesión desconectada').waitFor();
    await sessionRow.waitFor({ state: 'detached', timeout: 15_000 });
    expect(demo.sim.state.activeList.map((x) => x.user)).not.to.include(usuario);

    // The portal zip: without regenerating, config.js carries the router's current key (kept sealed, issue 23.7), which keeps working.
    await page.getByRole('tab', { name: 'Portal' }).click();
    const [plain] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar portal (.zip)' }).click()]);
    expect(plain.suggestedFilename()).to.equal(`portal-${demo.seed.routerId}.zip`);
    const files = await unzip(await downloaded(plain));
    expect([...files.keys()]).to.include.members(['portal/login.html', 'portal/portal.js', 'portal/config.js', 'walled-garden.rsc', 'LEEME.txt']);
    expect(files.get('portal/config.js')).to.contain(`apiKey: "${demo.seed.apiKey}"`).and.contain("mode: 'live'");
    await page.getByText(/con la API Key actual del router/).waitFor();
    // The walled-garden lines now come from the server (the API's host from PUBLIC_BASE_URL).
    const walled = await page.getByTestId('walled-garden').inputValue();
    expect(walled.split('\n')[0]).to.equal(files.get('walled-garden.rsc')!.split('\r\n')[1]);
    expect((await api('GET', '/api/v1/catalogo_perfiles_venta', demo.seed.apiKey)).status).to.equal(200);
    await shot(page, 'portal-desktop');

    // With "Generar una API Key nueva": confirmed, a fresh key in config.js, the old one revoked.
    await page.getByLabel(/Generar una API Key nueva/).check();
    await page.getByRole('button', { name: 'Descargar portal (.zip)' }).click();
    const [fresh] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('dialog').getByRole('button', { name: /Confirmar|Descargar|Sí/ }).last().click(),
    ]);
    const config = (await unzip(await downloaded(fresh))).get('portal/config.js')!;
    const key = /apiKey: "(jwt_[^"]+)"/.exec(config)![1]!;
    expect(key).not.to.equal(demo.seed.apiKey);
    expect((await api('GET', '/api/v1/catalogo_perfiles_venta', key)).status).to.equal(200);
    expect((await api('GET', '/api/v1/catalogo_perfiles_venta', demo.seed.apiKey)).status).to.equal(401);
    demo.seed.apiKey = key; // the later steps sell with the router's current key

    // The company's time zone: saved from "Mi empresa", used by the dashboard.
    await page.getByRole('menuitem', { name: 'Mi empresa' }).click();
    await choose(page, 'Zona horaria', 'Bogotá');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Datos de la empresa guardados').waitFor();
    const clienteToken = await token(DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password);
    expect((await api('GET', '/api/v1/admin/mi-empresa', clienteToken)).json.zona_horaria).to.equal('America/Bogota');
    await page.getByRole('menuitem', { name: 'Tablero' }).click();
    await page.getByText('Horario: Bogotá').waitFor();
    expect((await api('PUT', '/api/v1/admin/mi-empresa', clienteToken, { zona_horaria: 'America/Mexico_City' })).status).to.equal(200);
  });

  it("company admin: corrects its router's address and credentials, told at once whether it connects; an address of our network is refused (issues 23.8, 21.8)", async function () {
    const page = await newPage();
    await login(page, DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password);
    await page.getByRole('menuitem', { name: 'Routers' }).click();
    await page.getByText('Router Demo (simulador)').first().click();
    const conexion = page.getByTestId('router-conexion');
    try {
      // A wrong port: saved, and the panel says it does not connect.
      await page.getByRole('button', { name: 'Editar conexión' }).click();
      let dialog = page.getByRole('dialog');
      await dialog.getByLabel('Puerto API').fill('1');
      await dialog.getByRole('button', { name: 'Guardar y probar' }).click();
      await conexion.getByText('No se pudo conectar con el router.').waitFor();
      // A private address is refused in Spanish before anything is saved or dialled.
      await page.getByRole('button', { name: 'Editar conexión' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('Host (IP pública o nombre)').fill('10.0.0.9');
      await dialog.getByLabel('Contraseña API').fill('otra-clave');
      await dialog.getByRole('button', { name: 'Guardar y probar' }).click();
      await dialog.getByText(/no está permitida/).waitFor();
      // Back to the simulator's address: it connects.
      await dialog.getByLabel('Host (IP pública o nombre)').fill(demo.sim.host);
      await dialog.getByLabel('Puerto API').fill(String(demo.sim.port));
      await dialog.getByLabel('Contraseña API').fill('');
      await dialog.getByRole('button', { name: 'Guardar y probar' }).click();
      await conexion.getByText('Conexión exitosa con el router.').waitFor();
    } finally {
      await demo.web.container.knex('routers').where({ id: demo.seed.routerId }).update({ host: demo.sim.host, puerto: demo.sim.port });
    }
  });

  it('company admin: creates a voucher batch, prints its PDF and downloads its CSV', async function () {
    const producto = demo.seed.productos[0]!;
    const page = await newPage();
    await signIn(page, DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password);
    await page.getByRole('menuitem', { name: 'Fichas' }).click();
    await page.getByRole('link', { name: 'Crear' }).click();
    await choose(page, 'Producto', producto.nombre, true);
    await page.getByLabel('Cantidad').fill('3');
    await page.getByRole('button', { name: 'Guardar' }).click();
    const table = page.getByTestId('fichas');
    await eventually(async () => (await table.locator('tbody tr').count()) === 3, 15_000, 'the batch with its three vouchers');
    const codes = (await table.locator('tbody tr td:first-child').allTextContents()).map((c) => c.trim());
    expect(codes).to.have.length(3);
    await shot(page, 'fichas-desktop');

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Imprimir (PDF)' }).click()]);
    expect(pdf.suggestedFilename()).to.match(/^fichas-LOT_[0-9A-F]+\.pdf$/);
    expect((await downloaded(pdf)).subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    const csv = (await downloaded(csvFile)).toString('utf8');
    for (const code of codes) expect(csv).to.contain(code);
    const stored = await demo.web.container.knex('fichas').whereIn('codigo', codes).select('empresa_id');
    expect(stored.map((f: { empresa_id: string }) => f.empresa_id)).to.deep.equal([demo.seed.empresaId, demo.seed.empresaId, demo.seed.empresaId]);
  });

  it('super admin: creates a company and a router, sees the router\'s API key once and whether its credentials work, and fixes them', async function () {
    const page = await newPage();
    await signIn(page, DEMO_LOGINS.superAdmin.email, DEMO_LOGINS.superAdmin.password);
    await shot(page, 'superadmin-dashboard-desktop');
    await page.getByRole('menuitem', { name: 'Empresas' }).click();
    await page.getByRole('link', { name: 'Crear' }).click();
    const nombre = `Hotel Prueba ${run}`;
    // The create form, not the list behind it (whose column header is also "Nombre").
    await page.getByRole('textbox', { name: 'Nombre', exact: true }).fill(nombre);
    await page.getByLabel('Correo de contacto').fill(`hotel-${run.toLowerCase()}@example.com`);
    await page.getByLabel('Llave privada').fill('key_provisional_private');
    await page.getByLabel('Llave pública').fill('key_provisional_public');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByTestId('routers-empresa').waitFor();
    const empresa = await demo.web.container.knex('empresas').where({ nombre }).first('id', 'activa');
    expect(empresa.activa).to.equal(true);

    await page.getByRole('button', { name: 'Nuevo router' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Router Lobby');
    // The demo's simulator, with a wrong API password: saved, and the panel says at once that it does not connect (issue 23.8).
    await dialog.getByLabel('Host (IP o nombre)').fill(demo.sim.host);
    await dialog.getByLabel('Puerto API').fill(String(demo.sim.port));
    await dialog.getByLabel('Usuario API').fill(demo.sim.username);
    await dialog.getByLabel('Contraseña API').fill('secreto-api-equivocado');
    await dialog.getByRole('button', { name: 'Crear router' }).click();
    const keyField = page.getByTestId('api-key-once');
    await keyField.waitFor();
    const key = await keyField.inputValue();
    expect(key).to.match(/^jwt_/);
    // The key works for the portal...
    const portal = await api('GET', '/api/v1/config/public', key);
    expect(portal.status).to.equal(200);
    expect(portal.json.empresa.nombre).to.equal(nombre);
    // ...and once the dialog is closed it is nowhere on the page any more.
    await page.getByRole('button', { name: 'Ya la copié' }).click();
    await keyField.waitFor({ state: 'detached' });
    await page.getByTestId('routers-empresa').getByText('Router Lobby').waitFor();
    expect(await page.content()).not.to.contain(key);
    const conexion = page.getByTestId('router-conexion');
    await conexion.getByText('No se pudo conectar con el router.').waitFor();
    expect(await conexion.textContent()).to.match(/contraseña/i);
    // Fixed from the same row: the right password, and the panel says it connects now.
    await page.getByTestId('routers-empresa').getByRole('button', { name: 'Editar conexión' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Contraseña API').fill(demo.sim.password);
    await edit.getByRole('button', { name: 'Guardar y probar' }).click();
    await conexion.getByText('Conexión exitosa con el router.').waitFor();

    // A router behind NAT (issue 22): RADIUS mode asks for no API address or credentials.
    await page.getByRole('button', { name: 'Nuevo router' }).click();
    const radiusDialog = page.getByRole('dialog');
    await radiusDialog.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Router NAT');
    await choose(page, 'Modo', /RADIUS/);
    expect(await radiusDialog.getByLabel('Host (IP o nombre)').count()).to.equal(0);
    await radiusDialog.getByRole('button', { name: 'Crear router' }).click();
    await page.getByTestId('api-key-once').waitFor();
    await page.getByRole('button', { name: 'Ya la copié' }).click();
    await page.getByTestId('routers-empresa').locator('tr', { hasText: 'Router NAT' }).getByText('RADIUS · sin latido aún').waitFor();
    const nat = await demo.web.container.knex('routers').where({ empresa_id: empresa.id, nombre: 'Router NAT' }).first('modo', 'host');
    expect(nat).to.deep.equal({ modo: 'radius', host: null });
    // The demo runs FreeRADIUS for such routers when it is installed (on free ports in tests).
    if (freeradiusInstalled()) expect(demo.radius, 'the demo started FreeRADIUS').to.not.equal(null);
    await shot(page, 'empresa-desktop');
  });

  it('a second company\'s admin sees none of the first company\'s data', async function () {
    const root = await token(DEMO_LOGINS.superAdmin.email, DEMO_LOGINS.superAdmin.password);
    const empresa = await api('POST', '/admin/empresas', root, {
      nombre: `Otra Empresa ${run}`, contacto_email: `otra-${run.toLowerCase()}@example.com`,
      conekta_private_key: 'key_otra_private', conekta_public_key: 'key_otra_public', conekta_mode: 'test',
    });
    expect(empresa.status).to.equal(200);
    const email = `admin-otra-${run.toLowerCase()}@example.com`;
    const password = 'OtraClave123!';
    const usuario = await api('POST', '/admin/usuarios', root, { email, password, nombre: 'Admin Otra', rol: 'cliente_admin', empresa_id: empresa.json.id });
    expect(usuario.status).to.equal(200);
    const ajena = await sale(demo.seed.apiKey, demo.seed.productos[1]!.id, `Cliente Ajeno ${run}`);

    const page = await newPage();
    await signIn(page, email, password);
    await page.getByRole('menuitem', { name: 'Ventas' }).click();
    await page.getByText('No hay Ventas').waitFor();
    await page.getByRole('menuitem', { name: 'Productos' }).click();
    await page.getByText('No hay Productos').waitFor();
    await page.getByRole('menuitem', { name: 'Routers' }).click();
    await page.getByText('No hay Routers').waitFor();
    // Even with the other company's sale id in the address bar.
    await page.goto(`${demo.panelUrl}#/ventas/${ajena.transaccion_id}/show`);
    await page.getByText('Transacción no encontrada').first().waitFor();
    const text = await page.locator('body').textContent();
    expect(text).not.to.contain('WiFi Demo');
    expect(text).not.to.contain(`Cliente Ajeno ${run}`);
  });

  it('is usable at phone width (menu in a drawer, lists as cards)', async function () {
    const page = await newPage(PHONE);
    await page.goto(demo.panelUrl);
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await shot(page, 'login-phone');
    await signIn(page, DEMO_LOGINS.clienteAdmin.email, DEMO_LOGINS.clienteAdmin.password);
    await page.getByTestId('periodo-hoy').waitFor();
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).to.be.at.most(PHONE.width + 1);
    await shot(page, 'dashboard-phone');
    await page.goto(`${demo.panelUrl}#/ventas`);
    await page.locator('a[href*="/ventas/"]').first().waitFor();
    await shot(page, 'ventas-phone');
    await page.goto(`${demo.panelUrl}#/pagos`);
    await page.getByTestId('conekta-webhook').waitFor();
    expect(await page.getByTestId('conekta-webhook').inputValue()).to.match(/\/api\/v1\/webhook\/conekta\/EMP_/);
    await shot(page, 'pagos-phone');
  });
});
