/**
 * What the browser tests share: Debian's Chromium driven by playwright-core
 * (nothing downloaded), the demo stack on this test file's own database
 * and Redis prefix (test/support/scope.ts), and what a phone does on
 * the captive portal.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../scripts/demo';
import { TEST_ENV, TEST_REDIS_URL } from './env';

export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps trying hosts this machine cannot reach. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Fails the suite (never skips it: a skipped browser suite is a green run that tested nothing) on a machine without Debian's Chromium. */
export function requireChromium(what: string, path = CHROMIUM): void {
  if (fs.existsSync(path)) return;
  throw new Error(`${path} is not installed (apt-get install chromium): ${what} needs Debian's Chromium`);
}

/** A temporary folder removed by `removeTempDirs`. */
const tempDirs: string[] = [];
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Two UDP ports free on 127.0.0.1 right now (the demo's FreeRADIUS binds them just after). */
async function freeUdpPorts(): Promise<[number, number]> {
  const sockets = await Promise.all([0, 1].map(() => new Promise<dgram.Socket>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = sockets.map((s) => s.address().port) as [number, number];
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/**
 * The demo (API, worker, sandboxes, simulator, portal, and FreeRADIUS when
 * installed) on this file's schema and Redis prefix; FreeRADIUS on free ports,
 * never the machine's 1812/1813 that other runs may hold.
 */
export async function startTestDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const [radiusAuth, radiusAcct] = await freeUdpPorts();
  return startDemo({
    databaseUrl: TEST_ENV.DATABASE_URL!,
    redisUrl: TEST_REDIS_URL,
    apiPort: 0,
    portalPort: 0,
    dataDir: tempDir('pagos-demo-'),
    privateServices: false,
    schedules: false,
    log: () => undefined,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: TEST_ENV.LOG_LEVEL!,
      BCRYPT_ROUNDS: '4',
      ENCRYPTION_KEY_MERCADO_PAGO: TEST_ENV.ENCRYPTION_KEY_MERCADO_PAGO!,
      DATABASE_SCHEMA: TEST_ENV.DATABASE_SCHEMA!,
      REDIS_KEY_PREFIX: TEST_ENV.REDIS_KEY_PREFIX!,
      RADIUS_AUTH_PORT: String(radiusAuth),
      RADIUS_ACCT_PORT: String(radiusAcct),
      ...env,
    },
  });
}

/** A phone: a fresh Chromium profile (a new empty --user-data-dir) at phone size, in Mexican Spanish. */
export function launchPhone(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('pagos-chromium-'), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS,
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'es-MX',
  });
}

/**
 * For a captive-portal suite (call it inside the describe): before its tests,
 * the demo and one phone (launchPhone), or the suite failed without Chromium;
 * after them, the phone closed, the demo stopped, the temporary folders removed.
 */
export function demoWithPhone(what: string): { demo: () => RunningDemo; phone: () => BrowserContext } {
  let demo: RunningDemo | undefined;
  let phone: BrowserContext | undefined;
  before(async function () {
    requireChromium(what);
    demo = await startTestDemo();
    phone = await launchPhone();
  });
  after(async function () {
    this.timeout(30_000);
    await phone?.close().catch(() => undefined);
    await demo?.stop();
    removeTempDirs();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is only there while the suite's tests run`);
    return value;
  };
  return { demo: () => started(demo, 'the demo'), phone: () => started(phone, 'the phone') };
}

export { eventually } from './eventually';

/** A random locally administered MAC address, as the hotspot reports it (upper case). */
export function randomMac(): string {
  return `02:${crypto.randomBytes(5).toString('hex').toUpperCase().match(/../g)!.join(':')}`;
}

/** A phone on the hotspot's network: a fresh one per call, so rate limits left in Redis by earlier runs do not matter. */
export interface PhoneDevice { mac: string; ip: string }
export function newPhoneDevice(): PhoneDevice {
  return { mac: randomMac(), ip: `10.5.${50 + crypto.randomInt(50)}.${10 + crypto.randomInt(200)}` };
}

/** The portal's login page as the hotspot sends `device` to it; `dst` is where the phone was going. */
export function portalLoginUrl(demo: RunningDemo, device: PhoneDevice, dst?: string): string {
  const url = `${demo.portal.url}/login?mac=${encodeURIComponent(device.mac)}&ip=${device.ip}`;
  return dst === undefined ? url : `${url}&dst=${encodeURIComponent(dst)}`;
}

/** A card expiry (MM/YY) the sandboxes accept: December, three years from now. */
export const CARD_EXPIRY = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`;

/** The customer fields of the checkout (the Mercado Pago sandbox decides by the first name). */
export async function fillCustomer(page: Page, nombre = 'Ana López'): Promise<void> {
  await page.fill('#nombre', nombre);
  await page.fill('#email', 'ana@example.com');
  await page.fill('#telefono', '55 1234 5678');
}

/** Chooses `plan`, fills the customer and the card (expiry CARD_EXPIRY, CVC 123) and presses the pay button. */
export async function payByCard(page: Page, plan: string, cardNumber: string, options: { gateway?: 'Conekta' | 'Mercado Pago'; nombre?: string } = {}): Promise<void> {
  await page.locator('#plan-list .plan', { hasText: plan }).click();
  await page.locator('#checkout').waitFor({ state: 'visible' });
  if (options.gateway) await page.locator('label.gateway', { hasText: options.gateway }).click();
  await fillCustomer(page, options.nombre);
  await page.fill('#card-number', cardNumber);
  await page.fill('#card-exp', CARD_EXPIRY);
  await page.fill('#card-cvc', '123');
  await page.click('#pay-button');
}
