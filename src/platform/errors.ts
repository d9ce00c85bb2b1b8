/**
 * The error hierarchy of the service. Every error a request can end in is one of
 * these; the HTTP error middleware maps `status`, `detail` and `errorCode` to the
 * response (`{detail, code}`, plus `field` on validation errors) and treats
 * anything else as a bug (500, logged, never shown to the client).
 */

/**
 * Machine-readable error codes: snake_case English, stable (clients such as the
 * portal decide on them; `detail` is Spanish text for people and may change).
 */
export const ERROR_CODES = [
  'bad_request', 'invalid_json', 'unauthorized', 'payment_declined', 'forbidden', 'not_found', 'route_not_found', 'conflict',
  'idempotency_key_reused', 'method_not_allowed', 'not_implemented', 'payload_too_large', 'unsupported_media_type', 'validation_error', 'rate_limited', 'internal_error',
  'upstream_error', 'upstream_timeout', 'service_unavailable', 'gateway_unavailable', 'gateway_auth_failed', 'gateway_rejected',
  'router_unreachable', 'router_timeout', 'router_auth_failed', 'router_unavailable', 'router_rejected', 'router_duplicate_user',
  'router_item_not_found', 'router_unknown_profile', 'error',
  // RADIUS mode (issue 22): the router is not dialled; an address already held by another RADIUS-mode router.
  'modo_radius', 'direccion_compartida',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request', 401: 'unauthorized', 402: 'payment_declined', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_error', 429: 'rate_limited', 500: 'internal_error',
  501: 'not_implemented', 502: 'upstream_error', 503: 'service_unavailable', 504: 'upstream_timeout',
};

/** The code of an error that names none: one per status. */
export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? 'error';
}

export interface AppErrorOptions {
  cause?: unknown;
  headers?: Record<string, string>;
  /** Overrides the class's code for this throw. */
  code?: ErrorCode;
}

export class AppError extends Error {
  readonly status: number;
  /** Safe, client-facing text (Spanish, like the rest of the API). */
  readonly detail: string;
  /** Machine-readable code (the response's `code`); named so as not to clash with gateway/system `code`s. */
  readonly errorCode: ErrorCode;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, options?: AppErrorOptions) {
    super(detail, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.status = status;
    this.detail = detail;
    this.errorCode = options?.code ?? codeForStatus(status);
    this.headers = options?.headers ?? {};
  }
}

type Options = { cause?: unknown; code?: ErrorCode };

export class BadRequestError extends AppError {
  constructor(detail: string, options?: Options) { super(400, detail, options); }
}
export class UnauthorizedError extends AppError {
  constructor(detail = 'No autenticado', options?: Options) {
    super(401, detail, { ...options, headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}
export class PaymentDeclinedError extends AppError {
  constructor(detail: string, readonly body?: Record<string, unknown>, options?: Options) { super(402, detail, options); }
}
export class ForbiddenError extends AppError {
  constructor(detail: string, options?: Options) { super(403, detail, options); }
}
export class NotFoundError extends AppError {
  constructor(detail: string, options?: Options) { super(404, detail, options); }
}
export class ConflictError extends AppError {
  constructor(detail: string, options?: Options) { super(409, detail, options); }
}
export class ValidationError extends AppError {
  constructor(detail: string, readonly field?: string, options?: Options) { super(422, detail, options); }
}
export class TooManyRequestsError extends AppError {
  constructor(detail: string, retryAfterSeconds: number, options?: Options) {
    super(429, detail, { ...options, headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}
/** A dependency outside our control (router, gateway) failed or answered nonsense. */
export class UpstreamError extends AppError {
  constructor(detail: string, options?: Options & { status?: number }) {
    super(options?.status ?? 502, detail, options);
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(detail: string, options?: AppErrorOptions) { super(503, detail, options); }
}

/** The JSON body of an error response: the one shape every error status shares. */
export function errorBody(error: AppError): { detail: string; code: ErrorCode; field?: string } {
  const field = error instanceof ValidationError ? error.field : undefined;
  return { detail: error.detail, code: error.errorCode, ...(field !== undefined ? { field } : {}) };
}

/** The stores the service cannot work without (named in logs only, never to clients). */
export type StoreName = 'postgres' | 'redis';

export const STORE_UNAVAILABLE_DETAIL = 'El servicio no está disponible por un momento; intenta de nuevo';
/** Seconds a client should wait before retrying while a store is unreachable. */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * PostgreSQL or Redis cannot be reached (refused, timed out, pool exhausted,
 * shut down by its administrator): a 503 `service_unavailable` with
 * Retry-After that a client may retry with the same Idempotency-Key. Built by
 * the error middleware from `unavailableStore` (platform/unavailable.ts).
 */
export class StoreUnavailableError extends ServiceUnavailableError {
  constructor(readonly store: StoreName, options?: { cause?: unknown }) {
    super(STORE_UNAVAILABLE_DETAIL, { ...options, code: 'service_unavailable', headers: { 'Retry-After': String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS) } });
  }
}
