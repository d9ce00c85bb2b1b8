/**
 * A real FreeRADIUS for a test file: the project's configuration
 * (src/integrations/radius/config.ts) rendered for the current test scope's
 * schema (its FreeRADIUS tables: radiusSchemaFor) into a temp dir, started in
 * the foreground on free UDP ports of 127.0.0.1, and ready when it says so.
 * Routers are distinct 127.0.0.x source addresses (test/support/radius-packet.ts).
 *
 *   const radius = await startRadius();
 *   await radius.addClient({ routerId: 'RTR_0000000A', address: '127.0.0.5', secret: 's' });
 *   const reply = await radius.auth({ from: '127.0.0.5', secret: 's', user: 'ana', password: 'pw', chap: true });
 *   await radius.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { FREERADIUS_BINARY, radiusEnvironment, renderRadiusConfig } from '../../src/integrations/radius/config';
import { radiusSchemaFor } from '../../src/platform/db/radius-schema';
import { TEST_ENV } from './env';
import { adminKnex, currentScope } from './scope';
import { accessRequest, accountingRequest, type Attributes, type RadiusReply, ACCT_STATUS } from './radius-packet';

export { accessRequest, accountingRequest, type RadiusReply, type Attributes } from './radius-packet';

export function freeradiusInstalled(): boolean {
  return fs.existsSync(FREERADIUS_BINARY);
}

export interface RadiusServer {
  authPort: number;
  acctPort: number;
  /** The FreeRADIUS schema of this test file. */
  schema: string;
  /** The RADIUS secret FreeRADIUS holds for a router (its nas row), or null. */
  secretFor(routerId: string): Promise<string | null>;
  /** A nas row written by hand (what a heartbeat does): router `routerId` at `address`. */
  addClient(client: { routerId: string; address: string; secret: string }): Promise<void>;
  /** Access-Request to this server (PAP, or CHAP with chap: true). */
  auth(request: { from: string; secret: string; user: string; password: string; chap?: boolean; attributes?: Attributes; timeoutMs?: number }): Promise<RadiusReply | null>;
  /** Accounting-Request to this server. */
  acct(request: {
    from: string;
    secret: string;
    status: keyof typeof ACCT_STATUS;
    user: string;
    sessionId: string;
    attributes?: Attributes;
    timeoutMs?: number;
  }): Promise<RadiusReply | null>;
  /** FreeRADIUS's own log so far (stdout and stderr). */
  log(): string;
  /** A knex on this file's FreeRADIUS schema (closed by close()). */
  db: Knex;
  close(): Promise<void>;
}

/** Two distinct free UDP ports on 127.0.0.1 (held briefly; FreeRADIUS binds them right after). */
async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<dgram.Socket>((resolve, reject) => {
        const s = dgram.createSocket('udp4');
        s.once('error', reject);
        s.bind(0, '127.0.0.1', () => resolve(s));
      }),
    ),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

export interface StartRadiusOptions {
  /** Seconds a client read from nas stays cached (default 3: a heartbeat's address served within 5 s). */
  clientLifetimeSeconds?: number;
  /** FreeRADIUS's reject_delay (default 0 in tests). */
  rejectDelaySeconds?: number;
  /** How long to wait for "Ready to process requests" (default 45 s; give the calling hook more: `this.timeout(60_000)`). */
  startTimeoutMs?: number;
  /** Schema of the FreeRADIUS tables (default: this test file's). */
  schema?: string;
}

/**
 * FreeRADIUS children still running: killed when this process exits, so a hook
 * that timed out while one was starting (its `after` never got the server to
 * close) leaves no FreeRADIUS behind.
 */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function startOnce(options: StartRadiusOptions): Promise<RadiusServer> {
  const schema = options.schema ?? radiusSchemaFor(currentScope().schema);
  const [authPort, acctPort] = (await freeUdpPorts(2)) as [number, number];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-radius-'));
  renderRadiusConfig({
    dir,
    databaseUrl: TEST_ENV.DATABASE_URL!,
    schema,
    authPort,
    acctPort,
    bind: '127.0.0.1',
    clientLifetimeSeconds: options.clientLifetimeSeconds ?? 3,
    rejectDelaySeconds: options.rejectDelaySeconds ?? 0,
    poolSize: 2,
  });
  let output = '';
  const child: ChildProcess = spawn(FREERADIUS_BINARY, ['-f', '-l', 'stdout', '-d', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: radiusEnvironment(TEST_ENV.DATABASE_URL!),
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const ready = await new Promise<boolean>((resolve) => {
    const deadline = setTimeout(() => resolve(false), options.startTimeoutMs ?? 45_000);
    const check = (): void => {
      if (/Ready to process requests/.test(output)) {
        clearTimeout(deadline);
        resolve(true);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then(() => {
      clearTimeout(deadline);
      resolve(/Ready to process requests/.test(output));
    });
  });
  if (!ready) {
    await stop();
    const error = new Error(`FreeRADIUS did not start:\n${output.split('\n').slice(-15).join('\n')}`);
    (error as Error & { portClash?: boolean }).portClash = /Address already in use|Failed binding/.test(output);
    throw error;
  }
  const db = adminKnex(TEST_ENV.DATABASE_URL);
  const nas = (): Knex.QueryBuilder => db.withSchema(schema).table('nas');
  return {
    authPort,
    acctPort,
    schema,
    db,
    async secretFor(routerId) {
      const row = (await nas().where({ shortname: routerId }).first('secret')) as { secret: string } | undefined;
      return row?.secret ?? null;
    },
    async addClient({ routerId, address, secret }) {
      await nas().insert({ nasname: address, shortname: routerId, secret }).onConflict('shortname').merge();
    },
    auth: (request) => accessRequest({ port: authPort, ...request }),
    acct: (request) => accountingRequest({ port: acctPort, ...request }),
    log: () => output,
    async close() {
      await stop();
      await db.destroy();
    },
  };
}

/** Starts FreeRADIUS for the current test file (a second try on other ports if the first ones were taken meanwhile). */
export async function startRadius(options: StartRadiusOptions = {}): Promise<RadiusServer> {
  try {
    return await startOnce(options);
  } catch (error) {
    if ((error as { portClash?: boolean }).portClash) return startOnce(options);
    throw error;
  }
}
