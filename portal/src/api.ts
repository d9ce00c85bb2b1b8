/** The API client (the router's key, timeouts, Idempotency-Key) and every failure explained in Spanish. */
import { API_BASE, API_KEY, API_TIMEOUT_MS } from './config';
import { waitText } from './format';

export type ApiErrorKind = 'http' | 'network' | 'timeout';
export class ApiError {
  readonly status: number;
  readonly detail: string;
  /** Seconds, from Retry-After. */
  readonly retryAfter: number;
  readonly body: any;
  /** The API's stable machine-readable code (and the invalid field): decisions use these, never the Spanish text. */
  readonly code: string;
  readonly field: string;
  constructor(readonly kind: ApiErrorKind, status?: number, detail?: string, retryAfter?: number, body?: any) {
    this.status = status || 0;
    this.detail = detail || '';
    this.retryAfter = retryAfter || 0;
    this.body = body || null;
    this.code = body && typeof body.code === 'string' ? body.code : '';
    this.field = body && typeof body.field === 'string' ? body.field : '';
  }
}
/** What a failed step rejects with: an API error or a message of the page's own. */
export type Failure = ApiError | { message?: string };

function parseRetryAfter(value: string | null): number {
  if (!value) return 0;
  const n = Number(value);
  if (isFinite(n)) return Math.max(1, Math.ceil(n));
  const at = Date.parse(value);
  return isFinite(at) ? Math.max(1, Math.ceil((at - Date.now()) / 1000)) : 0;
}

export interface ApiAnswer<T = any> { status: number; data: T }
export interface ApiOptions { idempotencyKey?: string | null; timeoutMs?: number }

export function api<T = any>(method: string, path: string, body?: unknown, opts?: ApiOptions): Promise<ApiAnswer<T>> {
  const o = opts || {};
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; if (ctrl) ctrl.abort(); }, o.timeoutMs || API_TIMEOUT_MS);
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: 'Bearer ' + API_KEY };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey;
  return fetch(API_BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: ctrl ? ctrl.signal : undefined,
    cache: 'no-store',
    credentials: 'omit',
    mode: 'cors',
  }).then((res) => res.text().then((raw) => {
    let data: any = null;
    try { data = raw ? JSON.parse(raw) : null; } catch { data = null; }
    if (res.ok) return { status: res.status, data: data || {} };
    const detail = data && typeof data.detail === 'string' ? data.detail : '';
    throw new ApiError('http', res.status, detail, parseRetryAfter(res.headers.get('Retry-After')), data);
  })).catch((err) => {
    if (err instanceof ApiError) throw err;
    throw new ApiError(timedOut ? 'timeout' : 'network');
  }).then((value) => {
    clearTimeout(timer);
    return value;
  }, (err) => {
    clearTimeout(timer);
    throw err;
  });
}

