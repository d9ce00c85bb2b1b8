/**
 * FreeRADIUS as a child process in the foreground (`freeradius -f -d DIR`), on
 * the configuration rendered from our settings: the `radius` Procfile process
 * (src/radius.ts) and `npm run demo` start it this way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../platform/config';
import { radiusSchemaFor } from '../../platform/db/radius-schema';
import { FREERADIUS_BINARY, STOCK_RADDB, radiusEnvironment, renderRadiusConfig } from './config';

export function freeradiusInstalled(): boolean {
  return fs.existsSync(FREERADIUS_BINARY) && fs.existsSync(path.join(STOCK_RADDB, 'mods-config/sql/main/postgresql/queries.conf'));
}

export const INSTALL_HINT = 'apt-get install freeradius freeradius-postgresql freeradius-utils (Debian/Ubuntu)';

export interface RunningRadius {
  child: ChildProcess;
  dir: string;
  /** Resolves when "Ready to process requests" is logged; rejects if it exits first or after timeoutMs. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

export interface StartRadiusProcessOptions {
  /** Where to render the configuration (default: a new temp dir, removed at stop). */
  dir?: string;
  /** Every line FreeRADIUS logs (default: its output goes to ours). */
  onLine?: (line: string) => void;
  clientLifetimeSeconds?: number;
  rejectDelaySeconds?: number;
}

export function startRadiusProcess(config: Config, options: StartRadiusProcessOptions = {}): RunningRadius {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-radius-'));
  renderRadiusConfig({
    dir,
    databaseUrl: config.radius.databaseUrl,
    schema: radiusSchemaFor(config.database.schema),
    authPort: config.radius.authPort,
    acctPort: config.radius.acctPort,
    bind: config.radius.bind,
    ...(options.clientLifetimeSeconds !== undefined ? { clientLifetimeSeconds: options.clientLifetimeSeconds } : {}),
    ...(options.rejectDelaySeconds !== undefined ? { rejectDelaySeconds: options.rejectDelaySeconds } : {}),
  });
  const child = spawn(FREERADIUS_BINARY, ['-f', '-l', 'stdout', '-d', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: radiusEnvironment(config.radius.databaseUrl),
  });
  let readyResolve: (() => void) | undefined;
  let isReady = false;
  let pending = '';
  const onChunk = (chunk: Buffer): void => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (options.onLine) options.onLine(line);
      else process.stdout.write(`${line}\n`);
      if (!isReady && /Ready to process requests/.test(line)) {
        isReady = true;
        readyResolve?.();
      }
    }
  };
  child.stdout!.on('data', onChunk);
  child.stderr!.on('data', onChunk);
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      resolve(code ?? signal);
    });
  });
  return {
    child,
    dir,
    exited,
    ready: (timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        if (isReady) return resolve();
        const timer = setTimeout(() => reject(new Error('FreeRADIUS no quedó listo a tiempo')), timeoutMs);
        readyResolve = () => {
          clearTimeout(timer);
          resolve();
        };
        void exited.then((code) => {
          clearTimeout(timer);
          if (!isReady) reject(new Error(`FreeRADIUS terminó al iniciar (código ${String(code)})`));
        });
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
