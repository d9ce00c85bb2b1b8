/**
 * createApp(container): the Koa app. Middleware order matters:
 * request context (id, log, timing) → errors → CORS → body → routes → 404.
 */
import Koa from 'koa';
import cors from '@koa/cors';
import { HttpMethodEnum, koaBody } from 'koa-body';
import type { Container } from './container';
import { ApiRouter, type RouteDefinition } from './http/api-router';
import { createAuthenticator } from './http/auth';
import type { AppState } from './http/context';
import { errorHandler, requestContext } from './http/middleware';
import { registerAuthRoutes } from './http/routes/auth';
import { registerSystemRoutes } from './http/routes/system';
import { registerDocsRoutes } from './http/routes/docs';
import { registerPortalRoutes } from './http/routes/portal';

export interface PagosApp extends Koa<AppState> {
  routes: RouteDefinition[];
}

export function createApp(c: Container): PagosApp {
  const app = new Koa<AppState>({ proxy: c.config.trustProxy }) as PagosApp;
  app.silent = true; // errors are logged by our middleware, with the request id

  const authenticator = createAuthenticator({ knex: c.knex, sessions: c.sessions, apiKeys: c.apiKeys });
  const api = new ApiRouter(authenticator);
  registerSystemRoutes(api, c);
  registerAuthRoutes(api, { auth: c.auth });
  registerPortalRoutes(api, { portal: c.portal });
  registerDocsRoutes(api, c.config, () => api.routes);

  const origins = new Set(c.config.corsOrigins);
  app.use(requestContext(c.logger));
  app.use(errorHandler());
  app.use(cors({
    origin: (ctx) => (origins.has('*') ? '*' : origins.has(ctx.get('origin')) ? ctx.get('origin') : ''),
    allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  }));
  app.use(koaBody({
    jsonLimit: c.config.http.bodyLimit,
    formLimit: c.config.http.bodyLimit,
    textLimit: c.config.http.bodyLimit,
    multipart: false,
    // Webhook signatures are computed over the exact bytes received.
    includeUnparsed: true,
    parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
  }));
  app.use(api.koa.routes());
  app.use(api.koa.allowedMethods({ throw: false }));
  app.routes = api.routes;
  return app;
}
