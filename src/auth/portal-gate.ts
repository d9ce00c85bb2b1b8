/**
 * Everything a portal request asks of Redis, in one script and one round trip:
 * is the key check this process remembers still current (the auth generation,
 * see auth-generation.ts)? Then count the request against the key's rate limit
 * and record the key's usage (api-key-usage.ts).
 *
 * The limit is rate-limiter-flexible's fixed window on the very counter
 * rate-limiter-flexible keeps for `portalPerKey`, so `RateLimits.check` and
 * `reset` see what the gate counted. A stale check counts nothing: the caller
 * re-reads the key from PostgreSQL and passes again without a generation, so
 * a key revoked a moment ago is never counted as if it were still valid.
 */
import type Redis from 'ioredis';
import type { Config } from '../config';
import { FIXED_WINDOW_LUA, limiterKey, tooManyRequests } from '../http/rate-limits';
import { RECORD_USAGE_LUA, USAGE_KEYS } from '../services/api-key-usage';
import { GENERATION_KEY } from './auth-generation';

// KEYS: generation, limit counter, usage counts, usage last-used
// ARGV: generation the caller checked the key in ('' = none), key id, now (ms), window (s)
const GATE_LUA = `${FIXED_WINDOW_LUA}
${RECORD_USAGE_LUA}
local generation = redis.call('GET', KEYS[1]) or '0'
if ARGV[1] ~= '' and ARGV[1] ~= generation then return {generation} end
local window = consume_fixed_window(KEYS[2], tonumber(ARGV[4]))
record_usage(KEYS[3], KEYS[4], ARGV[2], ARGV[3])
return {generation, window[1], window[2]}`;

const LIMITED_DETAIL = 'Demasiadas solicitudes para esta API Key. Intente de nuevo en {s} segundos';

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
  pass(keyId: string, checkedIn?: string, now?: number): Promise<GatePass>;
}

type RedisWithGate = Redis & {
  pagosPortalGate(generation: string, limit: string, counts: string, last: string, checkedIn: string, keyId: string, now: string, windowSec: number): Promise<[string, number?, number?]>;
};

export function createPortalGate(redisClient: Redis, limit: Config['rateLimits']['portalPerKey']): PortalGate {
  const redis = redisClient as RedisWithGate;
  if (typeof (redis as { pagosPortalGate?: unknown }).pagosPortalGate !== 'function') {
    redisClient.defineCommand('pagosPortalGate', { numberOfKeys: 4, lua: GATE_LUA });
  }
  return {
    async pass(keyId, checkedIn, now = Date.now()) {
      const [generation, consumed, msBeforeNext] = await redis.pagosPortalGate(
        GENERATION_KEY, limiterKey('portalPerKey', keyId), USAGE_KEYS.counts, USAGE_KEYS.lastUsed,
        checkedIn ?? '', keyId, String(now), limit.durationSec,
      );
      if (consumed === undefined) return { stale: true, generation };
      return { stale: false, generation, refusal: consumed > limit.points ? tooManyRequests(msBeforeNext ?? 0, LIMITED_DETAIL) : null };
    },
  };
}
