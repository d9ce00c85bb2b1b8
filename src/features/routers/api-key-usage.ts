/**
 * Router API key usage without a PostgreSQL write per request.
 *
 * Each portal request increments a Redis hash field (atomic HINCRBY) and raises
 * the key's last-used time (ZADD GT on a sorted set: one command, the later
 * time wins whatever order two processes' requests arrive in), in the portal
 * gate's script (RECORD_USAGE_LUA). A flush moves the live keys aside with
 * RENAME (atomic: increments arriving during the flush land in a fresh key),
 * applies the batch to PostgreSQL in one transaction that also records the
 * batch id, and only then deletes the moved hashes. A worker that dies
 * anywhere in between leaves the batch for the next flush, and the recorded
 * batch id makes re-applying it a no-op: no increment is lost or counted twice.
 *
 * Keys share the `{pagos}` hash tag so RENAME works on Redis Cluster.
 *
 * Last-used times were a hash (HGET + HSET in the script) before issue 26;
 * the sorted set has its own name, so a process of either version never meets
 * the other's type, and the flush and `live` still read the hash, which
 * processes of the earlier version may keep writing during a deploy. ZADD GT
 * needs Redis 6.2.
 *
 * The last use is kept to `LAST_USE_RESOLUTION_MS`: a web process raises it
 * at most once per key in that span (the gate decides, in memory), so a busy
 * key costs the count alone; the time shown may trail the true last use by
 * that much.
 */
import crypto from 'node:crypto';
import type Redis from 'ioredis';
import type { RoutersStore } from './store';

const COUNTS = '{pagos}:apikey-usage:counts';
const LAST_USED = '{pagos}:apikey-usage:last-at';
/** The hash of last-used times of before issue 26 (read, never written). */
const LAST_USED_HASH = '{pagos}:apikey-usage:last';
const FLUSHING = '{pagos}:apikey-usage:flushing';

/** Where live usage is counted; portal requests record it in the portal gate's script (portal-gate.ts). */
export const USAGE_KEYS = { counts: COUNTS, lastUsed: LAST_USED } as const;

/** How stale a key's recorded last use may be: each web process raises it at most once per key in this span. */
export const LAST_USE_RESOLUTION_MS = 10_000;

/**
 * A Lua function that records one use of a key: +1, and when `raise_last` is
 * '1', last-used = max(last-used, now in ms) (one command, or two).
 */
export const RECORD_USAGE_LUA = `
local function record_usage(counts, last, key_id, now, raise_last)
  redis.call('HINCRBY', counts, key_id, 1)
  if raise_last == '1' then redis.call('ZADD', last, 'GT', now, key_id) end
end`;

// KEYS: counts, last-used (sorted set), the batches in flight, last-used (the earlier hash).
// Moves the live keys to a batch and registers it; returns the batch id or false.
const DETACH = `
local moved = false
for _, i in ipairs({1, 2, 4}) do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('RENAME', KEYS[i], KEYS[i] .. ':' .. ARGV[1])
    moved = true
  end
end
if not moved then return false end
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
  pagosUsageDetach(counts: string, last: string, flushing: string, lastHash: string, batch: string): Promise<string | null>;
};

export function createApiKeyUsage(redisClient: Redis, store: Pick<RoutersStore, 'appliedBatches' | 'applyUsageBatch'>): ApiKeyUsage {
  const redis = redisClient as RedisWithScripts;
  if (typeof (redis as { pagosUsageDetach?: unknown }).pagosUsageDetach !== 'function') {
    redisClient.defineCommand('pagosUsageDetach', { numberOfKeys: 4, lua: DETACH });
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
    await redis.multi().del(`${COUNTS}:${batch}`, `${LAST_USED}:${batch}`, `${LAST_USED_HASH}:${batch}`).srem(FLUSHING, batch).exec();
  }

  async function applyBatch(batch: string): Promise<number> {
    const [counts, lastAt, lastHash] = await Promise.all([
      redis.hgetall(`${COUNTS}:${batch}`), redis.zrange(`${LAST_USED}:${batch}`, 0, -1, 'WITHSCORES'), redis.hgetall(`${LAST_USED_HASH}:${batch}`),
    ]);
    const last: Record<string, string> = { ...lastHash };
    for (let i = 0; i < lastAt.length; i += 2) {
      const id = lastAt[i]!;
      if (!(id in last) || Number(lastAt[i + 1]) > Number(last[id])) last[id] = lastAt[i + 1]!;
    }
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
        const [counts, lasts, lastsHash] = await Promise.all([
          redis.hmget(`${COUNTS}${suffix}`, ...keyIds),
          redis.zmscore(`${LAST_USED}${suffix}`, ...keyIds),
          redis.hmget(`${LAST_USED_HASH}${suffix}`, ...keyIds),
        ]);
        keyIds.forEach((id, i) => {
          const entry = result.get(id) ?? { count: 0, lastUsed: null };
          entry.count += Number(counts[i] ?? 0);
          for (const ms of [lasts[i], lastsHash[i]]) {
            const last = ms ? new Date(Number(ms)) : null;
            if (last && (!entry.lastUsed || last > entry.lastUsed)) entry.lastUsed = last;
          }
          result.set(id, entry);
        });
      }
      return result;
    },

    async flush() {
      let updated = 0;
      for (const batch of await batchesInFlight()) updated += await applyBatch(batch);
      const batch = await redis.pagosUsageDetach(COUNTS, LAST_USED, FLUSHING, LAST_USED_HASH, crypto.randomUUID());
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
