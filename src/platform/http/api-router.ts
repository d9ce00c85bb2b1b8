/**
 * Routes are declared once, with their schemas, auth and examples. From that one
 * declaration we get the Koa route (auth → validation → handler) and the
 * OpenAPI operation, so /openapi.json lists exactly what the app serves.
 */
import Router from '@koa/router';
import type { AppContext, Authenticator, AuthRequirement } from './context';
import { compileValidator, type JsonSchema } from './validation';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: JsonSchema;
  example?: unknown;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

export interface RouteSpec<B = any, Q = any, P = any> {
  method: HttpMethod;
  path: string;
  auth: AuthRequirement;
  summary: string;
  tags: string[];
  description?: string;
  params?: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  /** Response status on success (default 200). */
  status?: number;
  responses: Record<number, ResponseSpec>;
  handler(ctx: AppContext, input: RouteInput<B, Q, P>): Promise<unknown> | unknown;
}

export interface RouteDefinition extends RouteSpec {
  openapiPath: string;
}

export class ApiRouter {
  readonly routes: RouteDefinition[] = [];
  readonly koa = new Router<any, any>();

  constructor(private readonly auth: Authenticator) {}

  add<B = any, Q = any, P = any>(spec: RouteSpec<B, Q, P>): this {
    const validateParams = spec.params ? compileValidator<P>(spec.params, 'ruta') : (v: unknown) => v as P;
    const validateQuery = spec.query ? compileValidator<Q>(spec.query, 'query') : (v: unknown) => v as Q;
    const validateBody = spec.body ? compileValidator<B>(spec.body, 'cuerpo') : (v: unknown) => v as B;
    const openapiPath = spec.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    this.routes.push({ ...(spec as RouteSpec), openapiPath });

    this.koa.register(spec.path, [spec.method.toUpperCase()], async (ctx: AppContext & { params: Record<string, string> }) => {
      ctx.state.route = `${spec.method.toUpperCase()} ${spec.path}`;
      await this.auth.require(ctx, spec.auth);
      const params = validateParams({ ...ctx.params });
      const query = validateQuery({ ...ctx.query });
      const rawBody = (ctx.request as { body?: unknown }).body;
      const body = validateBody(spec.body && (rawBody === undefined || (typeof rawBody === 'object' && rawBody !== null && Object.keys(rawBody).length === 0 && !ctx.request.length)) ? {} : rawBody);
      const result = await spec.handler(ctx, { body, query, params });
      if (result !== undefined) {
        ctx.status = spec.status ?? 200;
        ctx.body = result;
      }
    });
    return this;
  }
}
