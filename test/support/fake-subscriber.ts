import { EventEmitter } from 'node:events';
import type { SubscriberConnection } from '../../src/platform/subscription';

/** A subscriber connection the test drives: connects, acknowledges, drops and delivers when told. */
export class FakeSubscriberConnection extends EventEmitter implements SubscriberConnection {
  status = 'connecting';
  patterns: string[] = [];
  acks: Array<() => void> = [];
  disconnected = false;
  channels: string[] = [];
  /** `signalPrefix`: the signals' channel prefix, for a signal delivered before any pattern was subscribed. */
  constructor(private readonly signalPrefix = '') { super(); }
  psubscribe(pattern: string) {
    this.patterns.push(pattern);
    return new Promise<unknown>((resolve) => this.acks.push(() => resolve(1)));
  }
  subscribe(channel: string) {
    this.channels.push(channel);
    return new Promise<unknown>((resolve) => this.acks.push(() => resolve(1)));
  }
  connectNow() { this.status = 'ready'; this.emit('ready'); }
  drop() { this.status = 'reconnecting'; this.emit('close'); }
  ackAll() { const all = this.acks; this.acks = []; all.forEach((ack) => ack()); }
  /** A signal for `key`, as the signals' pattern subscription (the last pattern subscribed) hears it. */
  deliver(key: string, message = '1') {
    const pattern = this.patterns.at(-1) ?? `${this.signalPrefix}*`;
    this.emit('pmessage', pattern, `${pattern.slice(0, -1)}${key}`, message);
  }
  /** A message on a channel subscribed to by name. */
  message(channel: string, message: string) { this.emit('message', channel, message); }
  disconnect() { this.disconnected = true; this.status = 'end'; }
}
