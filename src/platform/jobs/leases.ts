/**
 * Counted leases in Redis, shared by every worker process: "at most N holders
 * of this key at once". A holder takes all its keys or none (one script), and
 * a lease expires by itself, so a worker that dies mid-job frees its share.
 * Used to keep one company's voucher jobs to a fair share of the workers and
 * of a router's slots (issue 21).
 */
import type Redis from 'ioredis';

export interface LeaseRequest {
  /** Put into one hash tag, so every key of a request sits on one Redis Cluster slot. */
  key: string;
  limit: number;
}

export interface Leases {
  /** True when `holder` now holds every key (or already did); false, holding none, when one is full. */
  tryAcquire(holder: string, requests: LeaseRequest[], ttlMs: number): Promise<boolean>;
  release(holder: string, keys: string[]): Promise<void>;
}

// Sorted set per key: member = holder, score = when its lease ends (Redis's own clock).
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local holder = ARGV[2]
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if not redis.call('ZSCORE', key, holder) and redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return 0 end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + ttl, holder)
  redis.call('PEXPIRE', key, ttl)
end
return 1`;

export const LEASE_KEY_PREFIX = '{pagos}:lease:';

export function createLeases(redis: Redis): Leases {
  return {
    async tryAcquire(holder, requests, ttlMs) {
      if (requests.length === 0) return true;
      const keys = requests.map((r) => `${LEASE_KEY_PREFIX}${r.key}`);
      const result = await redis.eval(ACQUIRE, keys.length, ...keys, String(Math.max(1, Math.round(ttlMs))), holder, ...requests.map((r) => String(r.limit)));
      return Number(result) === 1;
    },
    async release(holder, keys) {
      if (keys.length === 0) return;
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.zrem(`${LEASE_KEY_PREFIX}${key}`, holder);
      await pipeline.exec();
    },
  };
}
