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
import type { Config } from './config';
import type { Logger } from './logger';
import { openSubscription, type SubscriberConnection, type Subscription } from './subscription';
import { pubsubChannel } from './redis';

/** Also read by the portal gate's script (portal-gate.ts). */
export const GENERATION_KEY = '{pagos}:auth-generation';

export interface AuthGeneration {
  /** The current generation, or null when Redis cannot say (then nothing is cached). */
  current(): Promise<string | null>;
  /** Moves the generation and announces it on the change channel (generationChannel), in one script. */
  bump(): Promise<void>;
}

/** Where a bump is announced (this environment's channel: pubsubChannel). */
export function generationChannel(config: Pick<Config, 'redis'>): string {
  return pubsubChannel(config, 'auth-generation:changed');
}

// KEYS: the generation. ARGV: the change channel. INCR and PUBLISH together: a bump is never left unannounced.
const BUMP_LUA = `local generation = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], generation)
return generation`;

type RedisWithBump = Redis & { pagosBumpGeneration(key: string, channel: string): Promise<number> };

export function createAuthGeneration(redisClient: Redis, channel: string): AuthGeneration {
  const redis = redisClient as RedisWithBump;
  if (typeof (redis as { pagosBumpGeneration?: unknown }).pagosBumpGeneration !== 'function') {
    redisClient.defineCommand('pagosBumpGeneration', { numberOfKeys: 1, lua: BUMP_LUA });
  }
  return {
    async current() {
      try {
        return (await redis.get(GENERATION_KEY)) ?? '0';
      } catch {
        return null;
      }
    },
    async bump() {
      await redis.pagosBumpGeneration(GENERATION_KEY, channel);
    },
  };
}

export interface GenerationWatch {
  /** The current generation as `AuthGeneration.current()` would answer, usually without asking Redis. */
  current(): Promise<string | null>;
  close(): void;
}

/**
 * The auth generation for a process that asks it on every job (the worker's
 * router cache, issue 26), without a GET each time: the value read once is
 * kept while the subscription to the change channel is live and no bump was
 * announced since, and for `recheckMs` at most.
 *
 * As current as a GET per use: every bump (`bump()`) publishes in the same
 * script as its INCR, so Redis has sent the announcement to this process by
 * the time the admin write that bumped answers; a job started after that
 * answer is fetched over another connection and loads its router after a
 * PostgreSQL round trip, by which time the announcement has been read (it
 * forgets the kept value, and the next use reads it again). A value read while a bump was announced is not kept (it
 * may be the older one). While the subscription is down (connecting,
 * reconnecting, Redis gone), every use reads Redis, as before. `recheckMs`
 * bounds what an unannounced change could cost (a bump by a process of the
 * version before the announcement, during a deploy; the key edited by hand):
 * five seconds, where the caches' TTL alone would allow 30.
 */
export function watchAuthGeneration(options: {
  generation: Pick<AuthGeneration, 'current'>;
  channel: string;
  connect: () => SubscriberConnection;
  logger: Logger;
  recheckMs?: number;
  now?: () => number;
}): GenerationWatch {
  const recheckMs = options.recheckMs ?? 5000;
  const now = options.now ?? Date.now;
  let subscription: Subscription | undefined;
  let closed = false;
  let known: { value: string; at: number } | null = null;
  /** Moves with every announcement and every change of the subscription: a read that saw it move is not kept. */
  let changes = 0;
  const forget = () => {
    known = null;
    changes++;
  };

  return {
    async current() {
      // Closed (the process is stopping): every use reads Redis, and no subscriber is opened again.
      if (closed) return options.generation.current();
      const watch = (subscription ??= openSubscription({
        name: 'auth generation watch', logger: options.logger, channel: options.channel, connect: options.connect,
        onMessage: forget,
        onLive: forget,
      }));
      if (known && watch.live && now() - known.at < recheckMs) return known.value;
      const before = changes;
      const at = now();
      const value = await options.generation.current();
      // `watch`, not `subscription`: a close() during the read leaves it closed (not live), and nothing is kept.
      if (value !== null && !closed && watch.live && changes === before) known = { value, at };
      return value;
    },
    close() {
      closed = true;
      forget();
      subscription?.close();
      subscription = undefined;
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
