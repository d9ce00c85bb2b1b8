/**
 * The test agent (Ghost-style): a real app on a real database and Redis,
 * driven over HTTP with supertest.
 */
import supertest from 'supertest';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../../src/platform/config';
import { createContainer, type Container } from '../../src/container';
import { createApp, type PagosApp } from '../../src/app';
import type { Logger } from '../../src/platform/logger';
import type { GatewayProvider } from '../../src/integrations/gateways';
import { ensureSuperAdmin } from '../../src/features/auth';
import { TEST_ENV } from './env';
import { clearScopeRedis } from './scope';

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...extra });
}

const TABLES = [
  'api_key_usage_batches',
  'fichas', 'fichas_lotes',
  'webhook_eventos', 'transaccion_eventos', 'transacciones', 'productos', 'sesiones_revocadas',
  'usuarios', 'api_key_expiry_warnings', 'router_api_keys', 'empresa_logos', 'routers', 'empresas', 'conekta_plataforma_webhooks',
];

export async function resetDatabase(knex: Knex): Promise<void> {
  await knex.raw(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}

export interface TestContext {
  config: Config;
  container: Container;
  app: PagosApp;
  request: supertest.Agent;
  close(): Promise<void>;
}

/** A fresh app on a clean database (this file's schema) and Redis (this file's prefix), with the initial super admin in place. */
export async function startTestApp(extra: Record<string, string> = {}, options: { logger?: Logger; gatewayProviders?: readonly GatewayProvider[] } = {}): Promise<TestContext> {
  const config = testConfig(extra);
  const container = createContainer(config, {
    processName: 'test', ...(options.logger ? { logger: options.logger } : {}), ...(options.gatewayProviders ? { gatewayProviders: options.gatewayProviders } : {}),
  });
  await resetDatabase(container.knex);
  await clearScopeRedis();
  await ensureSuperAdmin(container.stores.usuarios, config, container.passwords);
  const app = createApp(container);
  const server = app.callback();
  return {
    config, container, app,
    request: supertest.agent(server),
    async close() {
      await container.close();
      // Responses are checked against their declared schemas (config.http.validateResponses, on in tests):
      // each mismatch already answered 500; this names them all even if a test did not look at the status.
      if (app.responseMismatches.length > 0) {
        throw new Error(`responses that do not match their declared schema: ${JSON.stringify(app.responseMismatches, null, 1)}`);
      }
    },
  };
}

export async function loginAs(t: TestContext, email: string, password: string): Promise<string> {
  const res = await t.request.post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

export const loginSuperAdmin = (t: TestContext) => loginAs(t, t.config.superAdmin.email, t.config.superAdmin.password);

/** The header that sends a session token or a router API key: `t.request.get(url).set(as(token))`. */
export const as = (token: string) => ({ Authorization: `Bearer ${token}` });
