/**
 * Routes are declared once, with their schemas, auth and examples. From that one
 * declaration we get the Koa route (auth → validation → handler) and the
 * OpenAPI operation, so /openapi.json lists exactly what the app serves.
 */
import Router from '@koa/router';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Next } from 'koa';
import type { AppContext, Authenticator, AuthRequirement } from './context';
import { compileResponseValidator, compileValidator, type JsonSchema, type ResponseValidator } from './validation';
import { errorSchema } from './schemas';
import { codeForStatus } from '../errors';

/** Error examples show the code their status gets, unless they name one. */
function withErrorCodes(responses: Record<number, ResponseSpec>): Record<number, ResponseSpec> {
  return Object.fromEntries(Object.entries(responses).map(([status, response]) => {
    const example = response.example as Record<string, unknown> | undefined;
    if (Number(status) < 400 || !example || typeof example !== 'object' || !('detail' in example) || 'code' in example) return [status, response];
    return [status, { ...response, example: { detail: example.detail, code: codeForStatus(Number(status)), ...example } }];
  }));
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** Required for a JSON response (every route's success status has one); checked in tests. */
  schema?: JsonSchema;
  /** Default application/json; anything else (text, HTML) is documented but not validated. */
  contentType?: string;
  example?: unknown;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

/**
 * The type a request part has once its schema validated it: derived from the
 * schema (json-schema-to-ts). No schema: nothing was validated (`unknown`); a
 * schema only typed as the wide `JsonSchema` cannot be read: `any`.
 */
export type Validated<S> = [S] extends [undefined]
  ? unknown
  : string extends keyof S
    ? any
    : S extends JSONSchema ? FromSchema<S> : any;

export interface RouteSpec<BS = any, QS = any, PS = any> {
  method: HttpMethod;
  path: string;
  auth: AuthRequirement;
  summary: string;
  tags: string[];
  description?: string;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Response status on success (default 200). */
  status?: number;
  responses: Record<number, ResponseSpec>;
  handler(ctx: AppContext, input: RouteInput<Validated<BS>, Validated<QS>, Validated<PS>>): Promise<unknown> | unknown;
}

export interface RouteDefinition extends RouteSpec<JsonSchema | undefined, JsonSchema | undefined, JsonSchema | undefined> {
  openapiPath: string;
}

export interface ApiRouterOptions {
  /** Check every JSON response against the schema declared for its status (tests: NODE_ENV=test). */
  validateResponses?: boolean;
}

/** A response that does not match its declared schema (collected in tests, which fail on any). */
export interface ResponseMismatch {
  route: string;
  status: number;
  problem: string;
}

const isJsonBody = (body: unknown) =>
  body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';

export class ApiRouter {
  readonly routes: RouteDefinition[] = [];
  readonly koa = new Router<any, any>();
  /** Every response mismatch seen by this router's checker (only when validateResponses is on). */
  readonly responseMismatches: ResponseMismatch[] = [];
  private readonly responseValidators = new Map<string, Map<number, ResponseValidator | 'not-json'>>();
  private readonly errorValidator: ResponseValidator;

  constructor(private readonly auth: Authenticator, private readonly options: ApiRouterOptions = {}) {
    this.errorValidator = compileResponseValidator(errorSchema);
  }

  /**
   * Middleware, placed outside the error handler: checks the final JSON body of
   * every response (success and error) against the schema declared for its
   * status; an error status a route does not declare must match the shared error
   * schema. A mismatch is logged, recorded, and turned into a 500, so the test
   * that made the request fails loudly. A no-op unless validateResponses is on.
   */
  responseChecker() {
    return async (ctx: AppContext, next: Next) => {
      await next();
      if (!this.options.validateResponses || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return;
      const route = ctx.state.route ?? 'no_route';
      const byStatus = this.responseValidators.get(route);
      if (!byStatus && ctx.status < 400) return; // not an API route (Bull Board UI)
      const declared = byStatus?.get(ctx.status);
      if (declared === 'not-json') return;
      let problem: string | null;
      if (declared) problem = declared(ctx.body);
      else if (ctx.status >= 400) problem = isJsonBody(ctx.body) ? this.errorValidator(ctx.body) : null;
      else problem = ctx.body === undefined || ctx.body === null ? null : `status ${ctx.status} is not declared with a schema`;
      if (problem === null) return;
      const mismatch = { route, status: ctx.status, problem };
      this.responseMismatches.push(mismatch);
      ctx.state.log.error(mismatch, 'response does not match its declared schema');
      ctx.status = 500;
      ctx.body = { detail: `La respuesta no coincide con su esquema: ${route} ${mismatch.status}: ${problem}`, code: 'internal_error' };
    };
  }

  /** Declares a route; `input` in its handler is typed from the `body`, `query` and `params` schemas. */
  add<const BS extends JsonSchema | undefined = undefined, const QS extends JsonSchema | undefined = undefined, const PS extends JsonSchema | undefined = undefined>(
    spec: RouteSpec<BS, QS, PS>,
  ): this {
    type B = Validated<BS>;
    type Q = Validated<QS>;
    type P = Validated<PS>;
    if (this.options.validateResponses) {
      const byStatus = new Map<number, ResponseValidator | 'not-json'>();
      for (const [status, response] of Object.entries(spec.responses)) {
        if (response.contentType && response.contentType !== 'application/json') byStatus.set(Number(status), 'not-json');
        else if (response.schema) byStatus.set(Number(status), compileResponseValidator(response.schema));
      }
      this.responseValidators.set(`${spec.method.toUpperCase()} ${spec.path}`, byStatus);
    }
    const validateParams = spec.params ? compileValidator<P>(spec.params, 'ruta') : (v: unknown) => v as P;
    const validateQuery = spec.query ? compileValidator<Q>(spec.query, 'query') : (v: unknown) => v as Q;
    const validateBody = spec.body ? compileValidator<B>(spec.body, 'cuerpo') : (v: unknown) => v as B;
    const openapiPath = spec.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    this.routes.push({ ...(spec as unknown as RouteDefinition), responses: withErrorCodes(spec.responses), openapiPath });

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
