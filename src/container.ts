/**
 * Builds every long-lived dependency from the config, once per process, and
 * hands them down as plain objects (no globals). Web, worker, tests and the
 * demo all start from here, so they run the same code.
 */
import type { Knex } from 'knex';
import type Redis from 'ioredis';
import type { Config } from './platform/config';
import { createKnex } from './platform/db/knex';
import { createRedis } from './platform/redis';
import { createLogger, type Logger } from './platform/logger';
import { createSecretBox, type SecretBox } from './platform/crypto/secret-box';
import { createPasswordHasher, type PasswordHasher } from './features/auth';
import { createSessionTokens, type SessionTokens } from './features/auth';
import { createRouterApiKeys, type RouterApiKeys } from './features/routers';
import { createAuthGeneration, type AuthGeneration } from './platform/auth-generation';
import { createPortalGate, type PortalGate } from './features/auth';
import { createAuthService, type AuthService } from './features/auth';
import { createPortalService, type PortalService } from './features/portal';
import { createApiKeyUsage, type ApiKeyUsage } from './features/routers';
import { createEmpresasService, type EmpresasService } from './features/empresas';
import { createRoutersService, type RoutersService } from './features/routers';
import { createUsuariosService, type UsuariosService } from './features/usuarios';
import { createDashboardService, type DashboardService } from './features/dashboard';
import { createRateLimits, type RateLimits } from './platform/rate-limits';
import { createJobQueues, type JobQueues } from './platform/jobs/queues';
import { createTransactionsStore, type TransactionsStore } from './features/transacciones';
import { createGatewayFactory, type GatewayFactory } from './features/transacciones';
import { createPurchaseService, type PurchaseService } from './features/transacciones';
import { createMikrotikPool, HotspotClient, type MikrotikPool } from './integrations/mikrotik';
import { createHotspotService, type HotspotService } from './features/hotspot';
import { createRouterTargets, type RouterTargets } from './features/routers';
import { createOutcomeApplier, type OutcomeApplier } from './features/transacciones';
import { createConfirmationService, type ConfirmationService } from './features/transacciones';
import { createReconciler, type Reconciler } from './features/transacciones';
import { createKeyExpiryWarnings } from './features/routers';
import { createWebhookService, type WebhookService } from './features/transacciones';
import { createMiEmpresaService, type MiEmpresaService } from './features/empresas';
import { createProductosService, type ProductosService } from './features/productos';
import { createCatalogoService, type CatalogoService } from './features/productos';
import { createVentasService, type VentasService } from './features/transacciones';
import { createMisRoutersService, type MisRoutersService } from './features/routers';
import { createAdminActions, type AdminActions } from './features/transacciones';
import { createReconnectService, type ReconnectService } from './features/hotspot';

export interface Container {
  config: Config;
  logger: Logger;
  knex: Knex;
  redis: Redis;
  secrets: SecretBox;
  passwords: PasswordHasher;
  sessions: SessionTokens;
  apiKeys: RouterApiKeys;
  authGeneration: AuthGeneration;
  portalGate: PortalGate;
  auth: AuthService;
  portal: PortalService;
  keyUsage: ApiKeyUsage;
  empresas: EmpresasService;
  routers: RoutersService;
  usuarios: UsuariosService;
  dashboard: DashboardService;
  rateLimits: RateLimits;
  jobs: JobQueues;
  transactions: TransactionsStore;
  gateways: GatewayFactory;
  purchases: PurchaseService;
  mikrotik: MikrotikPool;
  hotspot: HotspotClient;
  targets: RouterTargets;
  hotspotService: HotspotService;
  applyOutcome: OutcomeApplier;
  confirmations: ConfirmationService;
  reconciler: Reconciler;
  keyExpiry: ReturnType<typeof createKeyExpiryWarnings>;
  webhooks: WebhookService;
  saleActions: AdminActions;
  reconnect: ReconnectService;
  /** Cliente admin API (issue 5). */
  miEmpresa: MiEmpresaService;
  productos: ProductosService;
  catalogo: CatalogoService;
  ventas: VentasService;
  misRouters: MisRoutersService;
  close(): Promise<void>;
}

