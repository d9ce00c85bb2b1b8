/**
 * Read-mostly data a portal request needs (is this key valid? what does this
 * router sell?) is cached in each web process, but every use is checked against
 * one counter in Redis that every admin write increments before it answers.
 * So a revoked key or a deactivated router is refused on the very next request
 * on every process, while an unchanged world costs one Redis GET instead of
 * two PostgreSQL queries. Entries also expire after a short TTL, which bounds
 * staleness after a change made outside the API (say, SQL by hand).
 */
import type Redis from 'ioredis';

/** Also read by the portal gate's script (portal-gate.ts). */
export const GENERATION_KEY = '{pagos}:auth-generation';

export interface AuthGeneration {
  /** The current generation, or null when Redis cannot say (then nothing is cached). */
  current(): Promise<string | null>;
  bump(): Promise<void>;
}

export function createAuthGeneration(redis: Redis): AuthGeneration {
  return {
    async current() {
      try {
        return (await redis.get(GENERATION_KEY)) ?? '0';
      } catch {
        return null;
      }
    },
    async bump() {
      await redis.incr(GENERATION_KEY);
    },
  };
}

/** A bounded per-process cache whose entries are valid for one generation and a TTL. */
export class GenerationCache<T> {
  private readonly entries = new Map<string, { value: T; generation: string; storedAt: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  get(key: string, generation: string | null, now = Date.now()): T | undefined {
    if (generation === null) return undefined;
    const entry = this.entries.get(key);
    if (!entry || entry.generation !== generation || now - entry.storedAt > this.ttlMs) return undefined;
    return entry.value;
  }

  /** The entry within its TTL whatever its generation, for callers that check the generation themselves. */
  peek(key: string, now = Date.now()): { value: T; generation: string } | undefined {
    const entry = this.entries.get(key);
    if (!entry || now - entry.storedAt > this.ttlMs) return undefined;
    return { value: entry.value, generation: entry.generation };
  }

  set(key: string, generation: string | null, value: T, now = Date.now()): void {
    if (generation === null) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, generation, storedAt: now });
  }
}
