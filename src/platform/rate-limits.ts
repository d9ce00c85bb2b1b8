/**
 * Redis-backed rate limits shared by every web process. If Redis itself fails
 * we let the request through (and log): refusing paying customers because our
 * limiter is down would be worse than a brief window without limits.
 */
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from './config';
import { TooManyRequestsError } from './errors';
import type { Logger } from './logger';

export type LimitName = keyof Config['rateLimits'];

const limiterPrefix = (name: LimitName) => `{pagos}:rl:${name}`;
/** The Redis key rate-limiter-flexible keeps a limit's counter under (its `keyPrefix:key`). */
export const limiterKey = (name: LimitName, key: string) => `${limiterPrefix(name)}:${key}`;

/**
 * rate-limiter-flexible's fixed window (its RateLimiterRedis increment script),
 * as a Lua function, for scripts that apply a limit along with other work on
 * the same key (see portal-gate.ts). Returns {consumed, ms before the window resets}.
 */
export const FIXED_WINDOW_LUA = `
local function consume_fixed_window(key, duration_sec)
  redis.call('SET', key, 0, 'EX', duration_sec, 'NX')
  local consumed = redis.call('INCRBY', key, 1)
  local ttl = redis.call('PTTL', key)
  if ttl == -1 then
    redis.call('EXPIRE', key, duration_sec)
    ttl = 1000 * duration_sec
  end
  return {consumed, ttl}
end`;

/** The 429 for a refused attempt: Retry-After in whole seconds, the same number in `detail`. */
export function tooManyRequests(msBeforeNext: number, detail: string): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new TooManyRequestsError(detail.replace('{s}', String(seconds)), seconds);
}

export interface RateLimits {
  /** Counts one attempt; throws 429 with Retry-After when over the limit. */
  consume(name: LimitName, key: string, detail: string): Promise<void>;
  /** Checks without counting (login: only failures count). */
  check(name: LimitName, key: string, detail: string): Promise<void>;
  reset(name: LimitName, key: string): Promise<void>;
  /** Gives back one attempt counted up front (a login that succeeded). */
  refund(name: LimitName, key: string): Promise<void>;
  /**
   * Counts one failure (a declined card) without refusing this request; the
   * failure that reaches the limit starts a cool-down of the limit's `blockSec`,
   * which `check` then refuses.
   */
  penalize(name: LimitName, key: string): Promise<void>;
}

export function createRateLimits(config: Pick<Config, 'rateLimits'>, redis: Redis, logger: Logger): RateLimits {
  const limiters = new Map<LimitName, RateLimiterRedis>();
  const blockSeconds = new Map<LimitName, number>();
  for (const [name, spec] of Object.entries(config.rateLimits) as Array<[LimitName, { points: number; durationSec: number; blockSec?: number }]>) {
    limiters.set(name, new RateLimiterRedis({ storeClient: redis, keyPrefix: limiterPrefix(name), points: spec.points, duration: spec.durationSec }));
    if (spec.blockSec) blockSeconds.set(name, spec.blockSec);
  }

  function refuse(result: RateLimiterRes, detail: string): never {
    throw tooManyRequests(result.msBeforeNext, detail);
  }

  return {
    async consume(name, key, detail) {
      try {
        await limiters.get(name)!.consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) refuse(error, detail);
        logger.warn({ err: { message: (error as Error).message }, limit: name }, 'rate limiter unavailable; request allowed');
      }
    },
    async check(name, key, detail) {
      try {
        const limiter = limiters.get(name)!;
        const state = await limiter.get(key);
        if (state && state.consumedPoints >= limiter.points) refuse(state, detail);
      } catch (error) {
        if (error instanceof TooManyRequestsError) throw error;
        logger.warn({ err: { message: (error as Error).message }, limit: name }, 'rate limiter unavailable; request allowed');
      }
    },
    async reset(name, key) {
      await limiters.get(name)!.delete(key).catch(() => undefined);
    },
    async refund(name, key) {
      await limiters.get(name)!.reward(key, 1).catch(() => undefined);
    },
    async penalize(name, key) {
      const limiter = limiters.get(name)!;
      try {
        const result = await limiter.penalty(key, 1);
        const blockSec = blockSeconds.get(name);
        if (blockSec && result.consumedPoints >= limiter.points) await limiter.block(key, blockSec);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message }, limit: name }, 'rate limiter unavailable; failure not counted');
      }
    },
  };
}
