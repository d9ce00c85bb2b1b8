/**
 * Builds every long-lived dependency from the config, once per process, and
 * hands them down as plain objects (no globals). Web, worker, tests and the
 * demo all start from here, so they run the same code.
 */
import type { Knex } from 'knex';
import type Redis from 'ioredis';
import type { Config } from './platform/config';
import { createKnex } from './platform/db/knex';
import { transactionRunner } from './platform/db/objection';
import { createEmpresasStore, type EmpresasStore } from './features/empresas';
import { createRoutersStore, type RoutersStore } from './features/routers';
import { createUsuariosStore, type UsuariosStore } from './features/auth';
import { createProductosStore, type ProductosStore } from './features/productos';
import { createRadiusService, createRadiusStore, type RadiusService } from './features/radius';
import { createVentasStatsStore } from './features/dashboard';
import { latestSales } from './features/ventas';
import { createRedis } from './platform/redis';
import { createLogger, type Logger } from './platform/logger';
import { createSecretBox, type SecretBox } from './platform/crypto/secret-box';
import { createPasswordHasher, type PasswordHasher } from './features/auth';
import { createSessionTokens, type SessionTokens } from './features/auth';
import { createRouterApiKeys, type RouterApiKeys } from './features/routers';
import { createAuthGeneration, generationChannel, watchAuthGeneration, type AuthGeneration } from './platform/auth-generation';
import { createPortalGate, PORTAL_GATE_COMMAND, type PortalGate } from './features/auth';
import { createAuthService, type AuthService } from './features/auth';
import { createPortalService, type PortalService } from './features/portal';
import { createApiKeyUsage, type ApiKeyUsage } from './features/routers';
import { createEmpresasService, type EmpresasService } from './features/empresas';
import { createRoutersService, type RoutersService } from './features/routers';
import { createUsuariosService, type UsuariosService } from './features/usuarios';
import { createDashboardService, type DashboardService } from './features/dashboard';
import { createRateLimits, type RateLimits } from './platform/rate-limits';
import { createRouterAddressPolicy, RouterAddressRefused } from './platform/router-address';
import { createJobQueues, type JobQueues } from './platform/jobs/queues';
import { createCashReferencesStore, createSalesStatsStore, createTransaccionesStore, type TransaccionesStore } from './features/transacciones';
import { createGatewayFactory, type GatewayFactory } from './features/transacciones';
import { createPurchaseService, type PurchaseService } from './features/checkout';
import { createMikrotikPool, HotspotClient, HotspotTrialClient, type MikrotikPool } from './integrations/mikrotik';
import { createHotspotService, type HotspotService } from './features/hotspot';
import { cachedRouterTargets, createRouterTargets, createPruebaService, createPruebasConteo, createPruebasStore, type PruebasConteoService, type RouterTargets } from './features/routers';
import { createFollowUps, createOutcomeApplier, notifySale, type OutcomeApplier } from './features/transacciones';
import { createSignals, type Signals } from './platform/signals';
import { createConfirmationService, type ConfirmationService } from './features/checkout';
import { createReconciler, type Reconciler } from './features/transacciones';
import { createKeyExpiryWarnings } from './features/routers';
import { createWebhookService, type WebhookService } from './features/webhooks';
import { createConektaWebhooks, createMiEmpresaService, type MiEmpresaService } from './features/empresas';
import { createConektaWebhookSetup, createGatewayRegistry, type GatewayProvider, type GatewayRegistry } from './integrations/gateways';
import { createProductosService, type ProductosService } from './features/productos';
import { createCatalogoService, type CatalogoService } from './features/productos';
import { createVentasService, type VentasService } from './features/ventas';
import { createVentasExport, type VentasExportService } from './features/ventas';
import { createPortalDownloads, type PortalDownloads } from './features/routers';
import { createRouterSetup, createRouterSetupStore, type RouterSetup } from './features/routers';
import { createMisRoutersService, probeRouter, type MisRoutersService } from './features/routers';
import { createRadiusClientsStore, createRadiusRoutersService, type RadiusRoutersService } from './features/routers';
import { radiusSchemaFor } from './platform/db/radius-schema';
import { createProfileInfoService, type ProfileInfoService } from './features/hotspot';
import { createNotificacionesService, type NotificacionesService } from './features/notificaciones';
import { createLogoService, createLogoStore, type LogoService } from './features/empresas';
import { createTelegramClient } from './integrations/telegram';
import { createAdminActions, type AdminActions } from './features/ventas';
import { createReconnectService, type ReconnectService } from './features/hotspot';
import { createFichasFairShare, createFichasService, createFichasStore, createPdfRenderer, type FichasFairShare, type FichasService, type PdfRenderer } from './features/fichas';
import { createLeases } from './platform/jobs/leases';
import { createCashPaymentService, type CashPaymentService } from './features/checkout';

