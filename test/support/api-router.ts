/**
 * A bare Koa app around one ApiRouter, for tests of the router itself: the
 * same layers as the service around it (request context, response checker,
 * error handler, the router's dispatch), no body parser, no database.
 */
import Koa from 'koa';
import supertest from 'supertest';
import { ApiRouter } from '../../src/platform/http/api-router';
import type { AppState, Authenticator } from '../../src/platform/http/context';
import { errorHandler, requestContext } from '../../src/platform/http/middleware';
import { createLogger } from '../../src/platform/logger';

/** Routes here are `auth: 'public'`; a test that reached for a user would fail loudly. */
const auth: Authenticator = { require: async () => undefined, userFromToken: async () => { throw new Error('unused'); } };

/** The app with the routes `register` declares (declared before the router serves), and a supertest client for it. */
export function apiRouterApp(register: (api: ApiRouter) => void, options: { validateResponses?: boolean } = {}) {
  const api = new ApiRouter(auth, { validateResponses: options.validateResponses ?? true });
  register(api);
  const app = new Koa<AppState>();
  app.silent = true;
  app.use(requestContext(createLogger({ logLevel: 'silent', appName: 'test' })));
  app.use(api.responseChecker());
  app.use(errorHandler());
  app.use(api.middleware());
  return { api, request: supertest(app.callback()) };
}
