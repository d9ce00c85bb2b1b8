/**
 * Benchmark (issue 23 item 1): how long a cold visit to the panel takes to
 * show a usable login form.
 *
 *   npx tsx bench/panel-cold.ts [--visits 20] [--route '#/ventas']
 *
 * The web app (src/app.ts, as `npm start` builds it) serves /panel/ from
 * panel/dist (`npm run build` first; built here when missing) on a free port.
 * Each visit is a new headless Chromium context (no cache, no storage: a new
 * tab without a session) opening /panel/ (and the deep link `--route`). In the
 * page, a MutationObserver installed before any script notes performance.now()
 * (milliseconds since the navigation started) when the e-mail field of the
 * login form is in the document and enabled; the navigations the page makes
 * (history push/replace) are counted too. Reported per route: p50/p95/max of
 * time-to-login-form, of DOMContentLoaded and of load, and the most
 * navigations seen. Nothing is asserted: speed lives here, not in the tests.
 * A cold visit queries nothing (no session, no API call), so no database is
 * touched; BENCH_DATABASE_URL / BENCH_REDIS_URL only configure the app.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { createContainer } from '../src/container';
import { createApp } from '../src/app';
import { CHROMIUM, CHROMIUM_FLAGS, requireChromium } from '../test/support/browser';
import { ROOT, benchConfig, fmt, line, numberArg, parseArgs, percentile, printMachine } from './lib/common';

/** Runs in the page before its own scripts: when the login form is usable, and how many navigations it took. */
const PROBE = `(() => {
  window.__panelCold = { form: null, navigations: 0 };
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method].bind(history);
    history[method] = (...args) => { window.__panelCold.navigations += 1; return original(...args); };
  }
  const check = () => {
    if (window.__panelCold.form !== null) return;
    const input = document.querySelector('input[name="email"]');
    if (input && !input.disabled && input.getBoundingClientRect().height > 0) window.__panelCold.form = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
})();`;

interface Visit { form: number; domContentLoaded: number; load: number; navigations: number }

async function main() {
  const args = parseArgs();
  const visits = numberArg(args, 'visits', 20);
  const routes = ['', args.get('route') ?? '#/ventas'];
  requireChromium('bench/panel-cold');
  if (!fs.existsSync(path.join(ROOT, 'panel', 'dist', 'index.html'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  printMachine('Panel: cold visit to a usable login form');

  const container = createContainer(benchConfig(), { processName: 'bench-panel' });
  const server = http.createServer(createApp(container).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    // One visit first, not counted: Chromium's own first start (its profile, fonts) is not the panel's.
    for (const route of routes) {
      const results: Visit[] = [];
      for (let i = 0; i <= visits; i += 1) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
        const page = await context.newPage();
        await page.addInitScript(PROBE);
        await page.goto(`http://127.0.0.1:${port}/panel/${route}`, { waitUntil: 'load' });
        await page.waitForFunction('window.__panelCold && window.__panelCold.form !== null', undefined, { timeout: 60_000, polling: 50 });
        const visit = await page.evaluate<Visit>(`(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return { form: window.__panelCold.form, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, navigations: window.__panelCold.navigations };
        })()`);
        if (i > 0) results.push(visit);
        await context.close();
      }
      const stat = (pick: (v: Visit) => number) => {
        const values = results.map(pick);
        return `p50 ${fmt(percentile(values, 50), 0)} ms  p95 ${fmt(percentile(values, 95), 0)} ms  max ${fmt(Math.max(...values), 0)} ms`;
      };
      line();
      console.log(`/panel/${route}  (${results.length} cold visits)`);
      console.log(`  login form usable : ${stat((v) => v.form)}`);
      console.log(`  DOMContentLoaded  : ${stat((v) => v.domContentLoaded)}`);
      console.log(`  load              : ${stat((v) => v.load)}`);
      console.log(`  navigations       : at most ${Math.max(...results.map((v) => v.navigations))}`);
    }
    line();
  } finally {
    await browser.close().catch(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await container.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
