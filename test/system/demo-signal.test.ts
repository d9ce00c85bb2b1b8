/**
 * Ctrl-C to `npm run demo` stops everything even when the signal reaches only
 * npm's process (issue 23, item 10): npm → sh → tsx → the demo; SIGINT sent to
 * npm alone must still end every process below it and free the demo's ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../../scripts/demo';
import { TEST_ENV, TEST_REDIS_URL } from '../support/env';

/** Every process below `root` (Linux /proc). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone meanwhile */ }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) if (parent === pid) { out.push(child); walk(child); }
  };
  walk(root);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
};

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

describe('npm run demo: a signal to npm alone stops everything', function () {
  this.timeout(240_000);
  let npm: ChildProcess | undefined;
  let dataDir = '';
  after(() => {
    // Whatever happened, nothing of ours keeps running.
    if (npm?.pid) { try { process.kill(-npm.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGINT to npm\'s process: the demo (tsx and node below it) stops and its ports are freed', async function () {
    if (process.platform !== 'linux') this.skip();
    const apiPort = 27000 + crypto.randomInt(0, 900) * 1;
    const portalPort = apiPort + 50;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-demo-signal-'));
    npm = spawn('npm', ['run', 'demo'], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        // This file's own database (a fresh clone: nothing sealed with another run's demo key) and ports of its own.
        ...process.env, DEMO_DATABASE_URL: TEST_ENV.DATABASE_URL!, DEMO_REDIS_URL: TEST_REDIS_URL, DEMO_REDIS_KEY_PREFIX: TEST_ENV.REDIS_KEY_PREFIX!, DEMO_PORT: String(apiPort),
        DEMO_PORTAL_PORT: String(portalPort), DEMO_RADIUS_PORTAL_PORT: String(portalPort + 1),
        DEMO_RADIUS_AUTH_PORT: String(portalPort + 2), DEMO_RADIUS_ACCT_PORT: String(portalPort + 3),
        DEMO_DATA_DIR: dataDir, DEMO_LOG_LEVEL: 'silent',
      },
    });
    let output = '';
    npm.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    npm.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    const deadline = Date.now() + 200_000;
    while (!/ready in/.test(output)) {
      if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`the demo did not start:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const below = descendants(npm.pid!);
    expect(below.length, 'sh, tsx and node below npm').to.be.at.least(2);
    expect(await listening(apiPort)).to.equal(true);

    process.kill(npm.pid!, 'SIGINT'); // npm alone, not its process group
    const stopBy = Date.now() + 30_000;
    while (below.some(alive) || (await listening(apiPort))) {
      if (Date.now() > stopBy) throw new Error(`still running 30 s after SIGINT to npm: ${below.filter(alive).join(', ')}\n${output.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await listening(portalPort)).to.equal(false);
  });
});
