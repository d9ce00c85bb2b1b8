/**
 * Screenshots for the README and the closing notes of issues 23 and 24, in one
 * command:
 *
 *   npx tsx scripts/screenshots.ts [outdir]        (default docs/screenshots)
 *
 * Starts the demo stack (scripts/demo.ts: API, worker, sandboxes, RouterOS
 * simulator, portal; the panel built when panel/dist is missing) on a database
 * of its own, recreated each run (SCREENSHOTS_DATABASE_URL, default
 * pagos_screenshots on DATABASE_URL's server) and a Redis key prefix of its
 * own, drives headless Chromium (Debian's, as test/support/browser.ts) and
 * writes compressed PNGs: phones at 390 px, the panel at 1024 px.
 *
 * Each capture stands alone: one that cannot be taken on this checkout (an
 * older commit without SPEI, say) is reported and skipped, so the same script
 * takes the "before" set on an old commit. The panel's cold visit is captured
 * 1 s after the page loads: what a visitor sees then (issue 23, item 1).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_LOGINS, ROOT, startDemo, type RunningDemo } from './demo';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1024, height: 720 }, deviceScaleFactor: 1 };
const SESSION_KEY = 'pagos-panel-sesion';

const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'screenshots'));
const log = (line: string) => console.log(line);

/** Writes a PNG quantized to a palette (text and flat colours survive; a few tens of KB). */
async function save(name: string, png: Buffer): Promise<void> {
  const file = path.join(outDir, name);
  await sharp(png).png({ palette: true, quality: 80, compressionLevel: 9, effort: 10 }).toFile(file);
  log(`  ${path.relative(process.cwd(), file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name not allowed: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed (apt-get install chromium), or set CHROMIUM_PATH`);
  fs.mkdirSync(outDir, { recursive: true });
  const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = process.env.SCREENSHOTS_DATABASE_URL ?? Object.assign(new URL(server), { pathname: '/pagos_screenshots' }).toString();
  const redisUrl = process.env.SCREENSHOTS_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  await recreateDatabase(databaseUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-screenshots-'));
  log(`demo on ${new URL(databaseUrl).pathname.slice(1)} (Redis prefix screenshots-${process.pid}:)...`);
  const demo = await startDemo({
    databaseUrl, redisUrl, apiPort: 0, portalPort: 0, dataDir, privateServices: false, schedules: false, log: () => undefined,
    env: {
      REDIS_KEY_PREFIX: `screenshots-${process.pid}:`,
      RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '1000', RATE_LIMIT_PAYMENTS_ROUTER_POINTS: '1000',
    },
  } as Parameters<typeof startDemo>[0]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const failures: string[] = [];
  const capture = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      failures.push(name);
      log(`  ${name}: skipped (${(error as Error).message.split('\n')[0]})`);
    }
  };
  try {
    const shots = createShots(demo, browser);
    log(`writing to ${outDir}`);
    await capture('panel-login', shots.panelColdVisit);
    await capture('fichas-vacio', shots.fichasVacias);
    const sales = await shots.makeSales();
    await capture('ventas', () => shots.ventas(sales));
    await capture('venta-historial', () => shots.historial(sales));
    await capture('fichas-pdf', shots.fichaPdf);
    await capture('portal', shots.portal);
    await capture('tablero', shots.tablero);
  } finally {
    await browser.close().catch(() => undefined);
    await demo.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  log(failures.length ? `done; skipped: ${failures.join(', ')}` : 'done');
}

function createShots(demo: RunningDemo, browser: Browser) {
  const api = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${demo.apiUrl}${url}`, {
      method, headers: { 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 160)}`);
    return { res, text, json: () => JSON.parse(text) as Record<string, any> };
  };
  let session: Record<string, unknown> | null = null;
  const login = async () => {
    if (session) return session;
    const { json } = await api('POST', '/api/v1/auth/login', {}, DEMO_LOGINS.clienteAdmin);
    const j = json();
    session = { token: j.access_token, expires_at: j.expires_at, user: j.user };
    return session;
  };
  const portalHeaders = () => ({ Authorization: `Bearer ${demo.seed.apiKey}`, 'Idempotency-Key': `shots-${crypto.randomUUID()}` });
  const device = (n: number) => ({ mac: `02:5C:00:00:00:${n.toString(16).padStart(2, '0').toUpperCase()}`, ip: `10.5.50.${100 + n}` });
  const customer = { nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678' };

  /** The panel with the company admin's session (or its login form filled, where the session is kept elsewhere). */
  async function panel(hash: string, size: typeof PHONE | typeof DESKTOP, ready: (page: Page) => Promise<unknown>): Promise<{ page: Page; context: BrowserContext }> {
    const s = await login();
    const context = await browser.newContext({ ...size, locale: 'es-MX', timezoneId: 'America/Mexico_City' });
    await context.addInitScript(([key, value]) => { (globalThis as any).sessionStorage.setItem(key, value); }, [SESSION_KEY, JSON.stringify(s)] as const);
    const page = await context.newPage();
    await page.goto(`${demo.panelUrl}#${hash}`);
    const email = page.locator('input[name="email"], input[type="email"]').first();
    const first = await Promise.race([ready(page).then(() => 'ready'), email.waitFor({ state: 'visible', timeout: 60_000 }).then(() => 'login')]);
    if (first === 'login' && !(await ready(page).then(() => true, () => false))) {
      await email.fill(DEMO_LOGINS.clienteAdmin.email);
      await page.locator('input[type="password"]').first().fill(DEMO_LOGINS.clienteAdmin.password);
      await page.keyboard.press('Enter');
      await page.goto(`${demo.panelUrl}#${hash}`);
      await ready(page);
    }
    await page.waitForTimeout(500); // fonts and transitions settle
    return { page, context };
  }

  return {
    /** Issue 23.1: a visit without a session, 1 s after the page loaded. */
    async panelColdVisit() {
      const context = await browser.newContext({ ...DESKTOP, locale: 'es-MX' });
      const page = await context.newPage();
      await page.goto(demo.panelUrl, { waitUntil: 'load' });
      await page.waitForTimeout(1000);
      await save('panel-login-1s-desktop.png', await page.screenshot());
      await context.close();
    },

    /** Issue 23.9: the vouchers' empty state on a phone (taken before any batch exists). */
    async fichasVacias() {
      const { page, context } = await panel('/lotes', PHONE, (p) => p.getByText(/Aún no hay fichas|No hay|Crear lote/).first().waitFor({ timeout: 60_000 }));
      await save('fichas-vacio-phone.png', await page.screenshot());
      await context.close();
    },

    /** A card sale, an OXXO reference and a SPEI transfer (where this checkout has them). */
    async makeSales() {
      const producto = demo.seed.productos[0]!.id;
      const ids: { tarjeta?: string; oxxo?: string; spei?: string } = {};
      const attempt = async (name: keyof typeof ids, url: string, body: Record<string, unknown>) => {
        try {
          ids[name] = (await api('POST', url, portalHeaders(), body)).json().transaccion_id as string;
        } catch (error) {
          log(`  (no ${name} sale: ${(error as Error).message.slice(0, 120)})`);
        }
      };
      await attempt('oxxo', '/api/v1/payments/pagar-efectivo', { producto_id: producto, metodo: 'oxxo', pasarela: 'conekta', ...customer });
      await attempt('spei', '/api/v1/payments/pagar-spei', { producto_id: producto, pasarela: 'conekta', ...customer, mac_cliente: device(3).mac });
      await attempt('tarjeta', '/api/v1/payments/pagar-conekta', {
        producto_id: producto, token_tarjeta: `tok_test_visa_4242_${crypto.randomBytes(6).toString('hex')}`, ...customer,
        mac_cliente: device(1).mac, ip_cliente: device(1).ip, conexion_automatica: true,
      });
      return ids;
    },

    /** Issue 23.5: the sales list telling card, OXXO and SPEI apart. */
    async ventas(sales: { tarjeta?: string }) {
      if (!sales.tarjeta) throw new Error('no sale to list');
      const { page, context } = await panel('/ventas', DESKTOP, (p) => p.getByText('Ana López').first().waitFor({ timeout: 60_000 }));
      await save('ventas-desktop.png', await page.screenshot());
      await context.close();
    },

    /** Issue 23.6: a sale's history on a phone (the viewport, not the whole page: the file stays small). */
    async historial(sales: { tarjeta?: string }) {
      if (!sales.tarjeta) throw new Error('no card sale');
      const hash = `/ventas/${encodeURIComponent(sales.tarjeta)}/show`;
      const { page, context } = await panel(hash, PHONE, (p) => p.getByText(/Historial|Eventos/i).first().waitFor({ timeout: 60_000 }));
      const events = page.getByTestId('eventos');
      if (await events.count()) await events.scrollIntoViewIfNeeded();
      else await page.getByText(/Historial|Eventos/i).first().scrollIntoViewIfNeeded();
      await save('venta-historial-phone.png', await page.screenshot());
      await context.close();
    },

    /** A printed voucher sheet's first page, as Chromium's PDF viewer shows it. */
    async fichaPdf() {
      const s = await login();
      const auth = { Authorization: `Bearer ${String(s.token)}` };
      const lote = (await api('POST', '/api/v1/admin/fichas/lotes', auth, {
        producto_id: demo.seed.productos[0]!.id, cantidad: 12, prefijo: 'HTX',
      })).json();
      const id = lote.id ?? lote.lote?.id;
      let pdf: Buffer | null = null;
      for (let i = 0; i < 60 && !pdf; i++) {
        const res = await fetch(`${demo.apiUrl}/api/v1/admin/fichas/lotes/${id}/pdf`, { headers: auth });
        if (res.status === 200 && (res.headers.get('content-type') ?? '').includes('pdf')) pdf = Buffer.from(await res.arrayBuffer());
        else await new Promise((r) => setTimeout(r, 500));
      }
      if (!pdf) throw new Error('the sheet was not ready');
      const file = path.join(os.tmpdir(), `pagos-fichas-${process.pid}.pdf`);
      fs.writeFileSync(file, pdf);
      const context = await browser.newContext({ viewport: { width: 1024, height: 1400 } });
      try {
        const page = await context.newPage();
        await page.goto(`file://${file}#toolbar=0&view=FitH`);
        await page.waitForTimeout(2500);
        const png = await page.screenshot();
        const stats = await sharp(png).stats();
        if (stats.channels.every((c) => c.stdev < 2)) throw new Error('Chromium showed no PDF here (headless without a PDF viewer)');
        await save('fichas-pdf-desktop.png', png);
      } finally {
        await context.close();
        fs.rmSync(file, { force: true });
      }
    },

    /** Issue 24.4: the dashboard with the trials started (two phones take the router's trial; the job reads them). */
    async tablero() {
      const conteo = (demo.web.container as unknown as { pruebasConteo?: { leer(): Promise<unknown> } }).pruebasConteo;
      if (!conteo) throw new Error('this checkout does not count trials');
      demo.sim.state.loginTrial({ ip: '10.5.50.201', mac: '02:5C:00:00:01:01' });
      demo.sim.state.loginTrial({ ip: '10.5.50.202', mac: '02:5C:00:00:01:02' });
      await conteo.leer();
      const { page, context } = await panel('/', DESKTOP, (p) => p.getByTestId('pruebas-iniciadas').waitFor({ timeout: 60_000 }));
      await save('tablero-desktop.png', await page.screenshot());
      await context.close();
    },

    /** Issue 24: the portal's "Probar gratis N minutos" button and its SPEI screen, on a phone. */
    async portal() {
      const { empresaId, routerId } = demo.seed;
      await demo.web.container.routers.update(empresaId, routerId, { prueba: { activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M/1M' } } as never);
      const context = await browser.newContext({ ...PHONE, locale: 'es-MX' });
      try {
        const page = await context.newPage();
        const d = device(9);
        await page.goto(`${demo.portal.url}/login?mac=${encodeURIComponent(d.mac)}&ip=${d.ip}&dst=${encodeURIComponent('http://example.com/')}`);
        await page.locator('#plan-list .plan').first().waitFor({ state: 'visible', timeout: 30_000 });
        const trial = page.locator('#trial-box');
        await trial.waitFor({ state: 'visible', timeout: 10_000 });
        await trial.scrollIntoViewIfNeeded();
        await save('portal-prueba-phone.png', await page.screenshot());

        await page.locator('#plan-list .plan', { hasText: '1 hora' }).click();
        await page.locator('#spei-button').waitFor({ state: 'visible', timeout: 10_000 });
        await page.fill('#nombre', customer.nombre_cliente);
        await page.fill('#email', customer.email_cliente);
        await page.fill('#telefono', '55 1234 5678');
        await page.click('#spei-button');
        await page.locator('#cash-result').waitFor({ state: 'visible', timeout: 20_000 });
        await page.locator('#spei-trial-button').waitFor({ state: 'visible', timeout: 10_000 });
        await page.locator('#cash-result').scrollIntoViewIfNeeded();
        await save('portal-spei-phone.png', await page.screenshot({ fullPage: true }));
      } finally {
        await context.close();
      }
    },
  };
}

main().then(() => process.exit(0), (error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
