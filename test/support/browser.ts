/**
 * What the browser tests share: Debian's Chromium driven by playwright-core
 * (nothing downloaded), and the demo stack on this test file's own database
 * schema and Redis prefix (test/support/scope.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../scripts/demo';
import { TEST_DATABASE_URL, TEST_ENV, TEST_REDIS_URL } from './env';

export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps trying hosts this machine cannot reach. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Skips the suite (with a message) on a machine without Debian's Chromium. */
export function skipWithoutChromium(ctx: Mocha.Context, what: string): void {
  if (fs.existsSync(CHROMIUM)) return;
  console.log(`      skipped: ${CHROMIUM} is not installed (apt-get install chromium); ${what} needs Debian's Chromium`);
  ctx.skip();
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

/** The demo (API, worker, sandboxes, simulator, portal) on this file's schema and Redis prefix. */
export function startTestDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  return startDemo({
    databaseUrl: TEST_DATABASE_URL,
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
