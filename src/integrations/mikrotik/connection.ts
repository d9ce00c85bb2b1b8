/**
 * One logged-in RouterOS API connection (a node-routeros RouterOSAPI), made safe:
 * connecting and logging in are bounded by a timeout, every command races its own
 * timeout, every event that could crash the process has a listener, and when
 * anything goes wrong the whole connection is torn down and every command still
 * waiting on it is rejected at once: no promise is ever left pending.
 */
import net from 'node:net';
import type { TlsOptions } from 'node:tls';
import { RosException, RouterOSAPI } from './node-routeros-fixes';
import {
  networkReason, RouterAuthError, RouterError, RouterTimeoutError, RouterUnreachableError, trapError,
} from './errors';
import type { RosRow, RouterTarget } from './types';

export interface ConnectionSettings {
  connectTimeoutMs: number;
  /** node-routeros closes a connection idle this long (its socket timeout). */
  idleTimeoutMs: number;
  /** Extra trusted CA certificates for API-SSL routers verified normally. */
  tlsCa?: string | Buffer | Array<string | Buffer>;
  /**
   * The address to dial for a router's host, checked against the operator's
   * rules (src/platform/router-address.ts); throws (a message in Spanish) to
   * refuse it. Runs within the connect timeout. Without it the host is dialled as is.
   */
  resolveAddress?: (host: string) => Promise<string>;
}

/** node-routeros internals we have to reach to tear a connection down for good. */
interface ApiInternals {
  connector?: { destroy(): void } | null;
  connectionHoldInterval?: NodeJS.Timeout;
  keptaliveby?: NodeJS.Timeout;
}

const noop = () => {};

function tlsOptions(target: RouterTarget, ca: ConnectionSettings['tlsCa']): TlsOptions | undefined {
  if (!target.tls) return undefined;
  if (target.tlsInsecure) {
    // Any certificate or none: RouterOS API-SSL without a certificate only offers
    // anonymous-DH suites, which OpenSSL 3 allows only at security level 0.
    return { rejectUnauthorized: false, ciphers: 'HIGH:@SECLEVEL=0' };
  }
  return ca ? { rejectUnauthorized: true, ca } : { rejectUnauthorized: true };
}

/** Stops node-routeros's timers and destroys its socket; safe to call twice. */
function teardown(api: RouterOSAPI): void {
  const internals = api as unknown as ApiInternals;
  clearTimeout(internals.connectionHoldInterval);
  clearTimeout(internals.keptaliveby);
  try {
    internals.connector?.destroy();
  } catch {
    // already destroyed
  }
  api.removeAllListeners();
  api.on('error', noop); // nothing should emit any more, but an 'error' without listener would crash
}

/** The socket-level reason of a node-routeros error, in Spanish. */
function reasonOf(err: unknown): string {
  if (err instanceof RosException) {
    if (err.errno === 'SOCKTMOUT') return 'conexión inactiva cerrada';
    return networkReason((err as RosException & { code?: string }).code ?? err.errno);
  }
  return 'error de red';
}

function connectError(err: unknown, routerId: string): RouterError {
  if (err instanceof RosException) {
    if (err.errno === 'CANTLOGIN') return new RouterAuthError({ routerId });
    if (err.errno === 'SOCKTMOUT') return new RouterTimeoutError('tiempo de espera agotado', { routerId });
    return new RouterUnreachableError(reasonOf(err), { routerId, cause: err });
  }
  // The /login command itself trapped with a message 1.6.9 does not translate.
  if (err instanceof Error && err.constructor === Error) return new RouterAuthError({ routerId });
  return new RouterUnreachableError('error de red', { routerId, cause: err });
}

export class RouterConnection {
  private alive = true;
  private readonly inflight = new Set<(err: RouterError) => void>();
  private readonly deathListeners: Array<(err: RouterError) => void> = [];

  private constructor(private readonly api: RouterOSAPI, readonly routerId: string) {
    api.on('error', (err: unknown) => {
      this.destroy(new RouterUnreachableError(reasonOf(err), { routerId, mayHaveApplied: true }));
    });
    api.on('close', () => {
      this.destroy(new RouterUnreachableError('el router cerró la conexión', { routerId, mayHaveApplied: true }));
    });
  }

