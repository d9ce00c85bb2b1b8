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

/**
 * A Pub/Sub channel's name. Pub/Sub ignores the db number and the ioredis key
 * prefix, so both are in it: processes of another db or prefix on the same
 * server (another environment, test files side by side) neither hear nor wake
 * these. The one place channel names are made.
 */
export function pubsubChannel(config: Pick<Config, 'redis'>, name: string): string {
  let db = '0';
  try {
    db = new URL(config.redis.url).pathname.slice(1) || '0';
  } catch {
    // an unparsable URL fails elsewhere; the name only has to be stable
  }
  return `${config.redis.keyPrefix}{pagos}:${name}@${db}`;
}
