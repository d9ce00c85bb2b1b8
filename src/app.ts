/**
 * createApp(container): the Koa app. Middleware order matters:
 * request context (id, log, timing) → errors → panel (/panel/) → CORS →
 * writes (body, depth limit, generation bump; reads pass straight through) →
 * Bull Board (/admin/queues) → API routes → 404. The portal's reads cross
 * every layer, so each is a cheap check for them (bench/catalog.ts).
 */
import crypto from 'node:crypto';
import Koa from 'koa';
import cors from '@koa/cors';
import { HttpMethodEnum, koaBody } from 'koa-body';
import type { Container } from './container';
import { ApiRouter, type ResponseMismatch, type RouteDefinition } from './platform/http/api-router';
import { createAuthenticator, createLoginGuard } from './features/auth';
import type { AppContext, AppState } from './platform/http/context';
import { errorHandler, requestContext, writeRequests } from './platform/http/middleware';
import { registerAuthRoutes } from './features/auth';
import { registerSystemRoutes } from './features/system';
import { registerDocsRoutes } from './features/system';
import { registerPortalRoutes } from './features/portal';
import { registerMiEmpresaRoutes } from './features/empresas';
import { registerProductosRoutes } from './features/productos';
import { registerCatalogoRoutes } from './features/productos';
import { registerVentasRoutes } from './features/ventas';
import { registerAdminRoutersMikrotikRoutes } from './features/routers';
import { registerRouterOperacionesRoutes } from './features/routers';
import { registerRouterSetupRoutes } from './features/routers';
import { registerAdminEmpresasRoutes } from './features/empresas';
import { registerDashboardRoutes } from './features/dashboard';
import { registerAdminRoutersRoutes } from './features/routers';
import { registerRadiusRoutersRoutes } from './features/routers';
import { registerAdminUsuariosRoutes } from './features/usuarios';
import { registerPaymentRoutes } from './features/checkout';
import { registerCashPaymentRoutes } from './features/checkout';
import { registerWebhookRoutes } from './features/webhooks';
import { registerFichasRoutes } from './features/fichas';
import { registerSaleActionRoutes } from './features/ventas';
import { registerHotspotRoutes } from './features/hotspot';
import { registerLogoRoutes } from './features/empresas';
import { registerNotificacionesRoutes } from './features/notificaciones';
import { bullBoard, registerBullBoardSessionRoute } from './features/system';
import { createMetrics } from './platform/http/metrics';
import { pingDatabase } from './platform/db/knex';
import { errorResponse } from './platform/http/schemas';
import { panel } from './features/system';

/** Constant-time comparison of two strings of any length. */
function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export interface PagosApp extends Koa<AppState> {
  routes: RouteDefinition[];
  /** Every route the app dispatches, declared or not (the docs pages): what /openapi.json is checked against. */
  served: Array<{ method: string; path: string }>;
  /** Responses that did not match their declared schema (validateResponses on, i.e. tests). */
  responseMismatches: ResponseMismatch[];
}