/** The features' stores: the only code that queries (tests and scripts use them too). */
export interface Stores {
  empresas: EmpresasStore;
  routers: RoutersStore;
  usuarios: UsuariosStore;
  productos: ProductosStore;
}

export interface Container {
  config: Config;
  /** RADIUS-mode sales and vouchers: users for FreeRADIUS and accounting (issue 22). */
  radius: RadiusService;
  logger: Logger;
  knex: Knex;
  stores: Stores;
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
  /** Per-transaction wake-ups (provisioning done), one subscriber connection per process. */
  signals: Signals;
  transacciones: TransaccionesStore;
  /** The payment gateways (one provider each): src/integrations/gateways/registry.ts. */
  gatewayRegistry: GatewayRegistry;
  gateways: GatewayFactory;
  purchases: PurchaseService;
  mikrotik: MikrotikPool;
  hotspot: HotspotClient;
  targets: RouterTargets;
  hotspotService: HotspotService;
  outcomes: OutcomeApplier;
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
  /** The sales as a streamed CSV (issue 16). */
  ventasExport: VentasExportService;
  misRouters: MisRoutersService;
  /** RADIUS mode (issue 22): heartbeats, the routers' RADIUS secrets and tokens. */
  radiusRouters: RadiusRoutersService;
  /** Trials started, where the routers report them (issue 24, item 4). */
  pruebasConteo: PruebasConteoService;
  /** The captive portal of a router as a zip (issue 16). */
  portalDownloads: PortalDownloads;
  routerSetup: RouterSetup;
  /** Printed vouchers (issue 15). */
  fichas: FichasService;
  /** Voucher sheets, rendered on a thread of their own (issue 21). */
  fichasPdf: PdfRenderer;
  /** Voucher jobs' fair share of the workers and of each router (issue 21). */
  fichasFairShare: FichasFairShare;
  /** Cash at OXXO / Paycash (issue 15). */
  cashPayments: CashPaymentService;
  /** Drop-in compatibility with the original (issue 13). */
  logos: LogoService;
  notificaciones: NotificacionesService;
  profileInfo: ProfileInfoService;
  close(): Promise<void>;
}

