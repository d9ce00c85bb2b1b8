import { expect } from 'chai';
import { createLogger } from '../../src/platform/logger';
import { createRedis } from '../../src/platform/redis';
import { createSignals } from '../../src/platform/signals';
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

  it('a signal that arrives before the wait is kept; two waiters of one key both wake; closing unsubscribes', async () => {
    const a = web.listen('TRX_00000000000C');
    const b = web.listen('TRX_00000000000C');
    await a.ready();
    await worker.publish('TRX_00000000000C');
    await new Promise((r) => setTimeout(r, 100));
    expect(await a.wait(10)).to.equal(true);
    expect(await b.wait(10)).to.equal(true);
    a.close();
    b.close();
    const channels = await publisher.pubsub('NUMSUB', '{pagos}:signal:TRX_00000000000C') as [string, number];
    await new Promise((r) => setTimeout(r, 50));
    const after = await publisher.pubsub('NUMSUB', '{pagos}:signal:TRX_00000000000C') as [string, number];
    expect(Number(after[1])).to.equal(0, `subscribers before: ${channels[1]}`);
  });
});
