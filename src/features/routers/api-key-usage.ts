/**
 * Router API key usage without a PostgreSQL write per request.
 *
 * Each portal request increments a Redis hash field (atomic HINCRBY) and raises
 * the key's last-used time (Lua max), in the portal gate's script (RECORD_USAGE_LUA). A flush moves the live hashes aside with
 * RENAME (atomic: increments arriving during the flush land in a fresh hash),
 * applies the batch to PostgreSQL in one transaction that also records the
 * batch id, and only then deletes the moved hashes. A worker that dies
 * anywhere in between leaves the batch for the next flush, and the recorded
 * batch id makes re-applying it a no-op: no increment is lost or counted twice.
 *
 * Keys share the `{pagos}` hash tag so RENAME works on Redis Cluster.
 */
import crypto from 'node:crypto';
import type Redis from 'ioredis';
import type { RoutersStore } from './store';

const COUNTS = '{pagos}:apikey-usage:counts';
const LAST_USED = '{pagos}:apikey-usage:last';
const FLUSHING = '{pagos}:apikey-usage:flushing';

/** Where live usage is counted; portal requests record it in the portal gate's script (portal-gate.ts). */
export const USAGE_KEYS = { counts: COUNTS, lastUsed: LAST_USED } as const;

/** A Lua function that records one use of a key: +1 and last-used = max(last-used, now in ms). */
export const RECORD_USAGE_LUA = `
local function record_usage(counts, last, key_id, now)
  redis.call('HINCRBY', counts, key_id, 1)
  local prev = tonumber(redis.call('HGET', last, key_id) or '0')
  if tonumber(now) > prev then redis.call('HSET', last, key_id, now) end
end`;

// Moves the live hashes to a batch and registers it; returns the batch id or false.
const DETACH = `
if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[2]) == 0 then return false end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[1] .. ':' .. ARGV[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[2] .. ':' .. ARGV[1]) end
redis.call('SADD', KEYS[3], ARGV[1])
return ARGV[1]`;

export interface KeyUsageLive {
  count: number;
  lastUsed: Date | null;
}

export interface ApiKeyUsage {
  /** Usage not yet in PostgreSQL, per key. */
  live(keyIds: string[]): Promise<Map<string, KeyUsageLive>>;
  /** Applies pending usage to PostgreSQL; returns how many keys were updated. */
  flush(): Promise<number>;
}

type RedisWithScripts = Redis & {
  pagosUsageDetach(counts: string, last: string, flushing: string, batch: string): Promise<string | null>;
};

export function createApiKeyUsage(redisClient: Redis, store: Pick<RoutersStore, 'appliedBatches' | 'applyUsageBatch'>): ApiKeyUsage {
  const redis = redisClient as RedisWithScripts;
  if (typeof (redis as { pagosUsageDetach?: unknown }).pagosUsageDetach !== 'function') {
    redisClient.defineCommand('pagosUsageDetach', { numberOfKeys: 3, lua: DETACH });
  }

  async function batchesInFlight(): Promise<string[]> {
    const batches = await redis.smembers(FLUSHING);
    if (batches.length === 0) return [];
    const applied = await store.appliedBatches(batches);
    // An applied batch whose hashes were not deleted yet: finish its cleanup.
    for (const batch of batches.filter((b) => applied.has(b))) await dropBatch(batch);
    return batches.filter((b) => !applied.has(b));
  }

  async function dropBatch(batch: string): Promise<void> {
    await redis.multi().del(`${COUNTS}:${batch}`, `${LAST_USED}:${batch}`).srem(FLUSHING, batch).exec();
  }

  async function applyBatch(batch: string): Promise<number> {
    const [counts, last] = await Promise.all([redis.hgetall(`${COUNTS}:${batch}`), redis.hgetall(`${LAST_USED}:${batch}`)]);
    const keyIds = [...new Set([...Object.keys(counts), ...Object.keys(last)])];
    await store.applyUsageBatch(batch, keyIds.map((id) => [id, Number(counts[id] ?? 0), last[id] ? new Date(Number(last[id])) : null] as const));
    await dropBatch(batch);
    return keyIds.length;
  }

  return {
    async live(keyIds) {
      const result = new Map<string, KeyUsageLive>();
      if (keyIds.length === 0) return result;
      const sources = ['', ...(await batchesInFlight()).map((b) => `:${b}`)];
      for (const suffix of sources) {
        const [counts, lasts] = await Promise.all([
          redis.hmget(`${COUNTS}${suffix}`, ...keyIds),
          redis.hmget(`${LAST_USED}${suffix}`, ...keyIds),
        ]);
        keyIds.forEach((id, i) => {
          const entry = result.get(id) ?? { count: 0, lastUsed: null };
          entry.count += Number(counts[i] ?? 0);
          const last = lasts[i] ? new Date(Number(lasts[i])) : null;
          if (last && (!entry.lastUsed || last > entry.lastUsed)) entry.lastUsed = last;
          result.set(id, entry);
        });
      }
      return result;
    },

    async flush() {
      let updated = 0;
      for (const batch of await batchesInFlight()) updated += await applyBatch(batch);
      const batch = await redis.pagosUsageDetach(COUNTS, LAST_USED, FLUSHING, crypto.randomUUID());
      if (batch) updated += await applyBatch(batch);
      return updated;
    },
  };
}

/** Stored totals plus what Redis holds for the same key. */
export function withLiveUsage<T extends { key_id: string; use_count: number; last_used: Date | string | null }>(row: T, live: Map<string, KeyUsageLive>): T {
  const pending = live.get(row.key_id);
  if (!pending) return row;
  const stored = row.last_used ? new Date(row.last_used) : null;
  const lastUsed = pending.lastUsed && (!stored || pending.lastUsed > stored) ? pending.lastUsed : stored;
  return { ...row, use_count: Number(row.use_count) + pending.count, last_used: lastUsed };
}
