/** Shared fixtures for the MikroTik client and RouterOS simulator tests. */
import net from 'node:net';
import tls from 'node:tls';
import { expect } from 'chai';
import { createMikrotikPool, type MikrotikPool, type MikrotikPoolOptions, type RouterTarget } from '../../../src/integrations/mikrotik';
import {
  encodeSentence, SentenceDecoder, startRouterOsSimulator, type RouterOsSimulator, type RouterOsSimulatorOptions,
} from '../../../sim/routeros';
import { eventually as pollUntil } from '../../support/eventually';

export const PASSWORD = 'Sup3r-s3cret!pw';

export function target(sim: RouterOsSimulator, overrides: Partial<RouterTarget> = {}): RouterTarget {
  return {
    id: `RTR_${sim.port}`,
    host: sim.host,
    port: sim.port,
    username: sim.username,
    password: sim.password,
    tls: sim.tls,
    tlsInsecure: sim.tls,
    ...overrides,
  };
}

/**
 * Timeouts for the tests that do not measure them: short enough to fail fast,
 * long enough for a TLS handshake on a busy 2-core machine running test files
 * in parallel (400 ms was not, and a stall once took 2 s). Fault tests that
 * time something set their own.
 */
export const FAST: MikrotikPoolOptions = {
  connectTimeoutMs: 5000,
  commandTimeoutMs: 5000,
  maxConcurrentPerRouter: 4,
  breakerFailureThreshold: 3,
  breakerCooldownMs: 60_000,
};

/** Tracks simulators and pools so afterEach can close them all. */
export class Fixtures {
  private readonly sims: RouterOsSimulator[] = [];
  private readonly pools: MikrotikPool[] = [];

  async sim(options: RouterOsSimulatorOptions = {}): Promise<RouterOsSimulator> {
    const sim = await startRouterOsSimulator({
      password: PASSWORD,
      profiles: [
        { name: '1h', 'session-timeout': '1h', 'rate-limit': '2M/2M', 'shared-users': '1' },
        { name: '1d', 'session-timeout': '1d', 'idle-timeout': '10m', 'shared-users': '2', 'address-list': 'pagados', 'mac-cookie-timeout': '1d' },
      ],
      ...options,
    });
    this.sims.push(sim);
    return sim;
  }

  pool(options: MikrotikPoolOptions = {}): MikrotikPool {
    const pool = createMikrotikPool({ ...FAST, ...options });
    this.pools.push(pool);
    return pool;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((p) => p.close()));
    await Promise.all(this.sims.splice(0).map((s) => s.close()));
  }
}

/** Awaits a rejection and checks its class; returns the error for further checks. */
export async function rejectsWith<T extends Error>(promise: Promise<unknown>, cls: abstract new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (err) {
    expect(err, `expected ${cls.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`).to.be.instanceOf(cls);
    return err as T;
  }
  throw new Error(`expected a ${cls.name} rejection, but the promise resolved`);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = process.hrtime.bigint();
  try {
    const value = await fn();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
  } catch (error) {
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, error };
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the in-process simulator's state until `check` holds (or fails the test after `ms`). */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  await pollUntil(check, { ms, every: 5 });
}

/**
 * A bare protocol client (no node-routeros) to check the simulator's wire
 * behaviour: what exactly it sends, tags included.
 */
export class RawClient {
  private readonly decoder = new SentenceDecoder();
  private readonly received: string[][] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(...this.decoder.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(sim: RouterOsSimulator): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket: net.Socket = sim.tls
        ? tls.connect({ host: sim.host, port: sim.port, rejectUnauthorized: false, ciphers: 'HIGH:@SECLEVEL=0' }, () => resolve(new RawClient(socket)))
        : net.connect({ host: sim.host, port: sim.port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(words: string[]): void {
    this.socket.write(encodeSentence(words));
  }

  /** Writes raw bytes, e.g. a sentence cut into odd chunks. */
  sendBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async next(timeoutMs = 1000): Promise<string[]> {
    const until = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = until - Date.now();
      if (left <= 0) throw new Error('no sentence in time');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    return this.received.shift()!;
  }

  /** Sentences up to and including the `!done` (or a `!fatal`). */
  async untilDone(timeoutMs = 1000): Promise<string[][]> {
    const out: string[][] = [];
    for (;;) {
      const s = await this.next(timeoutMs);
      out.push(s);
      if (s[0] === '!done' || s[0] === '!fatal') return out;
    }
  }

  async login(username: string, password: string): Promise<void> {
    this.send(['/login', `=name=${username}`, `=password=${password}`]);
    const reply = await this.untilDone();
    expect(reply.map((s) => s[0])).to.deep.equal(['!done']);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Fails the test if anything reaches 'uncaughtException' or 'unhandledRejection' while `fn` runs. */
export async function withoutUncaught<T>(fn: () => Promise<T>): Promise<T> {
  const seen: unknown[] = [];
  const onError = (err: unknown) => { seen.push(err); };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    const result = await fn();
    await sleep(20); // let late socket events land
    expect(seen, `uncaught: ${seen.map(String).join('; ')}`).to.deep.equal([]);
    return result;
  } finally {
    process.removeListener('uncaughtException', onError);
    process.removeListener('unhandledRejection', onError);
  }
}
