/**
 * Builds every long-lived dependency from the config, once per process, and
 * hands them down as plain objects (no globals). Web, worker, tests and the
 * demo all start from here, so they run the same code.
 */
import type { Knex } from 'knex';
import type Redis from 'ioredis';
import type { Config } from './config';
import { createKnex } from './db/knex';
import { createRedis } from './redis';
import { createLogger, type Logger } from './logger';
import { createSecretBox, type SecretBox } from './crypto/secret-box';
import { createPasswordHasher, type PasswordHasher } from './auth/passwords';
import { createSessionTokens, type SessionTokens } from './auth/session-tokens';
import { createRouterApiKeys, type RouterApiKeys } from './auth/router-api-keys';
import { createAuthService, type AuthService } from './services/auth-service';
import { createPortalService, type PortalService } from './services/portal-service';
import { createApiKeyUsage, type ApiKeyUsage } from './services/api-key-usage';
import { createRateLimits, type RateLimits } from './http/rate-limits';
import { createJobQueues, type JobQueues } from './jobs/queues';
import { createTransactionsStore, type TransactionsStore } from './payments/transactions-store';

export interface Container {
  config: Config;
  logger: Logger;
  knex: Knex;
  redis: Redis;
  secrets: SecretBox;
  passwords: PasswordHasher;
  sessions: SessionTokens;
  apiKeys: RouterApiKeys;
  auth: AuthService;
  portal: PortalService;
  keyUsage: ApiKeyUsage;
  rateLimits: RateLimits;
  jobs: JobQueues;
  transactions: TransactionsStore;
  close(): Promise<void>;
}

export function createContainer(config: Config, options: { processName?: string; logger?: Logger } = {}): Container {
  const logger = options.logger ?? createLogger(config, options.processName ?? 'web');
  const knex = createKnex(config);
  const redis = createRedis(config, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) => logger.warn({ err: { message: error.message } }, 'redis connection error'));
  const secrets = createSecretBox(config.encryptionKey);
  const passwords = createPasswordHasher(config.bcryptRounds);
  const sessions = createSessionTokens(config);
  const apiKeys = createRouterApiKeys(config, knex);
  const auth = createAuthService({ knex, passwords, sessions });
  const portal = createPortalService({ knex, config });
  const keyUsage = createApiKeyUsage(redis, knex);
  const rateLimits = createRateLimits(config, redis, logger);
  const jobs = createJobQueues(config, logger);
  const transactions = createTransactionsStore(knex);

  const closers: Array<() => Promise<unknown>> = [];
  return {
    config, logger, knex, redis, secrets, passwords, sessions, apiKeys, auth, portal, keyUsage, rateLimits, jobs, transactions,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await jobs.close();
      redis.disconnect();
      await knex.destroy();
    },
  };
}
