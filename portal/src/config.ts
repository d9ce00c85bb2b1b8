/** config.js's settings, with the defaults the page runs on, and where it keeps things on the phone. */
import type { PagosConfig } from './types';

export const CFG: PagosConfig = window.PAGOS_CONFIG || {};
export const API_BASE = String(CFG.apiBaseUrl || '').replace(/\/+$/, '');
export const API_KEY = String(CFG.apiKey || '');
export const SANDBOX = CFG.mode === 'sandbox';
export const URLS = {
  conekta: CFG.conektaJsUrl || 'https://cdn.conekta.io/js/latest/conekta.js',
  mercadopago: CFG.mercadoPagoJsUrl || 'https://sdk.mercadopago.com/js/v2',
  sandbox: CFG.sandboxTokenizerUrl || 'sandbox-tokenizer.js',
};

/** `<empresa>.<router>` from the router key's claims (read, not verified: only a storage namespace). */
export function storageScope(apiKey: string): string {
  try {
    const part = String(apiKey).replace(/^jwt_/, '').split('.')[1] || '';
    const claims = JSON.parse(window.atob(part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4)));
    const scope = String(claims.empresa || '') + '.' + String(claims.sub || '');
    return /^[A-Za-z0-9_]{1,40}\.[A-Za-z0-9_]{1,40}$/.test(scope) ? scope : 'sin-router';
  } catch {
    return 'sin-router';
  }
}

// What the page keeps on the phone is namespaced by company and router (the
// hotspot's origin is often shared: MikroTik's default is the same for every
// operator) and expires. No password is kept: it is asked again from the API.
const STORE_SCOPE = storageScope(API_KEY);
export const STORE_KEY = 'pagosHotspot.' + STORE_SCOPE + '.compras';
export const CUSTOMER_KEY = 'pagosHotspot.' + STORE_SCOPE + '.cliente';
export const DEVICE_KEY = 'pagosHotspot.' + STORE_SCOPE + '.dispositivo';
// A pending cash reference: namespaced and expiring like the rest; it holds no password.
export const CASH_KEY = 'pagosHotspot.' + STORE_SCOPE + '.efectivo';
export const LEGACY_KEYS = ['pagosHotspot.credenciales', 'pagosHotspot.cliente'];
export const DAY_MS = 24 * 3600 * 1000;
export const SAVED_TTL_MS = 7 * DAY_MS;
export const CUSTOMER_TTL_MS = 30 * DAY_MS;
export const DEVICE_TTL_MS = 90 * DAY_MS;

export const PAY_TIMEOUT_MS = CFG.payTimeoutMs || 60000;
export const API_TIMEOUT_MS = CFG.apiTimeoutMs || 15000;
/** How long the card result keeps asking before it offers «Consultar de nuevo». */
export const POLL_LIMIT_MS = CFG.pollLimitMs || 180000;
/** The longest wait between two checks of a pending cash or SPEI reference. */
export const CASH_POLL_MS = CFG.cashPollMs || 8000;
export const PAY_RETRY_DELAYS_MS = CFG.payRetryDelaysMs || [1000, 2000, 4000, 8000];
export const PAY_RETRY_LIMIT_MS = CFG.payRetryLimitMs || 60000;

export const GATEWAY_NAMES: Record<string, string> = { conekta: 'Conekta', mercadopago: 'Mercado Pago' };