export function createContainer(config: Config, options: {
  processName?: string; logger?: Logger;
  /** The gateways to sell with (default: the registry's GATEWAY_PROVIDERS; tests add their own). */
  gatewayProviders?: readonly GatewayProvider[];
} = {}): Container {
  const logger = options.logger ?? createLogger(config, options.processName ?? 'web');
  const knex = createKnex(config, undefined, logger);
  // Auto-pipelining: commands issued in the same tick (by concurrent requests) share a round trip
  // (not the portal gate's script: it batches its own requests already).
  // A command timeout: a Redis that accepts but does not answer must not hang requests; callers fall back.
  const redis = createRedis(config, {
    maxRetriesPerRequest: 2, enableAutoPipelining: true, autoPipeliningIgnoredCommands: [PORTAL_GATE_COMMAND], commandTimeout: config.redis.commandTimeoutMs,
  });
  redis.on('error', (error) => logger.warn({ err: { message: error.message } }, 'redis connection error'));
  const secrets = createSecretBox(config.encryptionKey, config.encryptionKeyPrevious);
  const passwords = createPasswordHasher(config.bcryptRounds);
  const sessions = createSessionTokens(config);
  const transaction = transactionRunner(knex);
  const stores: Stores = {
    empresas: createEmpresasStore(knex),
    routers: createRoutersStore(knex),
    usuarios: createUsuariosStore(knex),
    productos: createProductosStore(knex),
  };
  const salesStats = createSalesStatsStore(knex);
  const ventasStats = createVentasStatsStore(knex, salesStats);
  const radiusStore = createRadiusStore(knex, config.database.schema);
  const radius = createRadiusService({ store: radiusStore, interimSeconds: config.jobs.radiusInterimSeconds });
  const apiKeys = createRouterApiKeys(config, stores.routers);
  const authGeneration = createAuthGeneration(redis, generationChannel(config));
  const auth = createAuthService({ store: stores.usuarios, passwords, sessions });
  const gatewayRegistry = createGatewayRegistry(options.gatewayProviders);
  const portal = createPortalService({ empresas: stores.empresas, routers: stores.routers, config, gateways: gatewayRegistry });
  const keyUsage = createApiKeyUsage(redis, stores.routers);
  const empresas = createEmpresasService({ store: stores.empresas, secrets, config });
  const radiusClients = createRadiusClientsStore(knex, radiusSchemaFor(config.database.schema));
  const radiusRouters = createRadiusRoutersService({
    store: stores.routers, clients: radiusClients, transaction, secrets, logger,
    // The heartbeat's trial count (issue 24); pruebasConteo is built below, called only at request time.
    pruebas: { latido: (...args) => pruebasConteo.latido(...args) },
  });
  const routerAddresses = createRouterAddressPolicy(config.mikrotik.allowedNetworks); // issue 21.8: one rule for writes and dials
  const routers = createRoutersService({
    store: stores.routers, empresas: stores.empresas, productos: stores.productos, transaction, secrets, apiKeys, keyUsage, logger, radiusClients,
    addresses: routerAddresses,
    // The router's trial (issue 24) needs the RouterOS pool, built below; called only at request time.
    prueba: { apply: (...args) => pruebas.apply(...args) },
  });
  const usuarios = createUsuariosService({ store: stores.usuarios, empresas: stores.empresas, passwords });
  const dashboard = createDashboardService({ ...stores, ventas: ventasStats });
  const rateLimits = createRateLimits(config, redis, logger);
  const portalGate = createPortalGate(redis, config.rateLimits.portalPerKey);
  const jobs = createJobQueues(config, logger);
  const signals = createSignals(config, logger, redis);
  const transacciones = createTransaccionesStore(knex);
  const gateways = createGatewayFactory(config, secrets, gatewayRegistry);
  const enqueueOrLeave = createFollowUps({ jobs, logger });
  const outcomes = createOutcomeApplier({
    transacciones, enqueueOrLeave, logger, confirmDelayMs: config.jobs.backoffBaseMs,
    notify: (id, evento) => notifySale(jobs, logger, id, evento),
    // hotspotService is built below; this runs only once a sale is paid.
    provisionInline: (row) => hotspotService.provisionInline(row),
    provisionPayload: (row) => ({ routerId: row.router_id }),
  });
  const purchases = createPurchaseService({
    config, secrets, transacciones, empresas: stores.empresas, productos: stores.productos, routerModo: (routerId) => radius.modo(routerId),
    gateways, registry: gatewayRegistry, outcomes, signals, rateLimits, logger,
    confirmNow: (id) => enqueueOrLeave('confirm-charge', id, { replaceFinished: true }),
  });
  const cashPayments = createCashPaymentService({
    config, secrets, transacciones, references: createCashReferencesStore(knex), gateways, registry: gatewayRegistry, jobs, rateLimits, purchases, logger,
  });
  const mikrotik = createMikrotikPool({
    connectTimeoutMs: config.mikrotik.connectTimeoutMs,
    commandTimeoutMs: config.mikrotik.commandTimeoutMs,
    maxConcurrentPerRouter: config.mikrotik.maxConcurrentPerRouter,
    // Voucher jobs keep at least one slot free for sales (issue 21).
    maxBackgroundPerRouter: Math.max(1, Math.min(config.jobs.fichasPerRouter, config.mikrotik.maxConcurrentPerRouter - 1)),
    breakerFailureThreshold: config.mikrotik.breakerThreshold,
    breakerCooldownMs: config.mikrotik.breakerCooldownMs,
    logger,
    // Every dial checks the router's resolved address against ROUTER_ALLOWED_NETWORKS (issue 21.8).
    resolveAddress: async (host) => {
      try {
        return await routerAddresses.resolve(host, config.mikrotik.connectTimeoutMs);
      } catch (error) {
        throw new Error(error instanceof RouterAddressRefused ? error.detail : `no se pudo resolver ${host}`);
      }
    },
  });
  const hotspot = new HotspotClient(mikrotik);
  const targets = createRouterTargets(stores.routers, secrets);
  // Jobs (a sale's provisioning, a voucher's) read a router once per auth generation (admin writes move it), not once per job.
  // The generation itself is kept while its change channel is live (no GET per job, issue 26).
  const generationWatch = watchAuthGeneration({
    generation: authGeneration, channel: generationChannel(config), logger,
    connect: () => createRedis(config, { autoResubscribe: false, maxRetriesPerRequest: 1, lazyConnect: false }),
  });
  const jobTargets = cachedRouterTargets(targets, () => generationWatch.current());
  const pruebas = createPruebaService({ store: stores.routers, trial: new HotspotTrialClient(mikrotik), targets });
  const pruebasConteo = createPruebasConteo({
    store: createPruebasStore(knex), trial: new HotspotTrialClient(mikrotik), targets, logger, everyMs: config.jobs.pruebasEveryMs,
    circuitOpen: (routerId) => mikrotik.stats().some((r) => r.routerId === routerId && r.breaker === 'open'),
  });
  const hotspotService = createHotspotService({
    secrets, transacciones, hotspot, logger, jobs,
    targets: jobTargets,
    circuitOpen: (routerId) => mikrotik.stats().some((r) => r.routerId === routerId && r.breaker === 'open'),
    radius,
    publish: (id) => signals.publish(id),
  });
  const confirmations = createConfirmationService({ transacciones, empresas: stores.empresas, gateways, outcomes });
  const reconciler = createReconciler({ config, jobs, transacciones, logger });
  const keyExpiry = createKeyExpiryWarnings({ config, store: stores.routers, empresas: stores.empresas, secrets, logger });
  const findByUser = (routerId: string, usuario: string) => transacciones.findByHotspotUser(routerId, usuario);
  const reconnect = createReconnectService({ secrets, transacciones, hotspot, targets, rateLimits });
  const saleActions = createAdminActions({
    transacciones, empresas: stores.empresas, gateways, jobs, enqueueOrLeave, blockUser: (id) => hotspotService.block(id),
  });
  // Conekta's webhooks registered when a company saves its keys (and once for the platform key), issue 23.
  // Not on a payment's path: at least 10 s (Conekta makes an RSA key pair per webhook key).
  const conektaWebhooks = createConektaWebhooks({
    store: stores.empresas, secrets, config, logger, gateways: gatewayRegistry,
    setupFor: (privateKey) => createConektaWebhookSetup({ baseUrl: config.conekta.apiUrl, privateKey, timeoutMs: Math.max(config.payments.gatewayTimeoutMs, 10_000) }),
  });
  const webhooks = createWebhookService({
    config, secrets, transacciones, empresas: stores.empresas, registry: gatewayRegistry, gateways, outcomes, logger, platformConektaKey: () => conektaWebhooks.platformPublicKey(),
  });

  const fichasStore = createFichasStore(knex);
  const fichasFairShare = createFichasFairShare({ config, leases: createLeases(redis), store: fichasStore });
  const fichas = createFichasService({
    config, store: fichasStore, productos: stores.productos, empresas: stores.empresas, routers: stores.routers,
    secrets, jobs, hotspot, jobHotspot: hotspot.background(), targets: jobTargets, logger,
    circuitOpen: (routerId) => mikrotik.stats().some((r) => r.routerId === routerId && r.breaker === 'open'),
    radius,
    // The company's logo for the printed sheet (logos is created below; called only at print time).
    logo: async (empresaId) => {
      const nombre = (await stores.empresas.find(empresaId))?.logo_nombre;
      return nombre ? logos.serve(nombre).catch(() => null) : null;
    },
  });

  const miEmpresa = createMiEmpresaService({
    store: stores.empresas, secrets, config, conektaWebhooks, gateways: gatewayRegistry,
    dashboard: {
      ventas: (empresaId) => ventasStats.ventas({ empresaId }),
      ultimasVentas: (empresaId, count) => latestSales(transacciones, empresaId, count),
      routers: async (empresaId) => (await stores.routers.listByEmpresa(empresaId))
        .map((r) => ({ id: r.id, nombre: r.nombre, ubicacion: r.ubicacion, activo: r.activo })),
      productos: (empresaId) => stores.productos.counts({ empresaId }),
      periodos: (empresaId, zona) => ventasStats.periodos(empresaId, zona),
      ingresosPorMetodo: (empresaId) => salesStats.ingresosPorMetodo(empresaId),
      ingresosFichas: (empresaId) => fichas.ingresosEfectivo(empresaId),
      pruebas: (empresaId, zona) => pruebasConteo.resumen(empresaId, zona),
    },
  });
  const productos = createProductosService({ store: stores.productos, routers: stores.routers, hotspot, targets, routerModo: radiusStore.routerModo });
  const catalogo = createCatalogoService({
    store: stores.productos, routers: stores.routers, empresas: stores.empresas,
    probe: async (routerId) => {
      const target = await targets.load(routerId);
      // The portal's check respects the circuit breaker: a dead router answers at once (issue 21.9).
      return target ? probeRouter(hotspot, target, { respectBreaker: true }) : { conexion_ok: false, mensaje: 'Router no encontrado', error: 'Router no encontrado' };
    },
  });
  const ventas = createVentasService({ secrets, transacciones, routers: stores.routers });
  const misRouters = createMisRoutersService({ store: stores.routers, productos: stores.productos, hotspot, targets, routers, addresses: routerAddresses, radius, pruebasConteo });
  const logos = createLogoService({ logos: createLogoStore(knex) });
  const notificaciones = createNotificacionesService({
    empresas: stores.empresas, transacciones, secrets, telegram: createTelegramClient({ apiUrl: config.telegram.apiUrl }), logger, gateways: gatewayRegistry,
  });
  const profileInfo = createProfileInfoService({ secrets, hotspot, targets, rateLimits, findByUser, radius });
  const ventasExport = createVentasExport({ ventas, zonaHoraria: (empresaId) => stores.empresas.zonaHoraria(empresaId) });
  const portalDownloads = createPortalDownloads({
    store: stores.routers, regenerate: routers.regenerate, currentKey: routers.currentApiKey, config,
    // As the app does after every admin write: a Redis that cannot take it leaves the caches to their TTL.
    keysChanged: () => authGeneration.bump().catch((error: Error) => logger.error({ err: { message: error.message } }, 'auth generation not bumped; caches expire by TTL')),
  });

  const fichasPdf = createPdfRenderer({ logger });
  // The one-paste setup script (issue 22, item 6).
  const routerSetup = createRouterSetup({
    store: createRouterSetupStore(knex), secrets, redis, regenerate: routers.regenerate, currentKey: routers.currentApiKey, config,
    // The router's own interim updates match the Acct-Interim-Interval FreeRADIUS sends (the stale-session sweep counts on it).
    interimUpdate: `${config.jobs.radiusInterimSeconds}s`,
    keysChanged: () => authGeneration.bump().catch((error: Error) => logger.error({ err: { message: error.message } }, 'auth generation not bumped; caches expire by TTL')),
  });

  const closers: Array<() => Promise<unknown>> = [() => fichasPdf.close()];
  return {
    config, logger, knex, stores, redis, secrets, passwords, sessions, apiKeys, authGeneration, portalGate, auth, portal, keyUsage, empresas, routers, usuarios, dashboard, rateLimits, jobs, signals, transacciones, gatewayRegistry, gateways, purchases,
    mikrotik, hotspot, targets, hotspotService, outcomes, confirmations, reconciler, keyExpiry, webhooks, saleActions, reconnect,
    miEmpresa, productos, catalogo, ventas, misRouters, ventasExport, portalDownloads, routerSetup, logos, notificaciones, profileInfo, fichas, fichasPdf, fichasFairShare, cashPayments,
    radiusRouters, radius, pruebasConteo,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await signals.close();
      generationWatch.close();
      await jobs.close();
      await mikrotik.close();
      redis.disconnect();
      await knex.destroy();
    },
  };
}
