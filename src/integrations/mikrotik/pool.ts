/**
 * Per-router connection handling for one process:
 * - one reused connection per router, reconnected on demand after it drops;
 * - at most `maxConcurrentPerRouter` commands in flight per router; the rest
 *   queue, and the queue wait counts against the command timeout;
 * - a circuit breaker per router, so a dead router fails fast instead of
 *   costing a connect timeout per call.
 * Nothing is shared between routers (no global lock or queue): a slow or dead
 * router never delays the others. State is per process by design; guarantees
 * across processes live in PostgreSQL/Redis.
 */
import { createHash } from 'node:crypto';
import { CircuitBreaker, type BreakerState, type BreakerTicket } from './circuit-breaker';
import { RouterConnection, type ConnectionSettings } from './connection';
import {
  isConnectionFailure, RouterCircuitOpenError, RouterTimeoutError, RouterTrapError, RouterUnreachableError,
} from './errors';
import { Semaphore } from './semaphore';
import type { RosRow, RouterTarget } from './types';

/** pino-compatible subset. */
export interface PoolLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
}

export interface MikrotikPoolOptions {
  /** TCP connect + TLS + login. Default 5000. */
  connectTimeoutMs?: number;
  /** Queue wait + command round trip (connecting is bounded separately). Default 10000. */
  commandTimeoutMs?: number;
  /** An unused connection is closed after this long. Default 60000. */
  idleTimeoutMs?: number;
  /** Commands in flight per router. Default 4. */
  maxConcurrentPerRouter?: number;
  /** Of those, how many background commands (voucher jobs) may hold. Default half, at least 1. */
  maxBackgroundPerRouter?: number;
  /** Consecutive failed operations (connect, login, timeout) that open the circuit. Default 3. */
  breakerFailureThreshold?: number;
  /** How long an open circuit fails fast before one trial. Default 30000. */
  breakerCooldownMs?: number;
  /** Extra CA certificates trusted for API-SSL routers verified normally. */
  tlsCa?: ConnectionSettings['tlsCa'];
  /** Resolves and checks a router's host before every connect (ConnectionSettings.resolveAddress). */
  resolveAddress?: ConnectionSettings['resolveAddress'];
  logger?: PoolLogger;
}

export interface RunOptions {
  /** Overrides commandTimeoutMs for this command. */
  timeoutMs?: number;
  /** Try even if the circuit is open (an operator's explicit "test connection"); the outcome still counts. */
  bypassBreaker?: boolean;
  /**
   * Background work (voucher jobs): holds at most `maxBackgroundPerRouter` of
   * the router's slots and waits behind every foreground command (a paid sale).
   */
  background?: boolean;
}

export interface RouterPoolStats {
  routerId: string;
  connected: boolean;
  inFlight: number;
  queued: number;
  breaker: BreakerState;
  consecutiveFailures: number;
}

export interface MikrotikPool {
  /** Runs one RouterOS command (words as for node-routeros) on the router's pooled connection. */
  run(target: RouterTarget, words: readonly string[], options?: RunOptions): Promise<RosRow[]>;
  stats(): RouterPoolStats[];
  /** Drops a router's connection and breaker state (router deleted or reconfigured). */
  forget(routerId: string): void;
  /** Closes every connection and rejects every queued command. */
  close(): Promise<void>;
}

function fingerprint(t: RouterTarget): string {
  // Credentials or address changed => a different connection (and a fresh breaker).
  return createHash('sha256')
    .update(JSON.stringify([t.host, t.port, t.username, t.password, Boolean(t.tls), Boolean(t.tlsInsecure)]))
    .digest('hex');
}

class RouterSlot {
  readonly semaphore: Semaphore;
  readonly breaker: CircuitBreaker;
  private conn?: RouterConnection;
  private connecting?: Promise<RouterConnection>;
  private retired = false;

  constructor(
    readonly target: RouterTarget,
    readonly fingerprint: string,
    private readonly settings: ConnectionSettings,
    private readonly signal: AbortSignal,
    maxConcurrent: number,
    maxBackground: number,
    breakerOptions: { failureThreshold: number; cooldownMs: number },
    logger: PoolLogger | undefined,
  ) {
    this.semaphore = new Semaphore(maxConcurrent, maxBackground);
    this.breaker = new CircuitBreaker({
      ...breakerOptions,
      onStateChange: (state, failures) => {
        const fields = { router_id: target.id, breaker: state, consecutive_failures: failures };
        if (state === 'open') logger?.warn(fields, 'router circuit breaker open');
        else logger?.info(fields, `router circuit breaker ${state}`);
      },
    });
  }

  get connected(): boolean {
    return Boolean(this.conn?.isAlive);
  }