const FIELD_NAMES: Record<string, string> = {
  email_cliente: 'correo electr\u00f3nico', telefono_cliente: 'tel\u00e9fono', nombre_cliente: 'nombre',
  mac_cliente: 'MAC del dispositivo', ip_cliente: 'IP del dispositivo', producto_id: 'plan',
  token_tarjeta: 'tarjeta', token: 'tarjeta', monto: 'monto', payment_method_id: 'tipo de tarjeta',
};
/** The invalid field (from `field`) shown by its customer-facing name. */
function friendlyDetail(detail: string, field: string): string {
  const text = String(detail);
  if (!field || !FIELD_NAMES[field]) return text;
  return text.split("'" + field + "'").join('\u00ab' + FIELD_NAMES[field] + '\u00bb');
}
/** For an answer without `code` (a proxy's error page): the code its status stands for. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 402: 'payment_declined', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  422: 'validation_error', 429: 'rate_limited', 502: 'upstream_error', 503: 'service_unavailable', 504: 'upstream_timeout',
};
export type Where = 'catalog' | 'pay' | 'poll' | 'reconnect';
/** Every failure, in Spanish, for the customer. */
export function explain(err: unknown, where: Where): string {
  if (!(err instanceof ApiError)) {
    const message = err && typeof err === 'object' ? (err as { message?: string }).message : '';
    return message || 'Ocurri\u00f3 un error inesperado. Intenta de nuevo.';
  }
  if (err.kind === 'timeout') {
    return where === 'pay'
      ? 'El pago tard\u00f3 demasiado en responder y no sabemos si se complet\u00f3. Toca \u00abReintentar\u00bb para consultarlo: no se te cobrar\u00e1 dos veces.'
      : 'El servidor tard\u00f3 demasiado en responder. Intenta de nuevo en unos momentos.';
  }
  if (err.kind === 'network') {
    return where === 'pay'
      ? 'Se perdi\u00f3 la conexi\u00f3n con el servidor de pagos. Toca \u00abReintentar\u00bb: si el pago ya se hizo, no se te cobrar\u00e1 dos veces.'
      : 'No hay conexi\u00f3n con el servidor de pagos. Revisa que sigas conectado a la red WiFi e intenta de nuevo.';
  }
  const d = err.detail ? friendlyDetail(err.detail, err.field) : '';
  switch (err.code || CODE_BY_STATUS[err.status] || '') {
    case 'bad_request': case 'invalid_json': return d || 'La solicitud no es v\u00e1lida.';
    case 'unauthorized':
      if (where === 'reconnect') return 'Usuario o contrase\u00f1a incorrectos para este punto de acceso.';
      return 'Este punto de acceso no est\u00e1 bien configurado (la API Key no es v\u00e1lida, venci\u00f3 o fue revocada). Avisa al encargado del lugar.';
    case 'payment_declined': return d || 'El pago fue rechazado. Intenta con otra tarjeta.';
    case 'forbidden': return d || 'No tienes permiso para hacer esto.';
    case 'not_found': case 'route_not_found':
      if (where === 'pay') return 'El plan que elegiste ya no est\u00e1 disponible. Elige otro plan.';
      if (where === 'poll') return 'No encontramos tu transacci\u00f3n en este punto de acceso.';
      return d || 'No encontrado.';
    case 'conflict': case 'router_duplicate_user': return d || 'La operaci\u00f3n sigue en curso; intenta de nuevo en unos segundos.';
    case 'validation_error': case 'idempotency_key_reused':
      return d ? 'Revisa tus datos: ' + d : 'Algunos datos no son v\u00e1lidos. Rev\u00edsalos e intenta de nuevo.';
    case 'rate_limited':
      // The API's own 429 (it has a code) names the wait in `detail`, the same seconds as Retry-After.
      if (d && err.code) return d;
      return (d || 'Demasiados intentos.') + (err.retryAfter ? ' Espera ' + waitText(err.retryAfter) + ' e intenta de nuevo.' : '');
    case 'upstream_error': case 'upstream_timeout': case 'gateway_rejected': case 'gateway_auth_failed':
    case 'router_unreachable': case 'router_timeout': case 'router_auth_failed': case 'router_rejected':
      return 'El procesador de pago o el router no respondi\u00f3 a tiempo. Intenta de nuevo en unos momentos.';
    case 'service_unavailable': case 'gateway_unavailable': case 'router_unavailable':
      return 'El servicio no est\u00e1 disponible por el momento. Intenta de nuevo en unos minutos.';
    default:
      if (err.status >= 500) return 'Ocurri\u00f3 un error en el servidor (c\u00f3digo ' + err.status + '). Intenta de nuevo en unos minutos.';
      return d || 'No se pudo completar la solicitud (c\u00f3digo ' + err.status + ').';
  }
}
/** The HTTP status of a failed API call (0 when no answer came, or for a failure of the page's own). */
export function httpStatus(err: unknown): number {
  return err instanceof ApiError && err.kind === 'http' ? err.status : 0;
}
/** A failure the status checks stop on: this key or this purchase is unknown here. */
export function isFinalPollError(err: unknown): boolean {
  const status = httpStatus(err);
  return status === 404 || status === 401;
}
