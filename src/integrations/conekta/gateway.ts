/**
 * Conekta (API v2.1) card charges over plain fetch.
 *
 * Conekta has no idempotency header. Our guard against double charges:
 * - our transaction id travels in `metadata.transaccion_id`;
 * - an ambiguous answer (timeout, network error, 5xx, 409, 429, unreadable
 *   body) is reported as `unknown`, never retried here;
 * - before anyone charges again, `lookup` finds the order by its stored id or
 *   by listing recent orders (newest first, `limit`/`next` paging) and
 *   matching `metadata.transaccion_id`. Conekta's `search` parameter is not
 *   documented to match metadata, so we do not rely on it.
 * Each request is bounded by `timeoutMs` (headers and body), via AbortSignal.
 */
import { asString, assertChargeInput, isRecord } from '../gateways/common';
import {
  GatewayAuthError,
  GatewayError,
  GatewayMismatchError,
  GatewayNotFoundError,
  GatewayRefundError,
  GatewayRequestError,
  GatewayUnavailableError,
} from '../gateways/errors';
import { GENERIC_DECLINE_MESSAGE } from '../gateways/messages';
import { conektaDeclineMessage } from './messages';
import type {
  CashChargeInput,
  CashChargeOutcome,
  CashReference,
  ChargeInput,
  ChargeOutcome,
  LookupOutcome,
  LookupRef,
  LookupStatus,
  PaymentGateway,
  RefundInput,
  RefundOutcome,
} from '../gateways/port';

/**
 * Conekta requires `customer_info.phone`; the original made the customer's phone
 * optional, so when the portal sends none we send this neutral, well-formed
 * 10-digit number (never a real customer's). README: "Migrating from the original".
 */
export const CONEKTA_PLACEHOLDER_PHONE = '5500000000';

export interface ConektaGatewayOptions {
  /** `https://api.conekta.io` in production (CONEKTA_API_URL). */
  baseUrl: string;
  /** The company's private key (`key_…`). Never logged, never in errors. */
  privateKey: string;
  /** Bound of each HTTP request, headers and body included. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** API version in the Accept header; default '2.1.0' (the original service's). */
  apiVersion?: string;
  /** Orders per page when searching by metadata (max 250); default 50. */
  lookupPageSize?: number;
  /** Pages to scan when searching by metadata; default 4. */
  lookupMaxPages?: number;
  /** Stop scanning at orders older than this; default 7 days. */
  lookupWindowSeconds?: number;
  /** Clock (ms) for the lookup window; default Date.now. */
  now?: () => number;
}

type Answer =
  | { ok: true; status: number; body: unknown }
  | { ok: false; reason: 'timeout' | 'network' | 'unreadable'; status?: number; error?: unknown };

interface ConektaErrorBody {
  type?: string;
  log_id?: string;
  details?: Array<{ code?: string; message?: string; param?: string | null }>;
  data?: unknown;
}

const PAID_LIKE = new Set(['paid', 'partially_refunded', 'refunded', 'charged_back']);
const PENDING_LIKE = new Set(['pending_payment', 'pre_authorized']);

function errorCode(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const details = (body as ConektaErrorBody).details;
  if (Array.isArray(details) && details[0] && typeof details[0].code === 'string') return details[0].code;
  return undefined;
}

function firstCharge(order: Record<string, unknown>): Record<string, unknown> | undefined {
  const charges = order['charges'];
  if (!isRecord(charges) || !Array.isArray(charges['data'])) return undefined;
  const first = charges['data'][0];
  return isRecord(first) ? first : undefined;
}

function cardOf(order: Record<string, unknown>): { brand?: string; last4?: string } | undefined {
  const charge = firstCharge(order);
  const pm = charge && isRecord(charge['payment_method']) ? charge['payment_method'] : undefined;
  if (!pm) return undefined;
  return { brand: asString(pm['brand']), last4: asString(pm['last4']) };
}

function orderTransaccionId(order: Record<string, unknown>): string | undefined {
  const metadata = order['metadata'];
  return isRecord(metadata) ? asString(metadata['transaccion_id']) : undefined;
}

