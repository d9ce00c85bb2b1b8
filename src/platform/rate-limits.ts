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
 * rate-limiter-flexible's fixed window (its RateLimiterRedis increment
 * script: the counter expires `duration_sec` after its first point), as a Lua
 * function, for scripts that apply a limit along with other work on the same
 * key (see portal-gate.ts). Returns {consumed, ms before the window resets};
 * the time is looked up only when it matters, past `points` (the refusal's
 * Retry-After), else 0: one Redis call per attempt instead of three (issue 26).
 * The first point of a window starts it (EXPIRE, without asking PTTL first:
 * one call less for every new device's window). A counter back at 0 with time
 * left (every point of its window given back by `refund`) thereby starts a
 * new full window: never looser than keeping the old one. Limits with a
 * cool-down (`blockSec`) are counted by `penalize`, never here.
 */
export const FIXED_WINDOW_LUA = `
local function consume_fixed_window(key, duration_sec, points)
  local consumed = redis.call('INCRBY', key, 1)
  local ttl = 0
  if consumed == 1 then
    redis.call('EXPIRE', key, duration_sec)
    ttl = 1000 * duration_sec
  elseif consumed > points then
    ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('EXPIRE', key, duration_sec)
      ttl = 1000 * duration_sec
    end
  end
  return {consumed, ttl}
end`;

/** The 429 for a refused attempt: Retry-After in whole seconds, the same number in `detail`. */
export function tooManyRequests(msBeforeNext: number, detail: string): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new TooManyRequestsError(detail.replace('{s}', String(seconds)), seconds);
}

/** One limit of `RateLimits.apply`: counted (`consume`) unless `count` is false (`check`). */
export interface LimitStep {
  name: LimitName;
  key: string;
  detail: string;
  count?: boolean;
}

// KEYS: one counter per step. ARGV: per step: 1 (count) or 0 (check), window (s), points.
// Steps run in order; the first refused step ends the script (later steps count nothing).
// Returns {index of the refused step (0: none), its ms before the window resets}.
const APPLY_LUA = `${FIXED_WINDOW_LUA}
for i = 1, #KEYS do
  local count, window_sec, points = ARGV[3 * i - 2], tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  if count == '1' then
    local window = consume_fixed_window(KEYS[i], window_sec, points)
    if window[1] > points then return {i, window[2]} end
  else
    local consumed = tonumber(redis.call('GET', KEYS[i]) or '0')
    if consumed >= points then return {i, redis.call('PTTL', KEYS[i])} end
  end
end
return {0, 0}`;

const APPLY_COMMAND = 'pagosRateLimitsApply';
type RedisWithApply = Redis & { pagosRateLimitsApply(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<[number, number]> };

export interface RateLimits {
  /**
   * Several limits in one Redis call, in order: each counts one attempt
   * (`consume`) or, with `count: false`, only refuses when over (`check`).
   * The first refusal throws its 429 and counts nothing after it.
   */
  apply(steps: readonly LimitStep[]): Promise<void>;
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
  if (typeof (redis as unknown as { pagosRateLimitsApply?: unknown }).pagosRateLimitsApply !== 'function') redis.defineCommand(APPLY_COMMAND, { lua: APPLY_LUA });

  return {
    async apply(steps) {
      if (steps.length === 0) return;
      let reply: [number, number];
      try {
        const keys = steps.map((step) => limiterKey(step.name, step.key));
        const args = steps.flatMap((step) => {
          const limiter = limiters.get(step.name)!;
          return [step.count === false ? 0 : 1, limiter.duration, limiter.points];
        });
        reply = await (redis as RedisWithApply).pagosRateLimitsApply(keys.length, ...keys, ...args);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message }, limits: steps.map((s) => s.name) }, 'rate limiter unavailable; request allowed');
        return;
      }
      const refused = Number(reply[0]);
      if (refused > 0) throw tooManyRequests(Math.max(0, Number(reply[1])), steps[refused - 1]!.detail);
    },
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
