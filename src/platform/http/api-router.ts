/**
 * Routes are declared once, with their schemas, auth and examples. From that one
 * declaration we get the Koa route (auth → validation → handler) and the
 * OpenAPI operation, so /openapi.json lists exactly what the app serves.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Next } from 'koa';
import { match, type MatchFunction } from 'path-to-regexp';
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
  /** Response headers the route sets (documented in /openapi.json), e.g. a paged list's X-Total-Count. */
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

/**
 * The type a request part has once its schema validated it: derived from the
 * schema (json-schema-to-ts). No schema: nothing was validated (`unknown`); a
 * schema only typed as the wide `JsonSchema` cannot be read: `any`. A property
 * with a `default` stays optional: the validator fills in no defaults.
 */
export type Validated<S> = [S] extends [undefined]
  ? unknown
  : string extends keyof S
    ? any
    : S extends JSONSchema ? FromSchema<S, { keepDefaultedPropertiesOptional: true }> : any;

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

/** What a route runs once its path and method matched, with the path's (decoded) parameters. */
type RouteRunner = (ctx: AppContext, params: Record<string, string>) => Promise<void> | void;

interface CompiledRoute {
  method: string;
  path: string;
  /** The declared route's authentication (undefined for raw routes). */
  auth?: AuthRequirement;
  /** The declared path, lower-cased and without a trailing slash, when it has no parameters. */
  literal: string | null;
  match: MatchFunction<Record<string, string>>;
  run: RouteRunner;
}

/** The methods this router answers at all; any other on a known path is a 501. */
const IMPLEMENTED = ['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** A path parameter that is not valid percent-encoding is passed on as received. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The lookup key of a path: case-insensitive, one trailing slash optional (as the path patterns match). */
const literalKey = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();

const isJsonBody = (body: unknown) =>
  body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';

export class ApiRouter {
  readonly routes: RouteDefinition[] = [];
  /** Every dispatched route (declared and raw), in registration order: the first that matches answers. */
  private readonly compiled: CompiledRoute[] = [];
  /** Per method, the routes whose literal path answers directly (no earlier route of that method matches it). */
  private literals: Map<string, Map<string, CompiledRoute>> | null = null;
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

    const route = `${spec.method.toUpperCase()} ${spec.path}`;
    this.dispatch(spec.method, spec.path, spec.auth, async (ctx, pathParams) => {
      ctx.state.route = route;
      await this.auth.require(ctx, spec.auth);
      const params = validateParams(pathParams);
      const query = spec.query ? validateQuery({ ...ctx.query }) : (ctx.query as Q);
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

  /** Every route this router dispatches (declared and raw), as registered: what the OpenAPI test compares. */
  served(): Array<{ method: string; path: string }> {
    return this.compiled.map(({ method, path }) => ({ method, path }));
  }

  /**
   * A route outside the API contract (documentation pages and their assets):
   * dispatched like the others, not validated, not in /openapi.json.
   */
  raw(method: HttpMethod, path: string, handler: (ctx: AppContext, params: Record<string, string>) => void): this {
    this.dispatch(method, path, undefined, handler);
    return this;
  }

  private dispatch(method: HttpMethod, path: string, auth: AuthRequirement | undefined, run: RouteRunner): void {
    if (this.literals) throw new Error(`route ${method} ${path} added after the router started serving`);
    const literal = path.includes(':') || path.includes('*') ? null : literalKey(path);
    this.compiled.push({ method: method.toUpperCase(), path, literal, match: match(path, { decode: safeDecode }), run, auth });
  }

  /**
   * The literal-path table, built once when serving starts: a literal route is
   * looked up directly unless an earlier route of its method also matches its
   * path (then the scan below finds that one first, as registration order says).
   */
  private literalTable(): Map<string, Map<string, CompiledRoute>> {
    const table = new Map<string, Map<string, CompiledRoute>>();
    this.compiled.forEach((route, i) => {
      if (route.literal === null) return;
      const shadowed = this.compiled.slice(0, i).some((earlier) => earlier.method === route.method && earlier.match(route.literal!) !== false);
      if (shadowed) return;
      if (!table.has(route.method)) table.set(route.method, new Map());
      table.get(route.method)!.set(route.literal, route);
    });
    return table;
  }

  /**
   * The authentication of the declared route that would serve `method` on `path`
   * (HEAD as GET), or undefined for none (or a raw route): what CORS decides by.
   */
  authOf(method: string, path: string): AuthRequirement | undefined {
    this.literals ??= this.literalTable();
    return this.find(method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase(), path)?.route.auth;
  }

  private find(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null {
    const literal = this.literals!.get(method)?.get(literalKey(path));
    if (literal) return { route: literal, params: {} };
    for (const route of this.compiled) {
      if (route.method !== method) continue;
      const found = route.match(path);
      if (found) return { route, params: { ...found.params } };
    }
    return null;
  }

  /**
   * The Koa middleware serving every route (add it after all routes are
   * declared). HEAD is answered by the GET route. A path we serve asked with a
   * method it does not take is a 405 (501 for a method no route takes), and a
   * plain OPTIONS lists the methods in `Allow`; any other path goes on (404).
   */
  middleware() {
    this.literals ??= this.literalTable();
    return async (ctx: AppContext, next: Next) => {
      const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
      const found = this.find(method, ctx.path);
      if (found) {
        (ctx as { params?: Record<string, string> }).params = found.params;
        return found.route.run(ctx, found.params);
      }
      const allowed = [...new Set(this.compiled.filter((r) => r.match(ctx.path) !== false).flatMap((r) => (r.method === 'GET' ? ['HEAD', 'GET'] : [r.method])))];
      if (allowed.length === 0) return next();
      ctx.set('Allow', allowed.join(', '));
      if (!IMPLEMENTED.includes(ctx.method)) {
        ctx.status = 501;
        ctx.body = { detail: 'Método no implementado', code: 'not_implemented' };
      } else if (ctx.method === 'OPTIONS') {
        ctx.status = 200;
        ctx.body = '';
      } else {
        ctx.status = 405;
        ctx.body = { detail: `Método no permitido: use ${allowed.join(', ')}`, code: 'method_not_allowed' };
      }
      return undefined;
    };
  }
}