  /** The live connection, or a new one; concurrent callers share one connect attempt. */
  connection(): Promise<RouterConnection> {
    if (this.conn?.isAlive) return Promise.resolve(this.conn);
    if (this.retired) return Promise.reject(new RouterUnreachableError('cliente MikroTik cerrado', { routerId: this.target.id }));
    this.connecting ??= RouterConnection.open(this.target, this.settings, this.signal).then(
      (conn) => {
        this.connecting = undefined;
        if (this.retired) {
          conn.destroy();
          throw new RouterUnreachableError('cliente MikroTik cerrado', { routerId: this.target.id });
        }
        this.conn = conn;
        conn.onDeath(() => { if (this.conn === conn) this.conn = undefined; });
        return conn;
      },
      (err: unknown) => {
        this.connecting = undefined;
        throw err;
      },
    );
    return this.connecting;
  }

  /** No new work; the connection closes now, failing whatever still waits on it. */
  retire(reason = 'cliente MikroTik cerrado'): void {
    this.retired = true;
    const err = new RouterUnreachableError(reason, { routerId: this.target.id });
    this.semaphore.rejectAll(err);
    this.conn?.destroy(new RouterUnreachableError(reason, { routerId: this.target.id, mayHaveApplied: true }));
    this.conn = undefined;
  }
}

export function createMikrotikPool(options: MikrotikPoolOptions = {}): MikrotikPool {
  const commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
  const maxConcurrent = options.maxConcurrentPerRouter ?? 4;
  const maxBackground = options.maxBackgroundPerRouter ?? Math.max(1, Math.floor(maxConcurrent / 2));
  const breakerOptions = {
    failureThreshold: options.breakerFailureThreshold ?? 3,
    cooldownMs: options.breakerCooldownMs ?? 30_000,
  };
  const settings: ConnectionSettings = {
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    tlsCa: options.tlsCa,
    resolveAddress: options.resolveAddress,
  };
  const slots = new Map<string, RouterSlot>();
  const lifetime = new AbortController();
  let closed = false;

  function slotFor(target: RouterTarget): RouterSlot {
    const fp = fingerprint(target);
    const existing = slots.get(target.id);
    if (existing && existing.fingerprint === fp) return existing;
    // Reconfigured router (new address or credentials): start over with it.
    existing?.retire('la configuración del router cambió');
    const slot = new RouterSlot({ ...target }, fp, settings, lifetime.signal, maxConcurrent, maxBackground, breakerOptions, options.logger);
    slots.set(target.id, slot);
    return slot;
  }

  const circuitOpen = (slot: RouterSlot) => new RouterCircuitOpenError(slot.breaker.retryAfterMs(), { routerId: slot.target.id });

  async function run(target: RouterTarget, words: readonly string[], runOptions: RunOptions = {}): Promise<RosRow[]> {
    if (closed) throw new RouterUnreachableError('cliente MikroTik cerrado', { routerId: target.id });
    const slot = slotFor(target);
    let deadline = Date.now() + (runOptions.timeoutMs ?? commandTimeoutMs);
    // Fail fast before queueing: a dead router must not fill its queue.
    if (!runOptions.bypassBreaker && slot.breaker.isRejecting()) throw circuitOpen(slot);
    const release = await slot.semaphore.acquire(
      deadline,
      () => new RouterTimeoutError('demasiadas operaciones en espera para este router', { routerId: target.id }),
      runOptions.background ? 'background' : 'foreground',
    );
    let ticket: BreakerTicket | null;
    try {
      // Checked again: the circuit may have opened while we queued.
      ticket = slot.breaker.tryAcquire();
      if (!ticket && !runOptions.bypassBreaker) throw circuitOpen(slot);
    } catch (err) {
      release();
      throw err;
    }
    const outcome: BreakerTicket = ticket ?? 'normal';
    // A permit can arrive just as the deadline passes: then fail without sending
    // anything, so the caller knows the command was never applied.
    let expired = false;
    const expireIfLate = () => {
      if (deadline - Date.now() > 0) return;
      expired = true;
      throw new RouterTimeoutError('demasiadas operaciones en espera para este router', { routerId: target.id });
    };
    try {
      expireIfLate();
      const connectStart = Date.now();
      const conn = await slot.connection();
      deadline += Date.now() - connectStart; // connecting has its own timeout
      expireIfLate();
      const rows = await conn.exec(words, deadline - Date.now());
      slot.breaker.onSuccess(outcome);
      return rows;
    } catch (err) {
      if (expired) slot.breaker.onNeutral(outcome);
      else if (isConnectionFailure(err)) slot.breaker.onFailure(outcome);
      else if (err instanceof RouterTrapError) slot.breaker.onSuccess(outcome);
      else slot.breaker.onNeutral(outcome);
      throw err;
    } finally {
      release();
    }
  }

  return {
    run,
    stats: () => [...slots.values()].map((slot) => ({
      routerId: slot.target.id,
      connected: slot.connected,
      inFlight: slot.semaphore.inUse,
      queued: slot.semaphore.waiting,
      breaker: slot.breaker.state,
      consecutiveFailures: slot.breaker.consecutiveFailures,
    })),
    forget(routerId: string) {
      slots.get(routerId)?.retire('router retirado del cliente');
      slots.delete(routerId);
    },
    async close() {
      closed = true;
      lifetime.abort();
      for (const slot of slots.values()) slot.retire();
      slots.clear();
    },
  };
}
