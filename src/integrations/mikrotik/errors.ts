/**
 * Typed router errors. Callers act on the class (a duplicate user whose comment
 * is ours is success; a connection-level failure is retried later; an open
 * circuit means "do not even try now"); the HTTP layer shows `detail` (Spanish).
 * No message, detail or cause ever carries the router password.
 */
import { UpstreamError, type ErrorCode } from '../../platform/errors';

interface RouterErrorOptions {
  routerId?: string;
  cause?: unknown;
  status?: number;
  code?: ErrorCode;
}

export class RouterError extends UpstreamError {
  readonly routerId?: string;
  constructor(detail: string, options: RouterErrorOptions = {}) {
    super(detail, { cause: options.cause, status: options.status, code: options.code });
    this.routerId = options.routerId;
  }
}

/**
 * The router could not be reached or the connection broke. `mayHaveApplied` is
 * true when the command had already been sent: the router may have executed it,
 * so the caller must look before retrying anything that is not idempotent.
 */
export class RouterUnreachableError extends RouterError {
  readonly reason: string;
  readonly mayHaveApplied: boolean;
  constructor(reason: string, options: RouterErrorOptions & { mayHaveApplied?: boolean } = {}) {
    super(`No se pudo conectar con el router: ${reason}`, { status: 502, code: 'router_unreachable', ...options });
    this.reason = reason;
    this.mayHaveApplied = options.mayHaveApplied ?? false;
  }
}

/** Connecting, logging in, waiting for a free slot or for a reply took longer than allowed. */
export class RouterTimeoutError extends RouterError {
  readonly reason: string;
  readonly mayHaveApplied: boolean;
  constructor(reason: string, options: RouterErrorOptions & { mayHaveApplied?: boolean } = {}) {
    super(`No se pudo conectar con el router: ${reason}`, { status: 504, code: 'router_timeout', ...options });
    this.reason = reason;
    this.mayHaveApplied = options.mayHaveApplied ?? false;
  }
}

/** The router rejected the API user name or password. */
export class RouterAuthError extends RouterError {
  constructor(options: RouterErrorOptions = {}) {
    super('El router rechazó el usuario o la contraseña de la API', { status: 502, code: 'router_auth_failed', ...options });
  }
}

/** Too many consecutive failures on this router: not trying again until `retryAfterMs` passes. */
export class RouterCircuitOpenError extends RouterError {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, options: RouterErrorOptions = {}) {
    super('El router no responde; se reintentará en unos segundos', { status: 503, code: 'router_unavailable', ...options });
    this.retryAfterMs = Math.max(0, retryAfterMs);
    this.headers['Retry-After'] = String(Math.max(1, Math.ceil(this.retryAfterMs / 1000)));
  }
}

/** RouterOS answered `!trap`: the router is fine, the command was refused. */
export class RouterTrapError extends RouterError {
  /** RouterOS's own message, e.g. "failure: already have user with this name". */
  readonly routerMessage: string;
  constructor(routerMessage: string, detail?: string, options: RouterErrorOptions = {}) {
    super(detail ?? `El router rechazó la operación: ${routerMessage}`, { status: 502, code: 'router_rejected', ...options });
    this.routerMessage = routerMessage;
  }
}

export class RouterDuplicateUserError extends RouterTrapError {
  constructor(routerMessage: string, options: RouterErrorOptions = {}) {
    super(routerMessage, 'Ya existe un usuario hotspot con ese nombre en el router', { status: 409, code: 'router_duplicate_user', ...options });
  }
}

export class RouterNoSuchItemError extends RouterTrapError {
  constructor(routerMessage: string, options: RouterErrorOptions = {}) {
    super(routerMessage, 'El elemento no existe en el router', { status: 404, code: 'router_item_not_found', ...options });
  }
}

export class RouterUnknownProfileError extends RouterTrapError {
  constructor(routerMessage: string, options: RouterErrorOptions = {}) {
    super(routerMessage, 'El perfil hotspot no existe en el router', { status: 422, code: 'router_unknown_profile', ...options });
  }
}

/** Connection-level failures: these are what the circuit breaker counts. */
export function isConnectionFailure(err: unknown): err is RouterUnreachableError | RouterTimeoutError | RouterAuthError {
  return err instanceof RouterUnreachableError || err instanceof RouterTimeoutError || err instanceof RouterAuthError;
}

/** Maps a `!trap` message to its typed error. */
export function trapError(message: string, routerId?: string): RouterTrapError {
  const m = message.toLowerCase();
  if (m.includes('already have user with this name')) return new RouterDuplicateUserError(message, { routerId });
  if (m.startsWith('no such item')) return new RouterNoSuchItemError(message, { routerId });
  if (m.includes('input does not match any value of profile')) return new RouterUnknownProfileError(message, { routerId });
  return new RouterTrapError(message, undefined, { routerId });
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'conexión rechazada',
  ECONNRESET: 'el router reinició la conexión',
  EPIPE: 'el router cerró la conexión',
  ETIMEDOUT: 'tiempo de espera agotado',
  EHOSTUNREACH: 'host inalcanzable',
  EHOSTDOWN: 'host inalcanzable',
  ENETUNREACH: 'red inalcanzable',
  ENOTFOUND: 'no se pudo resolver el nombre del host',
  EAI_AGAIN: 'no se pudo resolver el nombre del host',
  EADDRNOTAVAIL: 'dirección no disponible',
};

/** Spanish reason for a socket/TLS error code (never includes the raw message, which may echo input). */
export function networkReason(code: string | undefined): string {
  if (!code) return 'error de red';
  if (NETWORK_REASONS[code]) return NETWORK_REASONS[code]!;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) return 'certificado TLS no válido';
  if (/SSL|TLS/.test(code)) return 'error en la negociación TLS';
  return `error de red (${code})`;
}
