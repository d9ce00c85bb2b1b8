import Redis, { type RedisOptions } from 'ioredis';
import type { Config } from './config';

/**
 * One factory for every Redis connection so TLS (rediss://), timeouts and the
 * key prefix are set the same way everywhere. BullMQ workers need
 * `maxRetriesPerRequest: null`, and BullMQ refuses ioredis prefixes: its
 * connections (`use: 'queues'`) get none and take `config.redis.queuePrefix`.
 */
export function createRedis(config: Pick<Config, 'redis'>, options: RedisOptions = {}, use: 'keys' | 'queues' = 'keys'): Redis {
  const tls = config.redis.url.startsWith('rediss://') ? { tls: { rejectUnauthorized: config.redis.tlsRejectUnauthorized } } : {};
  const prefix = config.redis.keyPrefix;
  return new Redis(config.redis.url, {
    connectTimeout: 5000,
    enableOfflineQueue: true,
    ...tls,
    // A prefixed process names its connections, so its commands can be told apart (tests running side by side).
    ...(prefix ? { connectionName: `pagos:${prefix}`, ...(use === 'keys' ? { keyPrefix: prefix } : {}) } : {}),
    ...options,
  });
}
