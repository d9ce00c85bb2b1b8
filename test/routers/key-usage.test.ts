import { expect } from 'chai';
import sinon from 'sinon';
import { startTestApp, type TestContext } from '../support/harness';
import { insertEscenario } from '../support/fixtures';

describe('API key usage: Redis counters flushed to PostgreSQL in batches', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => { t = await startTestApp({ RATE_LIMIT_PORTAL_KEY_POINTS: '100000' }); });
  after(async () => { await t.close(); });
  afterEach(() => sinon.restore());

  const stored = async (keyId: string) => t.container.knex('router_api_keys').where({ key_id: keyId }).first('use_count', 'last_used');
  const hit = (apiKey: string) => t.request.get('/api/v1/config/public').set('X-API-Key', apiKey);

  it('1,000 concurrent portal requests with one key end with use_count 1,000 after a flush, with no write per request', async () => {
    const escenario = await insertEscenario(t.container);
    const started = Date.now();
    const results = [];
    for (let batch = 0; batch < 10; batch++) results.push(...(await Promise.all(Array.from({ length: 100 }, () => hit(escenario.apiKey)))));
    expect(results.every((r) => r.status === 200)).to.equal(true);
    expect((await stored(escenario.keyId)).use_count).to.equal(0); // nothing written per request
    const live = await t.container.keyUsage.live([escenario.keyId]);
    expect(live.get(escenario.keyId)!.count).to.equal(1000);
    await t.container.keyUsage.flush();
    const row = await stored(escenario.keyId);
    expect(row.use_count).to.equal(1000);
    expect(new Date(row.last_used).getTime()).to.be.within(started - 1000, Date.now() + 1000);
    expect((await t.container.keyUsage.live([escenario.keyId])).get(escenario.keyId)!.count).to.equal(0);
  });

  it('no increment is lost when the flushing worker dies before committing, nor counted twice when it dies after', async () => {
    const escenario = await insertEscenario(t.container);
    await Promise.all(Array.from({ length: 300 }, () => hit(escenario.apiKey)));
    // Dies before the PostgreSQL commit.
    const tx = sinon.stub(t.container.knex, 'transaction').rejects(new Error('worker killed'));
    await t.container.keyUsage.flush().then(() => { throw new Error('should fail'); }, (e: Error) => expect(e.message).to.equal('worker killed'));
    tx.restore();
    // Requests keep arriving between flushes.
    await Promise.all(Array.from({ length: 200 }, () => hit(escenario.apiKey)));
    expect((await t.container.keyUsage.live([escenario.keyId])).get(escenario.keyId)!.count).to.equal(500);
    // Dies after committing, before cleaning Redis up.
    const multi = sinon.stub(t.container.redis, 'multi').throws(new Error('worker killed after commit'));
    await t.container.keyUsage.flush().catch(() => undefined);
    multi.restore();
    // The first batch (300) reached PostgreSQL; its leftover copy in Redis is not counted again.
    expect((await stored(escenario.keyId)).use_count).to.equal(300);
    expect((await t.container.keyUsage.live([escenario.keyId])).get(escenario.keyId)!.count).to.equal(200);
    await Promise.all(Array.from({ length: 500 }, () => hit(escenario.apiKey)));
    await t.container.keyUsage.flush();
    expect((await stored(escenario.keyId)).use_count).to.equal(1000);
  });

  it('last use is the latest time whatever order the uses arrive in, and a last-used hash left by the earlier version (HGET + HSET) is still read and flushed', async () => {
    const [older, newer] = [await insertEscenario(t.container), await insertEscenario(t.container)];
    const redis = t.container.redis;
    const earlier = Date.now() - 60_000;
    const later = Date.now() + 60_000;
    // The earlier version's hash (a web process not yet replaced during a deploy): a later time for one key, an earlier for the other.
    await redis.hset('{pagos}:apikey-usage:last', older.keyId, String(later), newer.keyId, String(earlier));
    await hit(older.apiKey);
    await hit(newer.apiKey);
    // ZADD GT: an earlier time arriving late (another process, a slower request) does not move it back.
    await redis.zadd('{pagos}:apikey-usage:last-at', 'GT', String(earlier), newer.keyId);
    const live = await t.container.keyUsage.live([older.keyId, newer.keyId]);
    expect(live.get(older.keyId)!.lastUsed!.getTime()).to.equal(later);
    expect(live.get(newer.keyId)!.lastUsed!.getTime()).to.be.greaterThan(earlier);
    await t.container.keyUsage.flush();
    expect(new Date((await stored(older.keyId)).last_used).getTime()).to.equal(later);
    expect(new Date((await stored(newer.keyId)).last_used).getTime()).to.equal(live.get(newer.keyId)!.lastUsed!.getTime());
    expect(await redis.exists('{pagos}:apikey-usage:last', '{pagos}:apikey-usage:last-at')).to.equal(0);
  });
});
