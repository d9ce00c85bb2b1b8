import { expect } from 'chai';
import sinon from 'sinon';
import type Redis from 'ioredis';
import { createLogger } from '../../src/platform/logger';
import { createRedis } from '../../src/platform/redis';
import { createSignals, signalChannelPrefix, type Signals } from '../../src/platform/signals';
import { FakeSubscriberConnection as FakeConnection } from '../support/fake-subscriber';
import { testConfig } from '../support/harness';

describe('platform: per-transaction signals (a purchase waits only for itself)', () => {
  const config = testConfig();
  const logger = createLogger(config);
  const publisher = createRedis(config);
  const web = createSignals(config, logger, createRedis(config));
  const worker = createSignals(config, logger, publisher);
  after(async () => {
    await web.close();
    await worker.close();
    publisher.disconnect();
  });

  it("wakes the listener of its own key at once, and not another key's", async () => {
    const mine = web.listen('TRX_00000000000A');
    const other = web.listen('TRX_00000000000B');
    await Promise.all([mine.ready(), other.ready()]);
    // true: woken by the publish (a wait that runs out answers false); the other key's listener was not.
    const [woke, otherWoke] = await Promise.all([mine.wait(2000), other.wait(300), worker.publish('TRX_00000000000A')]);
    expect(woke).to.equal(true);
    expect(otherWoke).to.equal(false);
    mine.close();
    other.close();
  });

  it('a signal that arrives before the wait is kept; two waiters of one key both wake; closing removes the waiters', async () => {
    const a = web.listen('TRX_00000000000C');
    const b = web.listen('TRX_00000000000C');
    await a.ready();
    await worker.publish('TRX_00000000000C');
    await new Promise((r) => setTimeout(r, 100));
    expect(await a.wait(10)).to.equal(true);
    expect(await b.wait(10)).to.equal(true);
    a.close();
    b.close();
    expect(web.waiting()).to.equal(0);
  });

  it('the channels carry the key prefix and the db: another environment on the same server neither hears nor wakes these', async () => {
    expect(signalChannelPrefix(config)).to.equal(`${config.redis.keyPrefix}{pagos}:signal@${new URL(config.redis.url).pathname.slice(1) || '0'}:`);
    expect(signalChannelPrefix({ redis: { ...config.redis, keyPrefix: 'otro:' } })).not.to.equal(signalChannelPrefix(config));
    const listener = web.listen('TRX_00000000000E');
    await listener.ready();
    // The same sale id on another environment's channel (another prefix): not this process's signal.
    await publisher.publish(`otro:{pagos}:signal@0:TRX_00000000000E`, '1');
    expect(await listener.wait(200)).to.equal(false);
    await publisher.publish(`${signalChannelPrefix(config)}TRX_00000000000E`, '1');
    expect(await listener.wait(2000)).to.equal(true);
    listener.close();
  });

  it('a request costs Redis no SUBSCRIBE of its own: one pattern subscription per process, none per key', async () => {
    const listener = web.listen('TRX_00000000000D');
    await listener.ready();
    const [, perKey] = await publisher.pubsub('NUMSUB', `${signalChannelPrefix(config)}TRX_00000000000D`) as [string, number];
    expect(Number(perKey)).to.equal(0);
    expect(Number(await publisher.pubsub('NUMPAT'))).to.be.greaterThan(0);
    listener.close();
  });
});

