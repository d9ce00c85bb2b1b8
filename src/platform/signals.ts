/**
 * Per-key wake-up signals over Redis Pub/Sub (issue 12 item 6): a request that
 * waits for its own transaction listens on that transaction's channel only, so
 * a web process receives the signals of its own waiting requests, never every
 * job's events.
 *
 * One subscriber connection per process, opened on first use, shared by every
 * waiting request (a map from channel to its waiters). A signal is only a hint
 * to re-read PostgreSQL: callers always bound the wait and poll, so a lost
 * signal (Redis down, a publish before the subscription) costs one poll
 * interval, never correctness.
 */
import type Redis from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';
import { createRedis } from './redis';
import { withDeadline } from './deadline';

const CHANNEL_PREFIX = '{pagos}:signal:';
const SUBSCRIBE_TIMEOUT_MS = 1000;

export interface Listener {
  /** Resolves once the subscription is confirmed (or has failed: then waits only poll). Never rejects. */
  ready(): Promise<void>;
  /** Resolves true when the signal arrives, false after `ms`; never rejects. */
  wait(ms: number): Promise<boolean>;
  close(): void;
}

export interface Signals {
  /** Starts listening at once (before the work that will signal is started). */
  listen(key: string): Listener;
  /** Wakes the listeners of `key` on every process; never rejects. */
  publish(key: string): Promise<void>;
  close(): Promise<void>;
}

export function createSignals(config: Config, logger: Logger, publisher: Redis): Signals {
  let subscriber: Redis | undefined;
  const waiters = new Map<string, Set<() => void>>();
  /** Channels whose SUBSCRIBE is sent, with its acknowledgement. */
  const subscribed = new Map<string, Promise<void>>();

  function connection(): Redis {
    if (!subscriber) {
      subscriber = createRedis(config, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false });
      subscriber.on('error', (error) => logger.warn({ err: { message: error.message } }, 'signal subscriber redis error'));
      subscriber.on('message', (channel: string) => {
        for (const wake of waiters.get(channel) ?? []) wake();
      });
    }
    return subscriber;
  }

  function release(channel: string, wake: () => void) {
    const set = waiters.get(channel);
    if (!set) return;
    set.delete(wake);
    if (set.size > 0) return;
    waiters.delete(channel);
    subscribed.delete(channel);
    subscriber?.unsubscribe(channel).catch(() => undefined);
  }

  return {
    listen(key) {
      const channel = CHANNEL_PREFIX + key;
      let fired = false;
      let notify: (() => void) | undefined;
      const wake = () => {
        fired = true;
        notify?.();
      };
      let set = waiters.get(channel);
      if (!set) waiters.set(channel, (set = new Set()));
      set.add(wake);
      let ready = subscribed.get(channel);
      if (!ready) {
        ready = withDeadline(connection().subscribe(channel), SUBSCRIBE_TIMEOUT_MS).then(() => undefined, (error: Error) => {
          subscribed.delete(channel); // the next listener tries again
          logger.debug({ err: { message: error.message } }, 'signal subscription failed; waiting by polling');
        });
        subscribed.set(channel, ready);
      }
      const subscription = ready;
      let closed = false;
      return {
        ready: async () => { await subscription; },
        async wait(ms) {
          if (fired) return (fired = false), true;
          if (closed || ms <= 0) return false;
          return new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => { notify = undefined; resolve(false); }, ms);
            notify = () => { clearTimeout(timer); notify = undefined; fired = false; resolve(!closed); };
          });
        },
        close() {
          if (closed) return;
          closed = true;
          notify?.();
          release(channel, wake);
        },
      };
    },

    async publish(key) {
      await withDeadline(publisher.publish(CHANNEL_PREFIX + key, '1'), SUBSCRIBE_TIMEOUT_MS).catch((error: Error) =>
        logger.debug({ err: { message: error.message } }, 'signal not published; waiters poll'));
    },

    async close() {
      waiters.clear();
      subscribed.clear();
      subscriber?.disconnect();
      subscriber = undefined;
    },
  };
}
