import { expect } from 'chai';
import { createLogger } from '../../src/platform/logger';
import { createRedis } from '../../src/platform/redis';
import { createRateLimits, limiterKey } from '../../src/platform/rate-limits';
import { TooManyRequestsError } from '../../src/platform/errors';
import { testConfig } from '../support/harness';

/** The fixed window counted in one script (issue 26): what it costs and what it keeps. */
describe('platform: a counted limit\'s fixed window (RateLimits.apply)', () => {
  const config = testConfig({ RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '2', RATE_LIMIT_PAYMENTS_DEVICE_SECONDS: '600' });
  const redis = createRedis(config);
  const limits = createRateLimits(config, redis, createLogger(config));
  after(() => redis.disconnect());
  const step = (key: string) => ({ name: 'paymentsPerDevice' as const, key, detail: 'espera {s} s' });
  const spec = config.rateLimits.paymentsPerDevice;

  it('the first point starts the window (its expiry set), later points keep it, and past the limit the refusal says when it ends', async () => {
    const key = `dev-${Date.now()}`;
    await limits.apply([step(key)]);
    const ttl = await redis.pttl(limiterKey('paymentsPerDevice', key));
    expect(ttl).to.be.greaterThan(0).and.at.most(spec.durationSec * 1000);
    for (let i = 1; i < spec.points; i++) await limits.apply([step(key)]);
    const refused = await limits.apply([step(key)]).then(() => null, (error: unknown) => error);
    expect(refused).to.be.instanceOf(TooManyRequestsError);
    expect(Number((refused as TooManyRequestsError).headers['Retry-After'])).to.be.greaterThan(0).and.at.most(spec.durationSec);
  });

  it('a counter given back to 0 starts a new full window at its next point (never looser than the old one)', async () => {
    const key = `dev-refund-${Date.now()}`;
    const redisKey = limiterKey('paymentsPerDevice', key);
    await limits.apply([step(key)]);
    await redis.pexpire(redisKey, 5_000); // as if most of the window had passed
    await limits.refund('paymentsPerDevice', key);
    expect(await redis.get(redisKey)).to.equal('0');
    await limits.apply([step(key)]);
    expect(await redis.pttl(redisKey)).to.be.greaterThan(5_000);
  });
});
