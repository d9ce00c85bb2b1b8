import crypto from 'node:crypto';
import type { Middleware, Next } from 'koa';
import { AppError, errorBody, StoreUnavailableError, ValidationError } from '../errors';
import { pgError } from '../db/unique';
import { unavailableReason, unavailableStore } from '../unavailable';
import type { Logger } from '../logger';
import type { AppContext, AppState } from './context';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestObserver {
  (info: { method: string; route: string; status: number; seconds: number }): void;
}

/** A request's state; its child logger is made on first use, as most requests only write their access line. */
class RequestState {
  private child: Logger | undefined;

  constructor(private readonly logger: Logger, readonly requestId: string) {}

  get log(): Logger {
    return (this.child ??= this.logger.child({ reqId: this.requestId }));
  }
}

/** Request id on every response and log line; one access-log line per request. */
export function requestContext(logger: Logger, observe?: RequestObserver) {
  return async (ctx: AppContext, next: Next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    ctx.state = new RequestState(logger, requestId) as unknown as AppState;
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Never the raw path (it carries ids): unrouted requests (404s, CORS preflights) share one label.
      const route = ctx.state.route ?? 'no_route';
      observe?.({ method: ctx.method, route, status: ctx.status, seconds });
      // The log line keeps the path of an unrouted request: it is what someone debugging a 404 needs.
      const line = { reqId: requestId, method: ctx.method, route, ...(ctx.state.route ? {} : { path: ctx.path }), status: ctx.status, ms: Math.round(seconds * 1000) };
      // A 503 is a store or dependency that is briefly unreachable, already logged as a warning with its name.
      if (ctx.status >= 500 && ctx.status !== 503) logger.error(line, 'request');
      else if (ctx.status === 503) logger.warn(line, 'request');
      else logger.info(line, 'request');
    }
  };
}

/** Well-known non-AppError errors thrown by middleware (koa-body, http-errors). */
function fromHttpError(error: { status?: number; statusCode?: number; type?: string; expose?: boolean }): AppError | null {
  const status = error.status ?? error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) return new AppError(413, 'El cuerpo de la solicitud es demasiado grande');
  if (status === 415) return new AppError(415, 'Tipo de contenido no soportado: use application/json');
  if (status === 400 && (error.type === 'entity.parse.failed' || error.type === undefined)) {
    return new AppError(400, 'El cuerpo de la solicitud no es JSON válido', { code: 'invalid_json' });
  }
  return new AppError(status, 'Solicitud inválida');
}

/**
 * PostgreSQL rejecting a value is bad input that slipped past validation:
 * a 4xx for the client (and a warning for us), never a 500.
 */
const PG_INPUT_ERRORS: Record<string, [number, string]> = {
  '22P02': [400, 'Valor con formato inválido en la solicitud'],
  '22021': [400, 'La solicitud contiene caracteres no válidos'],
  '22001': [400, 'Un valor de la solicitud es demasiado largo'],
  '22003': [400, 'Un valor numérico de la solicitud está fuera de rango'],
  '22007': [400, 'Fecha con formato inválido en la solicitud'],
  '22008': [400, 'Fecha fuera de rango en la solicitud'],
  '23505': [409, 'El recurso ya existe'],
};

function fromDatabaseError(wrapped: object): AppError | null {
  const error = (pgError(wrapped) ?? {}) as { code?: unknown; routine?: unknown };
  if (typeof error.code !== 'string' || typeof error.routine !== 'string') return null; // only pg errors carry `routine`
  const known = PG_INPUT_ERRORS[error.code];
  return known ? new AppError(known[0], known[1]) : null;
}

/**
 * The one place errors become responses: `{"detail": "...", "code": "..."}`
 * (plus `field` on validation errors) with the error's status. Anything unexpected is a 500 with a generic text; the stack goes to
 * the log, never to the client (DEBUG included).
 */
export function errorHandler() {
  return async (ctx: AppContext, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { detail: 'Ruta no encontrada', code: 'route_not_found' };
      }
    } catch (error) {
      // PostgreSQL or Redis unreachable: a 503 the client may retry (same Idempotency-Key), not a bug.
      const store = unavailableStore(error);
      if (store) {
        const unavailable = error instanceof StoreUnavailableError ? error : new StoreUnavailableError(store, { cause: error });
        ctx.state.log.warn({ store, reason: unavailableReason(error) }, `${store} unavailable; answered 503`);
        ctx.status = unavailable.status;
        for (const [name, value] of Object.entries(unavailable.headers)) ctx.set(name, value);
        ctx.body = errorBody(unavailable);
        return;
      }
      const dbError = error instanceof AppError ? null : fromDatabaseError(error as object);
      if (dbError) ctx.state.log.warn({ err: error }, 'database refused a request value');
      const known = error instanceof AppError ? error : dbError ?? fromHttpError(error as object);
      if (known) {
        ctx.status = known.status;
        for (const [name, value] of Object.entries(known.headers)) ctx.set(name, value);
        const extra = (known as { body?: Record<string, unknown> }).body;
        ctx.body = { ...errorBody(known), ...(extra ?? {}) };
        if (known.status >= 500) ctx.state.log.warn({ err: error }, 'upstream error');
        return;
      }
      ctx.state.log.error({ err: error }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { detail: 'Error interno del servidor', code: 'internal_error' };
    }
  };
}

/** Deepest nesting any request body may have; no route of ours needs more than a few levels. */
export const MAX_BODY_DEPTH = 32;

/** True when `value` nests deeper than `max` objects/arrays (checked with a stack, never by recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/** The methods whose requests carry a body we read. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Everything a write needs and a read does not, in one layer that reads pass
 * straight through: the body parsed by `parse` (koa-body), refused with a 422
 * when nested deeper than MAX_BODY_DEPTH before any route sees it, and, once
 * the write succeeded, `afterWrite` (awaited before the answer leaves).
 */
export function writeRequests(options: { parse: Middleware<AppState>; afterWrite?(ctx: AppContext): Promise<void>; maxDepth?: number }) {
  const { parse, afterWrite, maxDepth = MAX_BODY_DEPTH } = options;
  return (ctx: AppContext, next: Next) => {
    if (!WRITE_METHODS.has(ctx.method)) return next();
    return parse(ctx, async () => {
      const body = (ctx.request as { body?: unknown }).body;
      if (body !== null && typeof body === 'object' && nestsDeeperThan(body, maxDepth)) {
        throw new ValidationError(`El cuerpo de la solicitud tiene demasiados niveles de anidación (máximo ${maxDepth})`);
      }
      await next();
      if (afterWrite && ctx.status < 400) await afterWrite(ctx);
    });
  };
}
