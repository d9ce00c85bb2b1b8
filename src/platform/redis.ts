import Redis, { type RedisOptions } from 'ioredis';
import type { Config } from './config';

/**
 * One factory for every Redis connection so TLS (rediss://) and timeouts are set
 * the same way everywhere. BullMQ workers need `maxRetriesPerRequest: null`.
 */
export function createRedis(config: Pick<Config, 'redis'>, options: RedisOptions = {}): Redis {
  const tls = config.redis.url.startsWith('rediss://') ? { tls: { rejectUnauthorized: config.redis.tlsRejectUnauthorized } } : {};
  return new Redis(config.redis.url, {
    connectTimeout: 5000,
    enableOfflineQueue: true,
    ...tls,
    ...options,
  });
}