function rankOrder(order: Record<string, unknown>): number {
  const status = String(order['payment_status'] ?? '');
  if (PAID_LIKE.has(status)) return 3;
  if (PENDING_LIKE.has(status)) return 2;
  return 1;
}

function centsField(order: Record<string, unknown>, field: string): number | undefined {
  const value = order[field];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/** The store reference of a cash (OXXO) charge: `charges.data[0].payment_method.reference`. */
export function conektaCashOf(order: Record<string, unknown>): CashReference | undefined {
  const charge = firstCharge(order);
  const pm = charge && isRecord(charge['payment_method']) ? charge['payment_method'] : undefined;
  if (pm && (pm['object'] === 'bank_transfer_payment' || pm['type'] === 'spei')) return conektaSpeiOf(pm);
  const reference = pm ? asString(pm['reference']) : undefined;
  if (!pm || !reference) return undefined;
  const expires = pm['expires_at'];
  return {
    reference,
    ticketUrl: asString(pm['barcode_url']),
    barcode: asString(pm['barcode']) ?? reference,
    expiresAt: typeof expires === 'number' ? new Date(expires * 1000) : undefined,
  };
}

/**
 * A SPEI charge's `bank_transfer_payment` (the SDKs' PaymentMethodBankTransfer):
 * the CLABE in `clabe` or `receiving_account_number`, the bank in `bank` or
 * `receiving_account_bank`. Only an 18-digit CLABE is taken as one.
 */
function conektaSpeiOf(pm: Record<string, unknown>): CashReference | undefined {
  const clabeRaw = asString(pm['clabe']) ?? asString(pm['receiving_account_number']);
  const clabe = clabeRaw && /^\d{18}$/.test(clabeRaw) ? clabeRaw : undefined;
  const reference = asString(pm['reference_number']) ?? asString(pm['reference']) ?? clabe;
  if (!reference) return undefined;
  const expires = pm['expires_at'];
  return {
    reference,
    ...(clabe ? { clabe } : {}),
    ...(asString(pm['bank']) ?? asString(pm['receiving_account_bank']) ? { bank: asString(pm['bank']) ?? asString(pm['receiving_account_bank']) } : {}),
    ...(asString(pm['url']) ? { ticketUrl: asString(pm['url']) } : {}),
    expiresAt: typeof expires === 'number' ? new Date(expires * 1000) : undefined,
  };
}

export function mapConektaOrder(order: Record<string, unknown>): LookupOutcome {
  const paymentStatus = String(order['payment_status'] ?? '');
  const charge = firstCharge(order);
  let status: LookupStatus;
  switch (paymentStatus) {
    case 'paid':
    case 'partially_refunded':
      status = 'paid';
      break;
    case 'refunded':
      status = 'refunded';
      break;
    case 'charged_back':
      status = 'charged_back';
      break;
    case 'declined':
    case 'canceled':
    case 'voided':
      status = 'declined';
      break;
    case 'expired':
      status = 'expired';
      break;
    default: // pending_payment, pre_authorized, anything new: not final
      status = 'pending';
  }
  const failureCode = charge ? asString(charge['failure_code']) : undefined;
  const outcome: LookupOutcome = {
    status,
    gatewayId: asString(order['id']),
    amountCents: centsField(order, 'amount'),
    refundedCents: centsField(order, 'amount_refunded') ?? 0,
    currency: asString(order['currency']),
    transaccionId: orderTransaccionId(order),
    gatewayStatus: paymentStatus,
    gatewayStatusDetail: charge ? asString(charge['status']) : undefined,
    raw: order,
  };
  const cash = conektaCashOf(order);
  if (cash) outcome.cash = cash;
  if (status === 'declined') {
    outcome.declineCode = failureCode ?? paymentStatus;
    outcome.declineMessage = conektaDeclineMessage(failureCode);
  }
  return outcome;
}

export function createConektaGateway(options: ConektaGatewayOptions): PaymentGateway {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const accept = `application/vnd.conekta-v${options.apiVersion ?? '2.1.0'}+json`;
  const authorization = `Basic ${Buffer.from(`${options.privateKey}:`).toString('base64')}`;
  const pageSize = Math.min(250, Math.max(1, options.lookupPageSize ?? 50));
  const maxPages = Math.max(1, options.lookupMaxPages ?? 4);
  const windowSeconds = options.lookupWindowSeconds ?? 7 * 24 * 3600;
  const now = options.now ?? Date.now;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {
      Accept: accept,
      'Accept-Language': 'es',
      Authorization: authorization,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      return { ok: false, reason: signal.aborted ? 'timeout' : 'network', error: sanitize(error) };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { ok: false, reason: signal.aborted ? 'timeout' : 'network', status: response.status, error: sanitize(error) };
    }
    try {
      return { ok: true, status: response.status, body: text.length ? JSON.parse(text) : null };
    } catch {
      return { ok: false, reason: 'unreadable', status: response.status };
    }
  }

  /** Errors for reads and refunds: anything but a definite answer throws. */
  function failure(answer: Answer, context: 'lookup' | 'refund'): GatewayError {
    if (!answer.ok) return new GatewayUnavailableError('conekta', { code: answer.reason, upstreamStatus: answer.status });
    const code = errorCode(answer.body);
    const s = answer.status;
    if (s === 401 || s === 403) return new GatewayAuthError('conekta', { code, upstreamStatus: s });
    if (s === 404) return new GatewayNotFoundError('conekta', { code, upstreamStatus: s });
    if (s === 409 || s === 429 || s >= 500) return new GatewayUnavailableError('conekta', { code, upstreamStatus: s });
    if (context === 'refund' && (s === 402 || s === 422)) {
      return new GatewayRefundError('conekta', 'El procesador de pagos rechazó el reembolso.', { code, upstreamStatus: s });
    }
    return new GatewayRequestError('conekta', 'El procesador de pagos rechazó la solicitud.', { code, upstreamStatus: s });
  }

  async function getOrder(id: string): Promise<Record<string, unknown> | null> {
    const answer = await call('GET', `/orders/${encodeURIComponent(id)}`);
    if (answer.ok && answer.status === 404) return null;
    if (answer.ok && answer.status === 200 && isRecord(answer.body)) return answer.body;
    throw failure(answer, 'lookup');
  }

  async function findByTransaccion(transaccionId: string): Promise<Record<string, unknown> | null> {
    const cutoff = Math.floor(now() / 1000) - windowSeconds;
    const matches: Record<string, unknown>[] = [];
    let next: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (next) query.set('next', next);
      const answer = await call('GET', `/orders?${query.toString()}`);
      if (!answer.ok || answer.status !== 200 || !isRecord(answer.body) || !Array.isArray(answer.body['data'])) {
        throw failure(answer.ok && answer.status === 200 ? { ok: false, reason: 'unreadable', status: 200 } : answer, 'lookup');
      }
      const data = answer.body['data'].filter(isRecord);
      for (const order of data) if (orderTransaccionId(order) === transaccionId) matches.push(order);
      const last = data[data.length - 1];
      if (!answer.body['has_more'] || !last) break;
      const lastCreated = last['created_at'];
      if (typeof lastCreated === 'number' && lastCreated < cutoff) break;
      next = asString(last['id']);
      if (!next) break;
    }
    if (matches.length === 0) return null;
    // One transaction should have one order; if a retry made more, the paid one decides.
    matches.sort((a, b) => rankOrder(b) - rankOrder(a) || Number(b['created_at'] ?? 0) - Number(a['created_at'] ?? 0));
    return matches[0]!;
  }

  async function charge(input: ChargeInput): Promise<ChargeOutcome> {
    assertChargeInput('conekta', input);
    const description = input.description.trim();
    const itemName = (description.length >= 3 ? description : 'Acceso a internet').slice(0, 249);
    const body = {
      currency: input.currency,
      customer_info: { name: input.customer.name, email: input.customer.email, phone: input.customer.phone ?? CONEKTA_PLACEHOLDER_PHONE },
      line_items: [{ name: itemName, unit_price: input.amountCents, quantity: 1 }],
      charges: [{ payment_method: { type: 'card', token_id: input.cardToken } }],
      metadata: { transaccion_id: input.transaccionId },
    };
    const answer = await call('POST', '/orders', body);
    if (!answer.ok) return { status: 'unknown', raw: { reason: answer.reason, httpStatus: answer.status } };
    const s = answer.status;
    if (s >= 200 && s < 300) {
      if (!isRecord(answer.body) || typeof answer.body['id'] !== 'string') {
        return { status: 'unknown', raw: { reason: 'unexpected_body', httpStatus: s } };
      }
      const order = answer.body;
      const mapped = mapConektaOrder(order);
      const outcome: ChargeOutcome = {
        status: mapped.status === 'paid' ? 'paid' : mapped.status === 'declined' || mapped.status === 'expired' ? 'declined' : 'pending',
        gatewayId: mapped.gatewayId,
        gatewayStatus: mapped.gatewayStatus,
        gatewayStatusDetail: mapped.gatewayStatusDetail,
        card: cardOf(order),
        raw: order,
      };
      if (outcome.status === 'declined') {
        outcome.declineCode = mapped.declineCode;
        outcome.declineMessage = mapped.declineMessage ?? GENERIC_DECLINE_MESSAGE;
      }
      return outcome;
    }
    const code = errorCode(answer.body);
    if (s === 402 || s === 422) {
      const data = isRecord(answer.body) ? (answer.body as ConektaErrorBody).data : undefined;
      const order = isRecord(data) ? data : undefined;
      return {
        status: 'declined',
        gatewayId: order ? asString(order['id']) : undefined,
        declineCode: code ?? (isRecord(answer.body) ? asString(answer.body['type']) : undefined),
        declineMessage: conektaDeclineMessage(code),
        gatewayStatus: order ? asString(order['payment_status']) : undefined,
        card: order ? cardOf(order) : undefined,
        raw: answer.body,
      };
    }
    if (s === 401 || s === 403) throw new GatewayAuthError('conekta', { code, upstreamStatus: s });
    if (s === 400 || s === 404) {
      throw new GatewayRequestError('conekta', 'El procesador de pagos rechazó la solicitud.', { code, upstreamStatus: s });
    }
    // 409, 429, 5xx and anything unexpected: we cannot tell whether an order exists.
    return { status: 'unknown', raw: { httpStatus: s, body: answer.body } };
  }

  /**
   * An OXXO reference: an order whose charge is `oxxo_cash` with `expires_at`
   * (or a SPEI CLABE: a `spei` charge, answered with a `bank_transfer_payment`).
   * Nothing is paid yet; the answer is `pending` with the reference, and
   * `order.paid` arrives by webhook when the customer pays at the store.
   */
  async function chargeCash(input: CashChargeInput): Promise<CashChargeOutcome> {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw new GatewayRequestError('conekta', 'El monto del cargo no es válido.');
    if (input.method === 'paycash') throw new GatewayRequestError('conekta', 'Conekta solo emite referencias de pago en OXXO o SPEI.');
    if (!input.customer.phone) throw new GatewayRequestError('conekta', 'Conekta requiere el teléfono del cliente.');
    const description = input.description.trim();
    const body = {
      currency: input.currency,
      customer_info: { name: input.customer.name, email: input.customer.email, phone: input.customer.phone },
      line_items: [{ name: (description.length >= 3 ? description : 'Acceso a internet').slice(0, 249), unit_price: input.amountCents, quantity: 1 }],
      charges: [{ payment_method: { type: input.method === 'spei' ? 'spei' : 'oxxo_cash', expires_at: Math.floor(input.expiresAt.getTime() / 1000) } }],
      metadata: { transaccion_id: input.transaccionId },
    };
    const answer = await call('POST', '/orders', body);
    if (!answer.ok) return { status: 'unknown', raw: { reason: answer.reason, httpStatus: answer.status } };
    const s = answer.status;
    if (s >= 200 && s < 300 && isRecord(answer.body) && typeof answer.body['id'] === 'string') {
      const mapped = mapConektaOrder(answer.body);
      if (!mapped.cash) return { status: 'unknown', gatewayId: mapped.gatewayId, raw: answer.body };
      return {
        status: mapped.status === 'declined' || mapped.status === 'expired' ? 'declined' : 'pending',
        gatewayId: mapped.gatewayId, cash: mapped.cash, gatewayStatus: mapped.gatewayStatus, raw: answer.body,
        ...(mapped.status === 'declined' ? { declineCode: mapped.declineCode, declineMessage: mapped.declineMessage ?? GENERIC_DECLINE_MESSAGE } : {}),
      };
    }
    const code = errorCode(answer.body);
    if (s === 401 || s === 403) throw new GatewayAuthError('conekta', { code, upstreamStatus: s });
    if (s === 400 || s === 404 || s === 422) {
      throw new GatewayRequestError('conekta', 'El procesador de pagos rechazó la solicitud de referencia en efectivo.', { code, upstreamStatus: s });
    }
    if (s === 402) return { status: 'declined', declineCode: code, declineMessage: conektaDeclineMessage(code), raw: answer.body };
    return { status: 'unknown', raw: { httpStatus: s, body: answer.body } };
  }

  async function lookup(ref: LookupRef): Promise<LookupOutcome> {
    let order: Record<string, unknown> | null = null;
    if (ref.gatewayId) order = await getOrder(ref.gatewayId);
    if (order) {
      const recorded = orderTransaccionId(order);
      if (recorded !== undefined && recorded !== ref.transaccionId) throw new GatewayMismatchError('conekta');
    } else {
      order = await findByTransaccion(ref.transaccionId);
    }
    if (!order) return { status: 'not_found' };
    return mapConektaOrder(order);
  }

  async function refund(input: RefundInput): Promise<RefundOutcome> {
    const order = await getOrder(input.gatewayId);
    if (!order) throw new GatewayNotFoundError('conekta', { upstreamStatus: 404 });
    const paymentStatus = String(order['payment_status'] ?? '');
    const amount = centsField(order, 'amount') ?? 0;
    const refunded = centsField(order, 'amount_refunded') ?? 0;
    // A full refund that already happened (e.g. our earlier attempt timed out) is done.
    if (paymentStatus === 'refunded' && input.amountCents === undefined) {
      return { status: 'refunded', amountRefundedCents: refunded || amount, raw: order };
    }
    if (paymentStatus !== 'paid' && paymentStatus !== 'partially_refunded') {
      throw new GatewayRefundError('conekta', 'El cargo no está pagado; no se puede reembolsar.', { code: paymentStatus });
    }
    const remaining = amount - refunded;
    const toRefund = input.amountCents ?? remaining;
    if (!Number.isSafeInteger(toRefund) || toRefund <= 0 || toRefund > remaining) {
      throw new GatewayRefundError('conekta', 'El monto a reembolsar no es válido o excede lo pagado.');
    }
    const answer = await call('POST', `/orders/${encodeURIComponent(input.gatewayId)}/refunds`, {
      amount: toRefund,
      reason: input.reason ?? 'requested_by_client',
    });
    if (!answer.ok || answer.status !== 200 || !isRecord(answer.body)) throw failure(answer, 'refund');
    const after = answer.body;
    const afterStatus = String(after['payment_status'] ?? '');
    return {
      status: afterStatus === 'refunded' ? 'refunded' : 'partially_refunded',
      amountRefundedCents: centsField(after, 'amount_refunded'),
      raw: after,
    };
  }

  /** A webhook names the order; what we hold about it comes from the order itself. */
  async function fetchById(gatewayId: string): Promise<LookupOutcome> {
    const order = await getOrder(gatewayId);
    return order ? mapConektaOrder(order) : { status: 'not_found' };
  }

  return { name: 'conekta', charge, chargeCash, lookup, refund, fetchById };
}

/** Network errors keep their message and code only (no request details). */
function sanitize(error: unknown): { name?: string; message?: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const cause = (error as { cause?: { code?: string } }).cause;
  return { name: error.name, message: error.message, code: cause?.code };
}
