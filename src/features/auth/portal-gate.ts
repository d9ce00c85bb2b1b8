/**
 * Everything a portal request asks of Redis, in one script: is the key check
 * this process remembers still current (the auth generation, see
 * auth-generation.ts)? Then count the request against the key's rate limit
 * and record the key's usage (api-key-usage.ts).
 *
 * The limit is rate-limiter-flexible's fixed window on the very counter
 * rate-limiter-flexible keeps for `portalPerKey`, so `RateLimits.check` and
 * `reset` see what the gate counted. A stale check counts nothing: the caller
 * re-reads the key from PostgreSQL and passes again without a generation, so
 * a key revoked a moment ago is never counted as if it were still valid.
 *
 * Requests that reach the gate in the same turn of the event loop share one
 * script call: under load the per-command cost (in this process and in Redis)
 * is paid once per batch instead of once per request. Each request still gets
 * its own answer, and all of them see the same generation.
 */
import type Redis from 'ioredis';
import type { Config } from '../../platform/config';
import { FIXED_WINDOW_LUA, limiterKey, tooManyRequests } from '../../platform/rate-limits';
import { LAST_USE_RESOLUTION_MS, RECORD_USAGE_LUA, USAGE_KEYS } from '../routers';
import { GENERATION_KEY } from '../../platform/auth-generation';

// KEYS: generation, usage counts, usage last-used, then one limit counter per request.
// ARGV: now (ms), window (s), points, then per request: key id, generation its check was made in ('' = none),
// and '1' to raise the key's last use ('0': this process raised it less than LAST_USE_RESOLUTION_MS ago).
// Returns the generation, then per request: consumed and ms before the window resets, or -1, 0 when stale.
const GATE_LUA = `${FIXED_WINDOW_LUA}
${RECORD_USAGE_LUA}
local generation = redis.call('GET', KEYS[1]) or '0'
local window_sec, points = tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {generation}
for i = 1, #KEYS - 3 do
  local key_id, checked_in, raise_last = ARGV[1 + 3 * i], ARGV[2 + 3 * i], ARGV[3 + 3 * i]
  if checked_in ~= '' and checked_in ~= generation then
    out[2 * i], out[2 * i + 1] = -1, 0
  else
    local window = consume_fixed_window(KEYS[3 + i], window_sec, points)
    record_usage(KEYS[2], KEYS[3], key_id, ARGV[1], raise_last)
    out[2 * i], out[2 * i + 1] = window[1], window[2]
  end
end
return out`;

const LIMITED_DETAIL = 'Demasiadas solicitudes para esta API Key. Intente de nuevo en {s} segundos';
/** Bounds the time one script call holds Redis. */
const MAX_BATCH = 256;
/** Bounds the memory of when this process last raised each key's last use (cleared past it). */
const MAX_TRACKED_KEYS = 50_000;

export type GatePass =
  /** The check was made in an older generation: nothing was counted. */
  | { stale: true; generation: string }
  /** Counted (usage and limit); throw `refusal` when the key is over its limit. */
  | { stale: false; generation: string; refusal: Error | null };

export interface PortalGate {
  /**
   * One portal request for `keyId`. With `checkedIn` (the generation a cached
   * check was made in) it counts only if that generation is still current.
   */
  pass(keyId: string, checkedIn?: string): Promise<GatePass>;
}

interface Waiting {
  keyId: string;
  checkedIn: string;
  resolve(pass: GatePass): void;
  reject(error: unknown): void;
}

/**
 * The gate's script command on the Redis client. The gate batches its own
 * requests, so the client should send it at once rather than auto-pipeline it
 * (which would wait one more turn of the event loop): list it in
 * `autoPipeliningIgnoredCommands`.
 */
export const PORTAL_GATE_COMMAND = 'pagosPortalGate';

type RedisWithGate = Redis & {
  pagosPortalGate(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<Array<string | number>>;
};

export function createPortalGate(redisClient: Redis, limit: Config['rateLimits']['portalPerKey']): PortalGate {
  const redis = redisClient as RedisWithGate;
  if (typeof (redis as { pagosPortalGate?: unknown }).pagosPortalGate !== 'function') {
    // The number of keys varies with the batch, so it is passed on each call.
    redisClient.defineCommand(PORTAL_GATE_COMMAND, { lua: GATE_LUA });
  }

  let waiting: Waiting[] = [];
  /** When this process last raised each key's last use (ms): at most once per LAST_USE_RESOLUTION_MS. */
  const raisedAt = new Map<string, number>();

  /** Whether this request raises its key's last use, noted as done (undone if the gate finds the check stale). */
  function raiseLast(keyId: string, now: number): boolean {
    const last = raisedAt.get(keyId);
    if (last !== undefined && now - last < LAST_USE_RESOLUTION_MS && now >= last) return false;
    if (raisedAt.size >= MAX_TRACKED_KEYS) raisedAt.clear();
    raisedAt.set(keyId, now);
    return true;
  }

  function answer(reply: Array<string | number>, i: number): GatePass {
    const generation = String(reply[0]);
    const consumed = Number(reply[1 + 2 * i]);
    if (consumed < 0) return { stale: true, generation };
    const msBeforeNext = Number(reply[2 + 2 * i]);
    return { stale: false, generation, refusal: consumed > limit.points ? tooManyRequests(msBeforeNext, LIMITED_DETAIL) : null };
  }

  function send(batch: Waiting[]): void {
    const now = Date.now();
    const keys = [GENERATION_KEY, USAGE_KEYS.counts, USAGE_KEYS.lastUsed, ...batch.map((w) => limiterKey('portalPerKey', w.keyId))];
    const raises = batch.map((w) => raiseLast(w.keyId, now));
    const args = [String(now), limit.durationSec, limit.points, ...batch.flatMap((w, i) => [w.keyId, w.checkedIn, raises[i] ? '1' : '0'])];
    redis.pagosPortalGate(keys.length, ...keys, ...args)
      .then((reply) => batch.forEach((w, i) => {
        const pass = answer(reply, i);
        // A stale check counted nothing: its key's last use was not raised either.
        if (pass.stale && raises[i]) raisedAt.delete(w.keyId);
        w.resolve(pass);
      }))
      // A failed call, or a reply we cannot read, fails every request of the batch (a settled one ignores it).
      .catch((error: unknown) => batch.forEach((w, i) => {
        // Nothing was recorded: the next use raises the key's last use again.
        if (raises[i]) raisedAt.delete(w.keyId);
        w.reject(error);
      }));
  }

  function flush(): void {
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) send(all.slice(i, i + MAX_BATCH));
  }

  return {
    pass(keyId, checkedIn) {
      return new Promise<GatePass>((resolve, reject) => {
        // setImmediate, like ioredis's auto-pipelining: runs after this turn's I/O callbacks, so every request parsed in it joins.
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ keyId, checkedIn: checkedIn ?? '', resolve, reject });
      });
    },
  };
}
