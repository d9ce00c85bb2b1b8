/**
 * Redis-backed rate limits shared by every web process. If Redis itself fails
 * we let the request through (and log): refusing paying customers because our
 * limiter is down would be worse than a brief window without limits.
 */
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { TooManyRequestsError } from '../errors';
import type { Logger } from '../logger';

export type LimitName = keyof Config['rateLimits'];

export interface RateLimits {
  /** Counts one attempt; throws 429 with Retry-After when over the limit. */
  consume(name: LimitName, key: string, detail: string): Promise<void>;
  /** Checks without counting (login: only failures count). */
  check(name: LimitName, key: string, detail: string): Promise<void>;
  reset(name: LimitName, key: string): Promise<void>;
}

export function createRateLimits(config: Pick<Config, 'rateLimits'>, redis: Redis, logger: Logger): RateLimits {
  const limiters = new Map<LimitName, RateLimiterRedis>();
  for (const [name, { points, durationSec }] of Object.entries(config.rateLimits) as Array<[LimitName, { points: number; durationSec: number }]>) {
    limiters.set(name, new RateLimiterRedis({ storeClient: redis, keyPrefix: `{pagos}:rl:${name}`, points, duration: durationSec }));
  }

  function refuse(result: RateLimiterRes, detail: string): never {
    const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    throw new TooManyRequestsError(detail.replace('{s}', String(seconds)), seconds);
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
  };
}
