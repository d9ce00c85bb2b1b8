/**
 * The one place that decides whether an error means "a store is unreachable"
 * (PostgreSQL or Redis down, failing over, refusing connections, or our pool
 * waited too long), as opposed to a bug or bad input. The error middleware
 * turns such an error into a 503 with Retry-After; /health and the job
 * producers use the same words.
 *
 * Errors are recognised by their shape (PostgreSQL's SQLSTATE, knex's pool
 * timeout, pg's and ioredis's connection messages) and, for the generic ones
 * (a bare `ECONNREFUSED` or "timeout expired" says nothing about who was being
 * called), by a mark the store's own client puts on them: `markStore`, called
 * by the knex instance (db/knex.ts) on every failed connection and query.
 */
import { StoreUnavailableError, type StoreName } from './errors';

export type { StoreName };

const STORE = Symbol.for('pagos.store');
/** Set on errors raised while getting a connection: whatever went wrong, the store was not reachable. */
const UNREACHABLE = Symbol.for('pagos.store.unreachable');

type Marked = { [STORE]?: StoreName; [UNREACHABLE]?: boolean };

/** Records which store's client raised `error` (and, with `unreachable`, that it never got a connection). */
export function markStore(error: unknown, store: StoreName, options: { unreachable?: boolean } = {}): void {
  if (typeof error !== 'object' || error === null || Object.isFrozen(error)) return;
  const marked = error as Marked;
  Object.defineProperty(marked, STORE, { value: store, enumerable: false, configurable: true });
  if (options.unreachable) Object.defineProperty(marked, UNREACHABLE, { value: true, enumerable: false, configurable: true });
}

/** Socket-level failures: the peer is gone, refused, unreachable or silent. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN',
  'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ENOTCONN',
]);

/**
 * SQLSTATEs of a server that cannot serve us right now: class 08 (connection
 * exception: 08000, 08003, 08006, 08001, 08004…), 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, failing over),
 * 53300 too_many_connections.
 */
const isUnavailableSqlState = (code: string) => /^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code);

/**
 * pg's own messages for a connection that died or never came up (they carry no
 * code). knex puts the failed statement in front: "select … - Connection terminated unexpectedly".
 */
const PG_CONNECTION_MESSAGE = /(^| - )(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/;
/** pg's connect and read timeouts: generic words, so only trusted on a marked error. */
const GENERIC_TIMEOUT_MESSAGE = /(^| - )(timeout expired|Query read timeout)$/;

/** ioredis: the connection is down, was closed, or the command timed out (commandTimeout). */
const REDIS_CONNECTION_MESSAGE = /^(Connection is closed\.|Command timed out|Stream isn't writeable and enableOfflineQueue options is false)$/;
/** Redis replies of a server that is loading, failing over or read-only for a moment. */
const REDIS_UNAVAILABLE_REPLY = /^(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN) /;

function classifyOne(error: object): StoreName | null {
  if (error instanceof StoreUnavailableError) return error.store;
  const e = error as Marked & { name?: unknown; code?: unknown; message?: unknown; severity?: unknown };
  const marked = e[STORE];
  if (marked && e[UNREACHABLE]) return marked;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';

  // knex is only ever used for PostgreSQL: its pool timeout means the database did not give us a connection in time.
  if (name === 'KnexTimeoutError') return 'postgres';
  // A PostgreSQL server error carries `severity` (pg's DatabaseError).
  if (typeof e.severity === 'string' && isUnavailableSqlState(code)) return 'postgres';
  if (PG_CONNECTION_MESSAGE.test(message)) return 'postgres';

  if (name === 'MaxRetriesPerRequestError') return 'redis';
  if (REDIS_CONNECTION_MESSAGE.test(message) && (marked === 'redis' || marked === undefined)) return 'redis';
  if (name === 'ReplyError' && REDIS_UNAVAILABLE_REPLY.test(message)) return 'redis';

  // Generic network failures only count when a store's client says they were its own.
  if (marked && (NETWORK_CODES.has(code) || GENERIC_TIMEOUT_MESSAGE.test(message))) return marked;
  return null;
}

/**
 * The store an error says is unreachable, or null when the error means
 * something else. Looks through the wrappers our libraries put around a
 * driver's error (objection's `nativeError`, `cause`, AggregateError).
 */
export function unavailableStore(error: unknown): StoreName | null {
  const seen = new Set<object>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 10) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const found = classifyOne(current);
    if (found) return found;
    const wrapper = current as { nativeError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(wrapper.nativeError, wrapper.cause);
    if (Array.isArray(wrapper.errors)) queue.push(...wrapper.errors);
  }
  return null;
}

/** A short, secret-free description of the error for the warning line. */
export function unavailableReason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
  const code = typeof e?.code === 'string' ? `${e.code} ` : '';
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : String(error);
  return `${code}${message}`;
}
