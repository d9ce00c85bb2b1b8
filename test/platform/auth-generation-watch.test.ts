import { expect } from 'chai';
import sinon from 'sinon';
import { createLogger } from '../../src/platform/logger';
import { createRedis } from '../../src/platform/redis';
import { createAuthGeneration, generationChannel, watchAuthGeneration, type GenerationWatch } from '../../src/platform/auth-generation';
import { testConfig } from '../support/harness';
import { FakeSubscriberConnection } from '../support/fake-subscriber';

/**
 * The worker's router cache asks the auth generation on every job (issue 26):
 * kept in the process while the change channel is live and no bump was
 * announced, read from Redis otherwise.
 */
describe('platform: the auth generation watched instead of read per use (fake connection, fake clock)', () => {
  const config = testConfig();
  const logger = createLogger(config);
  let clock: sinon.SinonFakeTimers;
  let connection: FakeSubscriberConnection;
  let watch: GenerationWatch;
  let stored: string | null;
  let reads: number;
  let duringRead: (() => void) | null = null;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ shouldClearNativeTimers: true }); // real Redis connections of other suites may clear their own timers meanwhile
    connection = new FakeSubscriberConnection();
    stored = '5';
    reads = 0;
    watch = watchAuthGeneration({
      generation: { current: async () => { reads++; duringRead?.(); return stored; } },
      channel: 'gen-changed', connect: () => connection, logger, recheckMs: 1000,
    });
  });
  afterEach(() => {
    watch.close();
    clock.restore();
  });
  async function live() {
    await watch.current(); // opens the subscription
    connection.connectNow();
    connection.ackAll();
    await clock.tickAsync(0);
  }

  it('closed during a read (the process stopping): the read answers, nothing is kept, and no subscriber is opened again', async () => {
    await live();
    let opened = 0;
    const counting = watchAuthGeneration({
      generation: { current: async () => { reads++; duringRead?.(); return stored; } },
      channel: 'gen-changed', connect: () => { opened++; return connection; }, logger, recheckMs: 1000,
    });
    duringRead = () => counting.close();
    try {
      expect(await counting.current()).to.equal('5');
    } finally {
      duringRead = null;
    }
    const before = reads;
    expect(await counting.current()).to.equal('5');
    expect(await counting.current()).to.equal('5');
    expect(reads - before, 'after close every use reads Redis').to.equal(2);
    expect(opened, 'one subscriber, never reopened after close').to.equal(1);
  });

  it('while the subscription is not live, every use reads Redis (as before the watch)', async () => {
    expect(await watch.current()).to.equal('5');
    expect(await watch.current()).to.equal('5');
    expect(reads).to.equal(2);
    expect(connection.channels).to.deep.equal([]); // not connected yet
  });

  it('once live, one read serves every use until a bump is announced; the next use reads the new generation', async () => {
    await live();
    expect(connection.channels).to.deep.equal(['gen-changed']);
    reads = 0;
    expect(await watch.current()).to.equal('5');
    expect(await watch.current()).to.equal('5');
    expect(await watch.current()).to.equal('5');
    expect(reads).to.equal(1);
    stored = '6';
    connection.message('gen-changed', '6');
    expect(await watch.current()).to.equal('6');
    expect(reads).to.equal(2);
  });

  it('a read answered while a bump was announced is used once, not kept', async () => {
    await live();
    reads = 0;
    // The bump lands while the read is in flight: the read may have seen the older generation.
    duringRead = () => connection.message('gen-changed', '6');
    expect(await watch.current()).to.equal('5');
    duringRead = null;
    stored = '6';
    expect(await watch.current()).to.equal('6');
    expect(await watch.current()).to.equal('6');
    expect(reads).to.equal(2);
  });

  it('kept for recheckMs at most: an unannounced change is seen within a second', async () => {
    await live();
    reads = 0;
    await watch.current();
    stored = '9'; // changed by something that does not announce (a process of the earlier version)
    await clock.tickAsync(999);
    expect(await watch.current()).to.equal('5');
    await clock.tickAsync(1);
    expect(await watch.current()).to.equal('9');
    expect(reads).to.equal(2);
  });

  it('a dropped connection forgets the value (bumps meanwhile are unheard): reads per use until live again, then keeps again', async () => {
    await live();
    await watch.current();
    reads = 0;
    connection.drop();
    stored = '8';
    expect(await watch.current()).to.equal('8');
    expect(await watch.current()).to.equal('8');
    expect(reads).to.equal(2);
    connection.connectNow();
    expect(connection.channels).to.deep.equal(['gen-changed', 'gen-changed']);
    connection.ackAll();
    await clock.tickAsync(0);
    await watch.current();
    await watch.current();
    expect(reads).to.equal(3);
  });

  it('Redis unable to say (null) is never kept', async () => {
    await live();
    stored = null;
    reads = 0;
    expect(await watch.current()).to.equal(null);
    expect(await watch.current()).to.equal(null);
    expect(reads).to.equal(2);
  });
});

describe('platform: a bump is announced on the change channel of its db and key prefix', () => {
  it('bump() moves the generation and publishes it in one script; a watch on real Redis forgets what it kept', async () => {
    const config = testConfig();
    const redis = createRedis(config);
    const generation = createAuthGeneration(redis, generationChannel(config));
    const watch = watchAuthGeneration({
      generation, channel: generationChannel(config), logger: createLogger(config),
      connect: () => createRedis(config, { autoResubscribe: false }), recheckMs: 60_000,
    });
    try {
      expect(generationChannel(config)).to.contain(config.redis.keyPrefix).and.to.match(/@\d+$/);
      const before = await watch.current();
      // Live once acknowledged: poll the watch (not the clock) until a value is kept.
      for (let i = 0; i < 100 && (await redis.pubsub('NUMSUB', generationChannel(config)) as [string, number])[1] == 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await watch.current();
      await generation.bump();
      const after = String(Number(before) + 1);
      let seen = await watch.current();
      for (let i = 0; i < 100 && seen !== after; i++) {
        await new Promise((r) => setTimeout(r, 10));
        seen = await watch.current();
      }
      expect(seen).to.equal(after);
    } finally {
      watch.close();
      redis.disconnect();
    }
  });
});