describe('platform: signals over one pattern subscription, with a fake connection and a fake clock', () => {
  const config = testConfig();
  const logger = createLogger(config);
  let clock: sinon.SinonFakeTimers;
  let connection: FakeConnection;
  let signals: Signals;
  const publisher = { publish: async () => 1 } as unknown as Redis;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ shouldClearNativeTimers: true }); // real Redis connections of other suites may clear their own timers meanwhile
    connection = new FakeConnection(signalChannelPrefix(config));
    signals = createSignals(config, logger, publisher, { connect: () => connection, lifetimeMs: 60_000 });
  });
  afterEach(async () => {
    await signals.close();
    clock.restore();
  });
  const flush = () => clock.tickAsync(0);

  it('subscribes once for every key, only when connected, and wakes only the waiters of the signalled key', async () => {
    const mine = signals.listen('TRX_A');
    const other = signals.listen('TRX_B');
    expect(connection.patterns).to.deep.equal([]); // not connected yet: nothing sent
    connection.connectNow();
    connection.ackAll();
    await mine.ready();
    expect(connection.patterns).to.deep.equal([`${signalChannelPrefix(config)}*`]);
    const woke = mine.wait(1000);
    const otherWoke = other.wait(1000);
    connection.deliver('TRX_A', '{"settled":"TRX_A"}');
    await clock.tickAsync(1000);
    expect(await woke).to.equal(true);
    expect(mine.message(), 'what the signal carried').to.equal('{"settled":"TRX_A"}');
    expect(await otherWoke).to.equal(false);
    expect(other.message()).to.equal(undefined);
    signals.listen('TRX_C').close();
    expect(connection.patterns).to.have.length(1);
    mine.close();
    other.close();
  });

  it('ready() gives up after a second without a live subscription (the caller polls), and a signal meanwhile is lost', async () => {
    const listener = signals.listen('TRX_A');
    let ready = false;
    void listener.ready().then(() => { ready = true; });
    await clock.tickAsync(999);
    expect(ready).to.equal(false);
    await clock.tickAsync(1);
    expect(ready).to.equal(true);
    connection.deliver('TRX_A'); // what a live subscription would have delivered: the fake still hands it over
    expect(await listener.wait(0)).to.equal(true);
    listener.close();
  });

  it('after the connection drops it subscribes again on reconnection; waiters poll meanwhile and hear signals again once it is live', async () => {
    connection.connectNow();
    const listener = signals.listen('TRX_A');
    connection.ackAll();
    await flush();
    connection.drop();
    // Down: a waiter's wait runs to its poll interval (the caller re-reads PostgreSQL then).
    const waited = listener.wait(1000);
    await clock.tickAsync(1000);
    expect(await waited).to.equal(false);
    let ready = false;
    const readiness = listener.ready().then(() => { ready = true; });
    connection.connectNow();
    expect(connection.patterns).to.deep.equal([`${signalChannelPrefix(config)}*`, `${signalChannelPrefix(config)}*`]);
    await flush();
    expect(ready, 'live only once acknowledged').to.equal(false);
    connection.ackAll();
    await readiness;
    const woke = listener.wait(1000);
    connection.deliver('TRX_A');
    expect(await woke).to.equal(true);
    listener.close();
  });

  it('an acknowledgement from before a drop does not make the new connection live', async () => {
    connection.connectNow();
    const listener = signals.listen('TRX_A');
    connection.drop();
    connection.ackAll(); // the first connection's late acknowledgement
    let ready = false;
    void listener.ready().then(() => { ready = true; });
    await flush();
    expect(ready).to.equal(false);
    connection.connectNow();
    connection.ackAll();
    await flush();
    expect(ready).to.equal(true);
    listener.close();
  });

  it('a waiter its caller never closes is removed when its lifetime runs out; a closed one at once', async () => {
    connection.connectNow();
    connection.ackAll();
    const forgotten = signals.listen('TRX_A');
    const closed = signals.listen('TRX_B');
    closed.close();
    expect(signals.waiting()).to.equal(1);
    const pending = forgotten.wait(120_000);
    await clock.tickAsync(59_999);
    expect(signals.waiting()).to.equal(1);
    await clock.tickAsync(1);
    expect(signals.waiting()).to.equal(0);
    expect(await pending, 'a wait in progress ends when its listener is closed').to.equal(false);
    connection.deliver('TRX_A'); // nobody left to wake
    expect(await forgotten.wait(10)).to.equal(false);
  });

  it('close() disconnects the subscriber and forgets every waiter', async () => {
    connection.connectNow();
    signals.listen('TRX_A');
    await signals.close();
    expect(connection.disconnected).to.equal(true);
    expect(signals.waiting()).to.equal(0);
  });
});
