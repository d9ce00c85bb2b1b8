/**
 * One long-lived Pub/Sub subscription on its own connection (issue 26): a
 * channel or a pattern, subscribed once per process instead of once per use,
 * with its state known to the caller.
 *
 * `live` is true only while the subscription is confirmed on the current
 * connection: from the acknowledgement of SUBSCRIBE / PSUBSCRIBE until the
 * connection closes. A message published while it is not live is lost, so a
 * caller treats "not live" as "I may have missed something" (signals wait by
 * polling; the auth generation is read instead of trusted). ioredis's own
 * re-subscription is turned off: each (re)connection's `ready` sends the
 * subscription again and only its acknowledgement makes it live, and every
 * change is reported to `onLive`.
 */
import type { Logger } from './logger';

/** What the subscription needs of an ioredis connection (a fake in the tests). */
export interface SubscriberConnection {
  subscribe(...channels: string[]): Promise<unknown>;
  psubscribe(...patterns: string[]): Promise<unknown>;
  on(event: 'ready' | 'close' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'pmessage', listener: (pattern: string, channel: string, message: string) => void): unknown;
  disconnect(): void;
  readonly status: string;
}

export interface Subscription {
  /** Confirmed on the current connection: every message published from now on arrives. */
  readonly live: boolean;
  /** Resolves true once live (at once if it is), false after `ms`; never rejects. */
  ready(ms: number): Promise<boolean>;
  close(): void;
}

export function openSubscription(options: {
  /** Opens the connection; called once (ioredis reconnects it). Created with `autoResubscribe: false`. */
  connect: () => SubscriberConnection;
  /** Exactly one of the two. */
  channel?: string;
  pattern?: string;
  onMessage: (channel: string, message: string) => void;
  /** Every change of `live`, after it happened. */
  onLive?: (live: boolean) => void;
  logger: Logger;
  name: string;
}): Subscription {
  const { channel, pattern, logger, name } = options;
  if ((channel === undefined) === (pattern === undefined)) throw new Error('openSubscription: a channel or a pattern');
  let live = false;
  let closed = false;
  /** Counts connections: an acknowledgement from an earlier one does not make this one live. */
  let epoch = 0;
  let waiting: Array<(live: boolean) => void> = [];

  const setLive = (value: boolean) => {
    if (live === value) return;
    live = value;
    if (value) {
      const all = waiting;
      waiting = [];
      for (const resolve of all) resolve(true);
    }
    options.onLive?.(value);
  };

  const connection = options.connect();
  const subscribe = () => {
    if (closed) return;
    const mine = ++epoch;
    const sent = pattern !== undefined ? connection.psubscribe(pattern) : connection.subscribe(channel!);
    sent.then(
      () => { if (mine === epoch && !closed && connection.status === 'ready') setLive(true); },
      (error: Error) => logger.warn({ err: { message: error.message } }, `${name}: subscription not confirmed; waiting for the next connection`),
    );
  };
  connection.on('ready', subscribe);
  const down = () => {
    epoch++;
    setLive(false);
  };
  connection.on('close', down);
  connection.on('end', down);
  connection.on('error', (error) => logger.warn({ err: { message: error.message } }, `${name}: subscriber redis error`));
  if (pattern !== undefined) connection.on('pmessage', (_pattern, from, message) => options.onMessage(from, message));
  else connection.on('message', (from, message) => options.onMessage(from, message));
  // Connected before the listeners were attached (a fake, or a reused connection): subscribe now.
  if (connection.status === 'ready') subscribe();

  return {
    get live() { return live; },
    ready(ms) {
      if (live) return Promise.resolve(true);
      if (closed || ms <= 0) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const settle = (value: boolean) => {
          clearTimeout(timer);
          waiting = waiting.filter((w) => w !== settle);
          resolve(value);
        };
        const timer = setTimeout(() => settle(false), ms);
        waiting.push(settle);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      down();
      const all = waiting;
      waiting = [];
      for (const resolve of all) resolve(false);
      connection.disconnect();
    },
  };
}
