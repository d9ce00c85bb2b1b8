/**
 * The error hierarchy of the service. Every error a request can end in is one of
 * these; the HTTP error middleware maps `status` and `detail` to the response and
 * treats anything else as a bug (500, logged, never shown to the client).
 */
export class AppError extends Error {
  readonly status: number;
  /** Safe, client-facing text (Spanish, like the rest of the API). */
  readonly detail: string;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(detail, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.status = status;
    this.detail = detail;
    this.headers = options?.headers ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(detail: string, options?: { cause?: unknown }) { super(400, detail, options); }
}
export class UnauthorizedError extends AppError {
  constructor(detail = 'No autenticado', options?: { cause?: unknown }) {
    super(401, detail, { ...options, headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}
export class PaymentDeclinedError extends AppError {
  constructor(detail: string, readonly body?: Record<string, unknown>) { super(402, detail); }
}
export class ForbiddenError extends AppError {
  constructor(detail: string) { super(403, detail); }
}
export class NotFoundError extends AppError {
  constructor(detail: string) { super(404, detail); }
}
export class ConflictError extends AppError {
  constructor(detail: string) { super(409, detail); }
}
export class ValidationError extends AppError {
  constructor(detail: string, readonly field?: string) { super(422, detail); }
}
export class TooManyRequestsError extends AppError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, detail, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}
/** A dependency outside our control (router, gateway) failed or answered nonsense. */
export class UpstreamError extends AppError {
  constructor(detail: string, options?: { cause?: unknown; status?: number }) {
    super(options?.status ?? 502, detail, options);
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(detail: string, options?: { cause?: unknown; headers?: Record<string, string> }) { super(503, detail, options); }
}

/** The stores the service cannot work without (named in logs only, never to clients). */
export type StoreName = 'postgres' | 'redis';

export const STORE_UNAVAILABLE_DETAIL = 'El servicio no está disponible por un momento; intenta de nuevo';
/** Seconds a client should wait before retrying while a store is unreachable. */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * PostgreSQL or Redis cannot be reached (refused, timed out, pool exhausted,
 * shut down by its administrator): a 503 with Retry-After that a client may
 * retry with the same Idempotency-Key. Built by the error middleware from
 * `unavailableStore` (platform/unavailable.ts), or thrown directly by code that
 * knows (the job producers).
 */
export class StoreUnavailableError extends ServiceUnavailableError {
  readonly body = { code: 'service_unavailable' };

  constructor(readonly store: StoreName, options?: { cause?: unknown }) {
    super(STORE_UNAVAILABLE_DETAIL, { ...options, headers: { 'Retry-After': String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS) } });
  }
}
