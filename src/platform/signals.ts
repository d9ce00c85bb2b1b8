/**
 * Per-key wake-up signals over Redis Pub/Sub (issue 12 item 6, issue 26): a
 * request that waits for its own transaction is woken by that transaction's
 * signal, and by no other.
 *
 * The worker publishes each transaction on its own channel
 * (`<prefix>{pagos}:signal@<db>:<id>`). Each web process holds one pattern subscription to
 * all of them (`PSUBSCRIBE <prefix>{pagos}:signal@<db>:*`), made once on its own
 * connection and kept across reconnections (subscription.ts), and hands each
 * signal in memory to the requests of this process waiting for that key (a
 * map from key to its waiters): a purchase costs Redis no SUBSCRIBE or
 * UNSUBSCRIBE, at the price of every web process hearing every sale's signal
 * (a few bytes each) and dropping those it has no waiter for.
 *
 * A signal is only a hint to re-read PostgreSQL: callers always bound the
 * wait and poll, so a lost signal (Redis down, the subscriber reconnecting, a
 * publish before the subscription was live) costs one poll interval, never
 * correctness. A waiter is removed when its listener is closed, and at the
 * latest when its lifetime runs out, so a caller that forgets to close cannot
 * make the map grow.
 */
import type Redis from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';
import { createRedis, pubsubChannel } from './redis';
import { withDeadline } from './deadline';
import { openSubscription, type SubscriberConnection, type Subscription } from './subscription';

/**
 * The channels' common start, this environment's (pubsubChannel): another
 * environment or test run on the same Redis server neither hears this one's
 * sales (their hotspot user names) nor wakes its waiters.
 */
export function signalChannelPrefix(config: Pick<Config, 'redis'>): string {
  return `${pubsubChannel(config, 'signal')}:`;
}

/** `prefix` as a literal in a PSUBSCRIBE pattern (its glob characters escaped). */
const literalPattern = (prefix: string) => prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
/** How long a caller waits for the subscription to be live before it relies on polling alone. */
const SUBSCRIBE_TIMEOUT_MS = 1000;
/** Floor of a listener's lifetime (see `lifetimeMs`). */
const MIN_LIFETIME_MS = 60_000;

export interface Listener {
  /** Resolves once the subscription is live (or after a second without it: then the caller polls). Never rejects. */
  ready(): Promise<void>;
  /** Resolves true when the signal arrives, false after `ms`; never rejects. */
  wait(ms: number): Promise<boolean>;
  /** What the last signal heard carried (`publish`'s message), if any. */
  message(): string | undefined;
  close(): void;
}

export interface Signals {
  /** Starts listening at once (before the work that will signal is started). */
  listen(key: string): Listener;
  /**
   * Wakes the listeners of `key` on every process; never rejects. `message`
   * (default '1') is handed to them: a hint such as the new state, which a
   * listener may use instead of reading it, or ignore.
   */
  publish(key: string, message?: string): Promise<void>;
  /** How many keys have waiters in this process (for tests and metrics). */
  waiting(): number;
  close(): Promise<void>;
}

export function createSignals(config: Config, logger: Logger, publisher: Redis, options: {
  /** The subscriber's connection (tests pass a fake); by default a new ioredis connection. */
  connect?: () => SubscriberConnection;
  /**
   * A listener not closed by then is closed (its waiter removed): longer than
   * any purchase waits (the gateway's timeout and the provisioning wait).
   */
  lifetimeMs?: number;
} = {}): Signals {
  const CHANNEL_PREFIX = signalChannelPrefix(config);
  const lifetimeMs = options.lifetimeMs ?? Math.max(MIN_LIFETIME_MS, 2 * (config.payments.gatewayTimeoutMs + config.payments.provisioningWaitMs));
  let subscription: Subscription | undefined;
  const waiters = new Map<string, Set<(message: string) => void>>();

  function subscribed(): Subscription {
    subscription ??= openSubscription({
      name: 'signal subscriber',
      logger,
      pattern: `${literalPattern(CHANNEL_PREFIX)}*`,
      connect: options.connect ?? (() => createRedis(config, { autoResubscribe: false, maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false })),
      onMessage(channel, message) {
        const set = waiters.get(channel.slice(CHANNEL_PREFIX.length));
        if (set) for (const wake of set) wake(message);
      },
      onLive(live) {
        // Signals published while it was down are lost: the waiters' polls cover them.
        if (!live) logger.debug('signal subscription down; waiting requests poll');
      },
    });
    return subscription;
  }

  function release(key: string, wake: (message: string) => void) {
    const set = waiters.get(key);
    if (!set) return;
    set.delete(wake);
    if (set.size === 0) waiters.delete(key);
  }

  return {
    listen(key) {
      const live = subscribed();
      let fired = false;
      let closed = false;
      let notify: (() => void) | undefined;
      let heard: string | undefined;
      const wake = (message: string) => {
        fired = true;
        heard = message;
        notify?.();
      };
      let set = waiters.get(key);
      if (!set) waiters.set(key, (set = new Set()));
      set.add(wake);
      const close = () => {
        if (closed) return;
        closed = true;
        clearTimeout(expiry);
        notify?.();
        release(key, wake);
      };
      const expiry = setTimeout(close, lifetimeMs);
      expiry.unref?.();
      return {
        ready: async () => { await live.ready(SUBSCRIBE_TIMEOUT_MS); },
        async wait(ms) {
          if (fired) return (fired = false), true;
          if (closed || ms <= 0) return false;
          return new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => { notify = undefined; resolve(false); }, ms);
            notify = () => { clearTimeout(timer); notify = undefined; fired = false; resolve(!closed); };
          });
        },
        message: () => heard,
        close,
      };
    },

    async publish(key, message = '1') {
      await withDeadline(publisher.publish(CHANNEL_PREFIX + key, message), SUBSCRIBE_TIMEOUT_MS).catch((error: Error) =>
        logger.debug({ err: { message: error.message } }, 'signal not published; waiters poll'));
    },

    waiting: () => waiters.size,

    async close() {
      waiters.clear();
      subscription?.close();
      subscription = undefined;
    },
  };
}
