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
import { createAuthGeneration, type AuthGeneration } from './auth/auth-generation';
import { createPortalGate, type PortalGate } from './auth/portal-gate';
import { createAuthService, type AuthService } from './services/auth-service';
import { createPortalService, type PortalService } from './services/portal-service';
import { createApiKeyUsage, type ApiKeyUsage } from './services/api-key-usage';
import { createEmpresasService, type EmpresasService } from './services/empresas-service';
import { createRoutersService, type RoutersService } from './services/routers-service';
import { createUsuariosService, type UsuariosService } from './services/usuarios-service';
import { createDashboardService, type DashboardService } from './services/dashboard-service';
import { createRateLimits, type RateLimits } from './http/rate-limits';
import { createJobQueues, type JobQueues } from './jobs/queues';
import { createTransactionsStore, type TransactionsStore } from './payments/transactions-store';
import { createGatewayFactory, type GatewayFactory } from './payments/gateway-factory';
import { createPurchaseService, type PurchaseService } from './payments/purchase-service';
import { createMikrotikPool, HotspotClient, type MikrotikPool } from './mikrotik';
import { createHotspotService, createRouterTargets, type HotspotService, type RouterTargets } from './services/hotspot-service';
import { createOutcomeApplier, type OutcomeApplier } from './payments/outcomes';
import { createConfirmationService, type ConfirmationService } from './payments/confirmation-service';
import { createReconciler, type Reconciler } from './payments/reconciler';
import { createKeyExpiryWarnings } from './services/key-expiry-warnings';
import { createWebhookService, type WebhookService } from './payments/webhook-service';
import { createMiEmpresaService, type MiEmpresaService } from './services/mi-empresa-service';
import { createProductosService, type ProductosService } from './services/productos-service';
import { createCatalogoService, type CatalogoService } from './services/catalogo-service';
import { createVentasService, type VentasService } from './services/ventas-service';
import { createMisRoutersService, type MisRoutersService } from './services/mis-routers-service';
import { createAdminActions, type AdminActions } from './payments/admin-actions';
import { createReconnectService, type ReconnectService } from './services/reconnect-service';

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
  const knex = createKnex(config);
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