export function createApp(c: Container): PagosApp {
  // Behind N proxies, only the last N entries of X-Forwarded-For were written by
  // them: Koa keeps those and takes the leftmost, the address the outermost saw.
  const app = new Koa<AppState>({ proxy: c.config.trustProxy, maxIpsCount: c.config.trustProxyHops }) as PagosApp;
  app.silent = true; // errors are logged by our middleware, with the request id

  const authenticator = createAuthenticator({
    usuarios: c.stores.usuarios, sessions: c.sessions, apiKeys: c.apiKeys, portal: { gate: c.portalGate, generation: c.authGeneration },
  });
  const api = new ApiRouter(authenticator, { validateResponses: c.config.http.validateResponses });
  const loginGuard = createLoginGuard(c.rateLimits);
  registerSystemRoutes(api, { config: c.config, pings: { postgres: () => pingDatabase(c.knex), redis: () => c.redis.ping() } });
  registerAuthRoutes(api, { auth: c.auth, loginGuard });
  registerPortalRoutes(api, { portal: c.portal });
  registerMiEmpresaRoutes(api, { miEmpresa: c.miEmpresa });
  registerProductosRoutes(api, { productos: c.productos });
  registerCatalogoRoutes(api, { catalogo: c.catalogo });
  registerVentasRoutes(api, { ventas: c.ventas, ventasExport: c.ventasExport, gateways: c.gatewayRegistry });
  registerAdminRoutersMikrotikRoutes(api, { misRouters: c.misRouters });
  registerRouterOperacionesRoutes(api, { misRouters: c.misRouters, portalDownloads: c.portalDownloads });
  registerRouterSetupRoutes(api, { routerSetup: c.routerSetup });
  registerPaymentRoutes(api, { purchases: c.purchases, gateways: c.gatewayRegistry });
  registerCashPaymentRoutes(api, { cashPayments: c.cashPayments, gateways: c.gatewayRegistry });
  registerWebhookRoutes(api, { webhooks: c.webhooks, rateLimits: c.rateLimits, gateways: c.gatewayRegistry, empresaOfPayment: (id) => c.transacciones.empresaOfMercadoPagoPayment(id) });
  registerSaleActionRoutes(api, { actions: c.saleActions });
  registerHotspotRoutes(api, { reconnect: c.reconnect, profileInfo: c.profileInfo });
  registerLogoRoutes(api, { logos: c.logos });
  registerNotificacionesRoutes(api, { notificaciones: c.notificaciones });
  registerFichasRoutes(api, { fichas: c.fichas, pdf: c.fichasPdf });
  registerAdminEmpresasRoutes(api, { empresas: c.empresas });
  registerDashboardRoutes(api, { dashboard: c.dashboard });
  registerAdminRoutersRoutes(api, { routers: c.routers, probe: (routerId) => c.misRouters.probe(routerId) });
  registerRadiusRoutersRoutes(api, { radiusRouters: c.radiusRouters, routers: c.routers });
  registerAdminUsuariosRoutes(api, { usuarios: c.usuarios });
  registerDocsRoutes(api, c.config, () => api.routes);
  registerBullBoardSessionRoute(api, { secureCookies: c.config.publicBaseUrl.startsWith('https:') });

  const metrics = createMetrics(c.jobs);
  api.add({
    method: 'get', path: '/metrics', auth: 'public', tags: ['Sistema'],
    summary: 'Métricas Prometheus (latencia HTTP por ruta, colas y resultados de jobs)',
    description: 'Si METRICS_TOKEN está definido se exige `Authorization: Bearer <METRICS_TOKEN>`; en producción sin METRICS_TOKEN no se sirve.',
    responses: {
      200: { description: 'Formato de texto de Prometheus', contentType: 'text/plain' },
      401: errorResponse('Falta el token de métricas', 'Se requiere el token de métricas'),
      403: errorResponse('Producción sin METRICS_TOKEN: las métricas no se publican', 'Las métricas no están disponibles: defina METRICS_TOKEN para publicarlas'),
    },
    async handler(ctx) {
      const token = c.config.metricsToken;
      if (!token && c.config.nodeEnv === 'production') {
        ctx.status = 403;
        ctx.body = { detail: 'Las métricas no están disponibles: defina METRICS_TOKEN para publicarlas', code: 'forbidden' };
        return undefined;
      }
      if (token && !sameSecret(ctx.get('authorization'), `Bearer ${token}`)) {
        ctx.status = 401;
        ctx.body = { detail: 'Se requiere el token de métricas', code: 'unauthorized' };
        return undefined;
      }
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
      return undefined;
    },
  });

  const origins = new Set(c.config.corsOrigins);
  app.use(requestContext(c.logger, metrics.observeRequest));
  if (c.config.http.validateResponses) app.use(api.responseChecker()); // tests only: every JSON answer against its schema
  app.use(errorHandler());
  app.use(panel()); // the operators' panel at /panel/ (static files, its own CSP)
  const corsHeaders = cors({
    origin: (ctx) => (origins.has('*') ? '*' : origins.has(ctx.get('origin')) ? ctx.get('origin') : ''),
    allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition', 'X-Api-Key-Incluida', 'X-Aviso', 'X-Walled-Garden', 'X-Total-Count'],
    maxAge: 600,
  });
  // Routes authenticated by a router key serve the captive portal, which runs on
  // each router's own address: any origin, never with credentials (the key is a
  // header, public by design), so no server setting is needed per hotspot. Decided
  // by the route's declared authentication (for a preflight, of the method it asks for).
  const portalCors = cors({
    origin: '*',
    allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  const routerKeyRoute = (ctx: AppContext) => {
    const preflight = ctx.method === 'OPTIONS' ? ctx.get('access-control-request-method') : '';
    return api.authOf(preflight || ctx.method, ctx.path) === 'router_key';
  };
  // A request without Origin is not a browser's cross-origin request: it gets only the Vary that @koa/cors would add.
  app.use((ctx: AppContext, next: Koa.Next) => {
    if (ctx.get('origin') && routerKeyRoute(ctx)) return portalCors(ctx, next);
    if (ctx.get('origin') || origins.has('*')) return corsHeaders(ctx, next);
    ctx.vary('Origin');
    return next();
  });
  app.use(writeRequests({
    parse: koaBody({
      jsonLimit: c.config.http.bodyLimit,
      formLimit: c.config.http.bodyLimit,
      textLimit: c.config.http.bodyLimit,
      multipart: false,
      // Webhook signatures are computed over the exact bytes received.
      includeUnparsed: true,
      parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
    }),
    // Every successful admin write moves the generation before it answers, so
    // portal caches (key checks, catalogs) on every process drop what it changed.
    async afterWrite(ctx) {
      if (!ctx.state.user) return;
      await c.authGeneration.bump().catch((error: Error) => ctx.state.log.error({ err: { message: error.message } }, 'auth generation not bumped; caches expire by TTL'));
    },
  }));
  app.use(bullBoard({ auth: c.auth, loginGuard, jobs: c.jobs, userFromToken: authenticator.userFromToken }));
  app.use(api.middleware());
  app.routes = api.routes;
  app.served = api.served();
  app.responseMismatches = api.responseMismatches;
  return app;
}