  /**
   * Connects and logs in within `connectTimeoutMs`, or rejects with a typed error.
   * The host is resolved and checked first (`resolveAddress`) and the checked
   * address is the one dialled, so a name cannot point elsewhere in between.
   */
  static open(target: RouterTarget, settings: ConnectionSettings, signal?: AbortSignal): Promise<RouterConnection> {
    if (!settings.resolveAddress) return RouterConnection.dial(target, target.host, settings, signal);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RouterTimeoutError('tiempo de espera agotado', { routerId: target.id })), settings.connectTimeoutMs);
    });
    return Promise.race([settings.resolveAddress(target.host), timeout]).then(
      (address) => {
        clearTimeout(timer);
        const left = Math.max(1, settings.connectTimeoutMs - (Date.now() - started));
        return RouterConnection.dial(target, address, { ...settings, connectTimeoutMs: left }, signal);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof RouterError) throw error;
        throw new RouterUnreachableError((error as Error).message || 'dirección no válida', { routerId: target.id, cause: error });
      },
    );
  }

  private static dial(target: RouterTarget, address: string, settings: ConnectionSettings, signal?: AbortSignal): Promise<RouterConnection> {
    if (signal?.aborted) return Promise.reject(new RouterUnreachableError('cliente MikroTik cerrado', { routerId: target.id }));
    const tls = tlsOptions(target, settings.tlsCa);
    // Dialling the checked IP of a name: the certificate is still verified for the name.
    if (tls && address !== target.host && !net.isIP(target.host)) (tls as TlsOptions & { servername?: string }).servername = target.host;
    const api = new RouterOSAPI({
      host: address,
      port: target.port,
      user: target.username,
      password: target.password,
      timeout: settings.idleTimeoutMs / 1000,
      tls,
      keepalive: false,
    });
    return new Promise<RouterConnection>((resolve, reject) => {
      let settled = false;
      const fail = (err: RouterError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        teardown(api);
        reject(err);
      };
      const onAbort = () => fail(new RouterUnreachableError('cliente MikroTik cerrado', { routerId: target.id }));
      signal?.addEventListener('abort', onAbort);
      const timer = setTimeout(() => fail(new RouterTimeoutError('tiempo de espera agotado', { routerId: target.id })), settings.connectTimeoutMs);
      const onError = (err: unknown) => fail(connectError(err, target.id));
      const onClose = () => fail(new RouterUnreachableError('el router cerró la conexión', { routerId: target.id }));
      api.on('error', onError);
      api.on('close', onClose);
      api.connect().then(
        () => {
          if (settled) { teardown(api); return; }
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          api.removeListener('error', onError);
          api.removeListener('close', onClose);
          resolve(new RouterConnection(api, target.id));
        },
        onError,
      );
    });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  onDeath(listener: (err: RouterError) => void): void {
    this.deathListeners.push(listener);
  }

  /**
   * Sends one command and waits at most `timeoutMs` for its reply. A `!trap`
   * becomes a typed RouterTrapError and leaves the connection usable; a timeout
   * tears the connection down (the router may still answer later, on a socket
   * nobody should read), and rejects every other command waiting on it.
   */
  exec(words: readonly string[], timeoutMs: number): Promise<RosRow[]> {
    const routerId = this.routerId;
    if (!this.alive) {
      return Promise.reject(new RouterUnreachableError('la conexión ya estaba cerrada', { routerId }));
    }
    return new Promise<RosRow[]>((resolve, reject) => {
      let settled = false;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        this.inflight.delete(abort);
      };
      const abort = (err: RouterError) => {
        if (settled) return;
        finish();
        reject(err);
      };
      const timer = setTimeout(() => {
        if (settled) return;
        finish();
        reject(new RouterTimeoutError('el router no respondió a tiempo', { routerId, mayHaveApplied: true }));
        this.destroy(new RouterUnreachableError('conexión descartada por falta de respuesta', { routerId, mayHaveApplied: true }));
      }, timeoutMs);
      this.inflight.add(abort);
      // node-routeros appends the .tag to the array it is given: hand it a copy.
      this.api.write([...words]).then(
        (rows) => {
          if (settled) return;
          finish();
          resolve(rows as unknown as RosRow[]);
        },
        (err: unknown) => {
          if (settled) return;
          finish();
          // A trap rejects with a plain Error carrying RouterOS's message; anything else is a client fault.
          if (err instanceof Error && err.constructor === Error) reject(trapError(err.message, routerId));
          else {
            reject(new RouterUnreachableError('error de protocolo', { routerId, cause: err, mayHaveApplied: true }));
            this.destroy(new RouterUnreachableError('error de protocolo', { routerId, mayHaveApplied: true }));
          }
        },
      );
    });
  }

  /** Closes the connection for good and rejects every command still waiting on it. */
  destroy(err: RouterError = new RouterUnreachableError('conexión cerrada por el cliente', { routerId: this.routerId, mayHaveApplied: true })): void {
    if (!this.alive) return;
    this.alive = false;
    teardown(this.api);
    for (const abort of [...this.inflight]) abort(err);
    for (const listener of this.deathListeners.splice(0)) listener(err);
  }
}
