import { UpstreamError, type ErrorCode } from '../../platform/errors';
import type { GatewayName } from './port';

/**
 * A gateway failed in a way the caller has to handle. `detail` is Spanish and
 * safe for a client; it never contains keys, tokens or raw gateway bodies.
 */
export class GatewayError extends UpstreamError {
  readonly gateway: GatewayName;
  /** The gateway's error code, when it gave one (for logs). */
  readonly code: string | undefined;
  /** HTTP status the gateway answered with, when it answered. */
  readonly upstreamStatus: number | undefined;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;

  constructor(
    gateway: GatewayName,
    detail: string,
    options: { code?: string; upstreamStatus?: number; retryable?: boolean; cause?: unknown; status?: number; errorCode?: ErrorCode } = {},
  ) {
    super(detail, { cause: options.cause, status: options.status, code: options.errorCode });
    this.gateway = gateway;
    this.code = options.code;
    this.upstreamStatus = options.upstreamStatus;
    this.retryable = options.retryable ?? false;
  }
}

/** Timeout, network error, 5xx or 429: the gateway may work again later. */
export class GatewayUnavailableError extends GatewayError {
  constructor(gateway: GatewayName, options: { code?: string; upstreamStatus?: number; cause?: unknown } = {}) {
    super(gateway, 'El procesador de pagos no está disponible en este momento. Intente de nuevo más tarde.', {
      ...options,
      retryable: true,
      status: 503,
      errorCode: 'gateway_unavailable',
    });
  }
}

/** The gateway refused our credentials (a company's keys are wrong or revoked). */
export class GatewayAuthError extends GatewayError {
  constructor(gateway: GatewayName, options: { code?: string; upstreamStatus?: number; cause?: unknown } = {}) {
    super(gateway, 'Las credenciales del procesador de pagos de la empresa no son válidas.', { ...options, errorCode: 'gateway_auth_failed' });
  }
}

/** The gateway rejected our request as malformed or unsupported; nothing was charged. */
export class GatewayRequestError extends GatewayError {
  constructor(gateway: GatewayName, detail: string, options: { code?: string; upstreamStatus?: number; cause?: unknown } = {}) {
    super(gateway, detail, { ...options, errorCode: 'gateway_rejected' });
  }
}

/** The charge to refund or look up does not exist for this account. */
export class GatewayNotFoundError extends GatewayError {
  constructor(gateway: GatewayName, options: { code?: string; upstreamStatus?: number; cause?: unknown } = {}) {
    super(gateway, 'El cargo no existe en el procesador de pagos.', { ...options, status: 404 });
  }
}

/** The gateway refused the refund (not paid yet, already refunded, amount too large, …). */
export class GatewayRefundError extends GatewayError {
  constructor(gateway: GatewayName, detail: string, options: { code?: string; upstreamStatus?: number; cause?: unknown } = {}) {
    super(gateway, detail, { ...options, status: 409 });
  }
}

/** The gateway's charge belongs to another transaction than the one we asked about. */
export class GatewayMismatchError extends GatewayError {
  constructor(gateway: GatewayName, options: { code?: string } = {}) {
    super(gateway, 'El cargo del procesador de pagos no corresponde a esta transacción.', options);
  }
}