export function createContainer(config: Config, options: { processName?: string; logger?: Logger } = {}): Container {
  const logger = options.logger ?? createLogger(config, options.processName ?? 'web');
  const knex = createKnex(config, undefined, logger);
  // Auto-pipelining: commands issued in the same tick (by concurrent requests) share a round trip.
  // A command timeout: a Redis that accepts but does not answer must not hang requests; callers fall back.
  const redis = createRedis(config, { maxRetriesPerRequest: 2, enableAutoPipelining: true, commandTimeout: config.redis.commandTimeoutMs });
  redis.on('error', (error) => logger.warn({ err: { message: error.message } }, 'redis connection error'));
  const secrets = createSecretBox(config.encryptionKey);
  const passwords = createPasswordHasher(config.bcryptRounds);
  const sessions = createSessionTokens(config);
  const apiKeys = createRouterApiKeys(config, knex);
  const authGeneration = createAuthGeneration(redis);
  const auth = createAuthService({ knex, passwords, sessions });
  const portal = createPortalService({ knex, config });
  const keyUsage = createApiKeyUsage(redis, knex);
  const empresas = createEmpresasService({ knex, secrets });
  const routers = createRoutersService({ knex, secrets, apiKeys, keyUsage, logger });
  const usuarios = createUsuariosService({ knex, passwords });
  const dashboard = createDashboardService({ knex });
  const rateLimits = createRateLimits(config, redis, logger);
  const portalGate = createPortalGate(redis, config.rateLimits.portalPerKey);
  const jobs = createJobQueues(config, logger);
  const transactions = createTransactionsStore(knex);
  const gateways = createGatewayFactory(config, secrets);
  const purchases = createPurchaseService({ config, knex, secrets, transactions, gateways, jobs, rateLimits, logger });
  const mikrotik = createMikrotikPool({
    connectTimeoutMs: config.mikrotik.connectTimeoutMs,
    commandTimeoutMs: config.mikrotik.commandTimeoutMs,
    maxConcurrentPerRouter: config.mikrotik.maxConcurrentPerRouter,
    breakerFailureThreshold: config.mikrotik.breakerThreshold,
    breakerCooldownMs: config.mikrotik.breakerCooldownMs,
    logger,
  });
  const hotspot = new HotspotClient(mikrotik);
  const targets = createRouterTargets(knex, secrets);
  const hotspotService = createHotspotService({
    knex, secrets, transactions, hotspot, targets, logger,
    circuitOpen: (routerId) => mikrotik.stats().some((r) => r.routerId === routerId && r.breaker === 'open'),
  });
  const applyOutcome = createOutcomeApplier({ transactions, jobs, logger });
  const confirmations = createConfirmationService({ knex, transactions, gateways, applyOutcome });
  const reconciler = createReconciler({ config, knex, jobs, transactions, logger });
  const keyExpiry = createKeyExpiryWarnings({ config, knex, secrets, logger });
  const reconnect = createReconnectService({
    secrets, transactions, hotspot, targets, rateLimits,
    findByUser: (routerId, usuario) => knex('transacciones').where({ router_id: routerId, hotspot_usuario: usuario }).first(),
  });
  const saleActions = createAdminActions({ knex, transactions, gateways, jobs });
  const webhooks = createWebhookService({ config, knex, secrets, transactions, gateways, applyOutcome, logger });

  const miEmpresa = createMiEmpresaService({ knex, secrets, config });
  const productos = createProductosService({ knex, hotspot, targets });
  const catalogo = createCatalogoService({ knex });
  const ventas = createVentasService({ knex, secrets, transactions });
  const misRouters = createMisRoutersService({ knex, hotspot, targets });

  const closers: Array<() => Promise<unknown>> = [];
  return {
    config, logger, knex, redis, secrets, passwords, sessions, apiKeys, authGeneration, portalGate, auth, portal, keyUsage, empresas, routers, usuarios, dashboard, rateLimits, jobs, transactions, gateways, purchases,
    mikrotik, hotspot, targets, hotspotService, applyOutcome, confirmations, reconciler, keyExpiry, webhooks, saleActions, reconnect,
    miEmpresa, productos, catalogo, ventas, misRouters,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await jobs.close();
      await mikrotik.close();
      redis.disconnect();
      await knex.destroy();
    },
  };
}
