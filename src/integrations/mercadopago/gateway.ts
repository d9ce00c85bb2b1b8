/**
 * Mercado Pago (Payments API v1) through the official `mercadopago` SDK, 3.6.x.
 *
 * Facts about the SDK this module relies on (read in node_modules/mercadopago/dist):
 * - The host is the static `AppConfig.BASE_URL` (utils/config). `RestClient.fetch`
 *   reads it synchronously, before its first `await`, when it builds the URL.
 *   `configureMercadoPagoBaseUrl` sets it once per process; a gateway created
 *   with `baseUrl` also assigns it right before each SDK call, which is
 *   race-free because nothing yields between the assignment and the read (this
 *   lets tests run several sandboxes in one process).
 * - `Payment`/`PaymentRefund` methods merge `requestOptions` INTO the shared
 *   `config.options`, so an idempotency key would stick to a reused config. We
 *   build a new `MercadoPagoConfig` for every request and always pass our key.
 * - Retries: by default up to 3 retries on 429/500/502/503/504 and network
 *   errors, 1 s/2 s/4 s back-off (Retry-After honoured on 429), with the same
 *   idempotency key; `timeout` (default 60 s) applies to EACH attempt and only
 *   until the response headers arrive (the body read is not covered).
 *   Worst case with defaults: 4 × 60 s + 7 s. We therefore pass
 *   `maxRetries` (default 0: an ambiguous answer is ours to resolve with
 *   `lookup`) and `timeout: timeoutMs`, and race every call against our own
 *   deadline of `timeoutMs`, so one charge never takes longer than
 *   `timeoutMs` (plus a few ms). A call that lost the race may still finish in
 *   the background; with the same idempotency key it cannot charge twice.
 * - Errors are typed (`MPRateLimitError`, `MPServerError`, `MPConnectionError`,
 *   … with `.status` and `.causes`). A decline is NOT an error: 201 with
 *   `status: "rejected"`.
 */
import { MercadoPagoConfig, MercadoPagoError, Payment, PaymentRefund } from 'mercadopago';
import { AppConfig } from 'mercadopago/dist/utils/config';
import type { Options } from 'mercadopago/dist/types';
import { centsToMercadoPagoAmount, mercadoPagoAmountToCents, tryToCents } from '../../platform/money';
import { asString, assertChargeInput, DeadlineExceeded, isRecord, splitName, withDeadline } from '../gateways/common';
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
import { mercadoPagoCauseMessage, mercadoPagoStatusMessage } from './messages';
import { MERCADOPAGO_STATUS } from './status';
import type {
  CashChargeInput,
  CashChargeOutcome,
  CashReference,
  ChargeInput,
  ChargeOutcome,
  Currency,
  LookupOutcome,
  LookupRef,
  PaymentGateway,
  RefundInput,
  RefundOutcome,
} from '../gateways/port';

export const MERCADOPAGO_DEFAULT_BASE_URL = 'https://api.mercadopago.com';

/** Points the SDK (process-wide) at `url`; call once at start with MERCADOPAGO_API_URL. */
export function configureMercadoPagoBaseUrl(url: string): void {
  setSdkBaseUrl(normalizeBaseUrl(url));
}

/** `AppConfig.BASE_URL` is typed readonly but is a plain static field. */
function setSdkBaseUrl(url: string): void {
  (AppConfig as { BASE_URL: string }).BASE_URL = url;
}

function normalizeBaseUrl(url: string): string {
  const parsed = new URL(url); // throws on garbage
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

export function getMercadoPagoBaseUrl(): string {
  return AppConfig.BASE_URL;
}

export interface MercadoPagoGatewayOptions {
  /** When set, assigned to the SDK right before each call (see the module comment). */
  baseUrl?: string;
  /** The company's access token. Never logged, never in errors. */
  accessToken: string;
  /** Upper bound of one gateway operation, SDK retries included. */
  timeoutMs: number;
  /** SDK retries inside `timeoutMs` (same idempotency key); default 0. */
  maxRetries?: number;
  /** First SDK back-off delay; default 250 ms. */
  retryDelayMs?: number;
  /** The currency of the account's site; default 'MXN'. A charge in another currency is refused. */
  currency?: Currency;
  /** `statement_descriptor` (≤ 22 chars), optional. */
  statementDescriptor?: string;
  /** `binary_mode`: approve or reject at once, never in_process. Default false. */
  binaryMode?: boolean;
}

type Sdk = { payment: Payment; refund: PaymentRefund };

const STATUS_MAP = MERCADOPAGO_STATUS;

/** Statuses that mean "this payment took money at some point" (for picking among several). */
const MONEY_TAKEN = new Set(['approved', 'in_mediation', 'refunded', 'charged_back']);

function stripApiResponse(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const { api_response: _ignored, ...rest } = body;
  return rest;
}

function amountCents(value: unknown): number | undefined {
  if (typeof value !== 'number') return undefined;
  try {
    return mercadoPagoAmountToCents(value);
  } catch {
    return tryToCents(value.toFixed(2)) ?? undefined;
  }
}

const CASH_METHODS = new Set(['oxxo', 'paycash', 'bancomer', 'banamex', 'serfin']);

/**
 * The store reference of a ticket payment. GATEWAYS.md: the exact field is
 * unconfirmed, so read every place Mercado Pago is known to put it.
 */
export function mercadoPagoCashOf(payment: Record<string, unknown>): CashReference | undefined {
  if (payment['payment_method_id'] === 'clabe' || payment['payment_type_id'] === 'bank_transfer') return mercadoPagoSpeiOf(payment);
  if (payment['payment_type_id'] !== 'ticket' && !CASH_METHODS.has(String(payment['payment_method_id'] ?? ''))) return undefined;
  const details = isRecord(payment['transaction_details']) ? payment['transaction_details'] : {};
  const barcode = isRecord(payment['barcode']) ? asString(payment['barcode']['content']) : undefined;
  const poi = isRecord(payment['point_of_interaction']) && isRecord(payment['point_of_interaction']['transaction_data'])
    ? payment['point_of_interaction']['transaction_data'] : {};
  const reference = asString(details['payment_method_reference_id']) ?? asString(poi['reference']) ?? barcode;
  if (!reference) return undefined;
  const expires = Date.parse(String(payment['date_of_expiration'] ?? ''));
  return {
    reference,
    ticketUrl: asString(details['external_resource_url']) ?? asString(poi['ticket_url']),
    barcode: barcode ?? reference,
    expiresAt: Number.isNaN(expires) ? undefined : new Date(expires),
  };
}

/**
 * A SPEI (`clabe`) payment. Where Mercado Pago puts the CLABE is not
 * documented in its SDK's types (GATEWAYS.md): an 18-digit string in
 * `transaction_details.payment_method_reference_id` or
 * `point_of_interaction.transaction_data.reference` is taken as the CLABE;
 * otherwise only the instructions page (`external_resource_url`) shows it.
 */
function mercadoPagoSpeiOf(payment: Record<string, unknown>): CashReference {
  const details = isRecord(payment['transaction_details']) ? payment['transaction_details'] : {};
  const poi = isRecord(payment['point_of_interaction']) && isRecord(payment['point_of_interaction']['transaction_data'])
    ? payment['point_of_interaction']['transaction_data'] : {};
  const candidate = asString(details['payment_method_reference_id']) ?? asString(poi['reference']);
  const clabe = candidate && /^\d{18}$/.test(candidate) ? candidate : undefined;
  const bank = asString(details['financial_institution']);
  const expires = Date.parse(String(payment['date_of_expiration'] ?? ''));
  return {
    reference: candidate ?? String(payment['id'] ?? ''),
    ...(clabe ? { clabe } : {}),
    ...(bank ? { bank } : {}),
    ticketUrl: asString(details['external_resource_url']) ?? asString(poi['ticket_url']),
    expiresAt: Number.isNaN(expires) ? undefined : new Date(expires),
  };
}

export function mapMercadoPagoPayment(payment: Record<string, unknown>): LookupOutcome {
  const status = String(payment['status'] ?? '');
  const detail = asString(payment['status_detail']);
  const mapped = STATUS_MAP[status] ?? 'pending';
  const outcome: LookupOutcome = {
    status: mapped,
    gatewayId: asString(payment['id']),
    amountCents: amountCents(payment['transaction_amount']),
    refundedCents: amountCents(payment['transaction_amount_refunded']) ?? 0,
    currency: asString(payment['currency_id']),
    transaccionId: asString(payment['external_reference']),
    gatewayStatus: status,
    gatewayStatusDetail: detail,
    raw: stripApiResponse(payment),
  };
  const cash = mercadoPagoCashOf(payment);
  if (cash) outcome.cash = cash;
  if (mapped === 'declined' || mapped === 'expired') {
    outcome.declineCode = detail ?? status;
    outcome.declineMessage = mercadoPagoStatusMessage(detail);
  }
  return outcome;
}

function errorStatus(error: unknown): number | undefined {
  if (error instanceof MercadoPagoError && error.status) return error.status;
  const status = isRecord(error) ? error['status'] : undefined;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

function causeCode(error: unknown): string | undefined {
  const causes = isRecord(error) ? error['causes'] : undefined;
  if (Array.isArray(causes) && isRecord(causes[0])) return asString(causes[0]['code']);
  return undefined;
}

/** What we keep of an SDK error for the audit log (no headers, no request). */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof DeadlineExceeded) return { reason: 'timeout', message: error.message };
  if (error instanceof MercadoPagoError) {
    return { reason: error.name, status: error.status, error: error.error, message: error.message, causes: error.causes };
  }
  if (error instanceof Error) return { reason: error.name, message: error.message };
  return { reason: 'unknown', message: String(error) };
}

/** True when the SDK/HTTP outcome says nothing definite about whether a write happened. */
function isAmbiguous(error: unknown): boolean {
  if (error instanceof DeadlineExceeded) return true;
  const status = errorStatus(error);
  if (status === undefined) return true; // connection errors, unexpected exceptions
  return status === 409 || status === 423 || status === 424 || status === 429 || status >= 500;
}

export function createMercadoPagoGateway(options: MercadoPagoGatewayOptions): PaymentGateway {
  const baseUrl = options.baseUrl ? normalizeBaseUrl(options.baseUrl) : undefined;
  const timeoutMs = options.timeoutMs;
  const maxRetries = Math.max(0, options.maxRetries ?? 0);
  const retryDelayMs = options.retryDelayMs ?? 250;
  const currency = options.currency ?? 'MXN';

  /** A fresh config per request: requestOptions never leak into a later call. */
  function sdk(idempotencyKey?: string, extra: Partial<Options> = {}): { clients: Sdk; requestOptions: Options } {
    const requestOptions: Options = {
      timeout: timeoutMs,
      maxRetries,
      initialDelay: retryDelayMs,
      maxDelay: Math.max(retryDelayMs, Math.floor(timeoutMs / 2)),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...extra,
    };
    const config = new MercadoPagoConfig({ accessToken: options.accessToken, options: { ...requestOptions } });
    return { clients: { payment: new Payment(config), refund: new PaymentRefund(config) }, requestOptions };
  }

  /** Runs one SDK call against our base URL and within our deadline. */
  function run<T>(start: () => Promise<T>): Promise<T> {
    if (baseUrl) setSdkBaseUrl(baseUrl); // read synchronously by RestClient.fetch inside start()
    return withDeadline(start(), timeoutMs);
  }

  function readFailure(error: unknown): GatewayError {
    const status = errorStatus(error);
    const code = causeCode(error);
    if (isAmbiguous(error)) return new GatewayUnavailableError('mercadopago', { upstreamStatus: status, code, cause: describe(error) });
    if (status === 401 || status === 403) return new GatewayAuthError('mercadopago', { upstreamStatus: status, code });
    if (status === 404) return new GatewayNotFoundError('mercadopago', { upstreamStatus: status, code });
    return new GatewayRequestError('mercadopago', 'El procesador de pagos rechazó la solicitud.', { upstreamStatus: status, code });
  }

  async function getPayment(id: string): Promise<Record<string, unknown> | null> {
    const { clients, requestOptions } = sdk();
    try {
      const body = await run(() => clients.payment.get({ id, requestOptions }));
      return body as unknown as Record<string, unknown>;
    } catch (error) {
      if (errorStatus(error) === 404) return null;
      throw readFailure(error);
    }
  }

  async function searchByReference(transaccionId: string): Promise<Record<string, unknown> | null> {
    const { clients, requestOptions } = sdk();
    let results: unknown[];
    try {
      const body = await run(() =>
        clients.payment.search({
          options: { external_reference: transaccionId, sort: 'date_created', criteria: 'desc', limit: 50, offset: 0 },
          requestOptions,
        }),
      );
      results = Array.isArray(body.results) ? body.results : [];
    } catch (error) {
      throw readFailure(error);
    }
    const payments = results.filter(isRecord).filter((p) => asString(p['external_reference']) === transaccionId);
    if (payments.length === 0) return null;
    const rank = (p: Record<string, unknown>) => {
      const s = String(p['status'] ?? '');
      return MONEY_TAKEN.has(s) ? 3 : STATUS_MAP[s] === 'pending' ? 2 : 1;
    };
    const time = (p: Record<string, unknown>) => Date.parse(String(p['date_created'] ?? '')) || 0;
    payments.sort((a, b) => rank(b) - rank(a) || time(b) - time(a));
    return payments[0]!;
  }

  async function charge(input: ChargeInput): Promise<ChargeOutcome> {
    assertChargeInput('mercadopago', input);
    const mp = input.mercadoPago;
    if (!mp || !mp.paymentMethodId) {
      throw new GatewayRequestError('mercadopago', 'Falta el medio de pago de Mercado Pago.');
    }
    if (input.currency !== currency) {
      throw new GatewayRequestError('mercadopago', `Mercado Pago solo acepta pagos en ${currency} para esta cuenta.`);
    }
    const installments = mp.installments ?? 1;
    if (!Number.isInteger(installments) || installments < 1) {
      throw new GatewayRequestError('mercadopago', 'El número de mensualidades no es válido.');
    }
    const issuerId = mp.issuerId !== undefined && mp.issuerId !== '' ? Number(mp.issuerId) : undefined;
    if (issuerId !== undefined && !Number.isSafeInteger(issuerId)) {
      throw new GatewayRequestError('mercadopago', 'El emisor de la tarjeta no es válido.');
    }
    const amount = centsToMercadoPagoAmount(input.amountCents);
    const { first, last } = splitName(input.customer.name);
    const description = input.description.trim().slice(0, 255) || 'Acceso a internet';
    const body = {
      transaction_amount: amount,
      token: input.cardToken,
      description,
      installments,
      payment_method_id: mp.paymentMethodId,
      ...(issuerId !== undefined ? { issuer_id: issuerId } : {}),
      payer: { email: input.customer.email, first_name: first, last_name: last },
      external_reference: input.transaccionId,
      ...(mp.notificationUrl ? { notification_url: mp.notificationUrl } : {}),
      ...(options.statementDescriptor ? { statement_descriptor: options.statementDescriptor.slice(0, 22) } : {}),
      ...(options.binaryMode !== undefined ? { binary_mode: options.binaryMode } : {}),
      metadata: { transaccion_id: input.transaccionId },
      additional_info: {
        ...(mp.payerIp ? { ip_address: mp.payerIp } : {}),
        items: [{ id: input.transaccionId, title: description, quantity: 1, unit_price: amount }],
        payer: { first_name: first, last_name: last, ...(input.customer.phone ? { phone: { number: input.customer.phone } } : {}) },
      },
    };
    const { clients, requestOptions } = sdk(input.idempotencyKey, mp.deviceId ? { meliSessionId: mp.deviceId } : {});
    let payment: Record<string, unknown>;
    try {
      payment = (await run(() => clients.payment.create({ body, requestOptions }))) as unknown as Record<string, unknown>;
    } catch (error) {
      if (isAmbiguous(error)) return { status: 'unknown', raw: describe(error) };
      const status = errorStatus(error);
      if (status === 401 || status === 403) throw new GatewayAuthError('mercadopago', { upstreamStatus: status, code: causeCode(error) });
      if (status === 404) {
        throw new GatewayRequestError('mercadopago', 'El procesador de pagos rechazó la solicitud.', { upstreamStatus: status });
      }
      // 400 / 402 / 422: the payment was refused before it existed (bad card data, token, amount…)
      const code = causeCode(error);
      return {
        status: 'declined',
        declineCode: code ? `mercadopago.cause.${code}` : `mercadopago.http.${status}`,
        declineMessage: mercadoPagoCauseMessage(code),
        raw: describe(error),
      };
    }
    if (!isRecord(payment) || payment['id'] === undefined) return { status: 'unknown', raw: { reason: 'unexpected_body' } };
    const mapped = mapMercadoPagoPayment(payment);
    const card = isRecord(payment['card']) ? payment['card'] : undefined;
    const outcome: ChargeOutcome = {
      status: mapped.status === 'paid' ? 'paid' : mapped.status === 'pending' ? 'pending' : mapped.status === 'declined' || mapped.status === 'expired' ? 'declined' : 'unknown',
      gatewayId: mapped.gatewayId,
      gatewayStatus: mapped.gatewayStatus,
      gatewayStatusDetail: mapped.gatewayStatusDetail,
      card: { brand: asString(payment['payment_method_id']), last4: card ? asString(card['last_four_digits']) : undefined },
      raw: mapped.raw,
    };
    if (outcome.status === 'declined') {
      outcome.declineCode = mapped.declineCode;
      outcome.declineMessage = mapped.declineMessage ?? GENERIC_DECLINE_MESSAGE;
    }
    return outcome;
  }

  /**
   * A ticket payment (OXXO, Paycash) or a SPEI transfer (`clabe`): no token;
   * pending until paid or `cancelled` at `date_of_expiration`.
   */
  async function chargeCash(input: CashChargeInput): Promise<CashChargeOutcome> {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw new GatewayRequestError('mercadopago', 'El monto del cargo no es válido.');
    if (input.currency !== currency) throw new GatewayRequestError('mercadopago', `Mercado Pago solo acepta pagos en ${currency} para esta cuenta.`);
    const amount = centsToMercadoPagoAmount(input.amountCents);
    const { first, last } = splitName(input.customer.name);
    const description = input.description.trim().slice(0, 255) || 'Acceso a internet';
    const body = {
      transaction_amount: amount,
      description,
      payment_method_id: input.method === 'spei' ? 'clabe' : input.method,
      payer: { email: input.customer.email, first_name: first, last_name: last },
      date_of_expiration: input.expiresAt.toISOString().replace('Z', '+00:00'),
      external_reference: input.transaccionId,
      ...(input.notificationUrl ? { notification_url: input.notificationUrl } : {}),
      metadata: { transaccion_id: input.transaccionId },
      additional_info: { items: [{ id: input.transaccionId, title: description, quantity: 1, unit_price: amount }] },
    };
    const { clients, requestOptions } = sdk(input.idempotencyKey);
    let payment: Record<string, unknown>;
    try {
      payment = (await run(() => clients.payment.create({ body: body as never, requestOptions }))) as unknown as Record<string, unknown>;
    } catch (error) {
      if (isAmbiguous(error)) return { status: 'unknown', raw: describe(error) };
      const status = errorStatus(error);
      if (status === 401 || status === 403) throw new GatewayAuthError('mercadopago', { upstreamStatus: status, code: causeCode(error) });
      throw new GatewayRequestError('mercadopago', 'El procesador de pagos rechazó la solicitud de referencia en efectivo.', { upstreamStatus: status, code: causeCode(error) });
    }
    if (!isRecord(payment) || payment['id'] === undefined) return { status: 'unknown', raw: { reason: 'unexpected_body' } };
    const mapped = mapMercadoPagoPayment(payment);
    if (mapped.status === 'declined' || mapped.status === 'expired') {
      return { status: 'declined', gatewayId: mapped.gatewayId, declineCode: mapped.declineCode, declineMessage: mapped.declineMessage ?? GENERIC_DECLINE_MESSAGE, raw: mapped.raw };
    }
    if (!mapped.cash) return { status: 'unknown', gatewayId: mapped.gatewayId, raw: mapped.raw };
    return { status: 'pending', gatewayId: mapped.gatewayId, cash: mapped.cash, gatewayStatus: mapped.gatewayStatus, gatewayStatusDetail: mapped.gatewayStatusDetail, raw: mapped.raw };
  }

  async function lookup(ref: LookupRef): Promise<LookupOutcome> {
    let payment: Record<string, unknown> | null = null;
    if (ref.gatewayId) payment = await getPayment(ref.gatewayId);
    if (payment) {
      const recorded = asString(payment['external_reference']);
      if (recorded !== undefined && recorded !== '' && recorded !== ref.transaccionId) throw new GatewayMismatchError('mercadopago');
    } else {
      payment = await searchByReference(ref.transaccionId);
    }
    if (!payment) return { status: 'not_found' };
    return mapMercadoPagoPayment(payment);
  }

  async function refund(input: RefundInput): Promise<RefundOutcome> {
    if (!input.idempotencyKey) throw new GatewayRequestError('mercadopago', 'Falta la llave de idempotencia del reembolso.');
    if (input.amountCents !== undefined && (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0)) {
      throw new GatewayRefundError('mercadopago', 'El monto a reembolsar no es válido o excede lo pagado.');
    }
    const { clients, requestOptions } = sdk(input.idempotencyKey);
    const body = input.amountCents !== undefined ? { amount: centsToMercadoPagoAmount(input.amountCents) } : undefined;
    let refundBody: unknown;
    try {
      refundBody = await run(() =>
        clients.refund.create({ payment_id: input.gatewayId, ...(body ? { body } : {}), requestOptions }),
      );
    } catch (error) {
      const status = errorStatus(error);
      if (status === 400 || status === 422) {
        // Already fully refunded (e.g. an earlier attempt whose answer we lost)?
        const current = await getPayment(input.gatewayId);
        if (current && current['status'] === 'refunded' && input.amountCents === undefined) {
          return { status: 'refunded', amountRefundedCents: amountCents(current['transaction_amount_refunded']), raw: stripApiResponse(current) };
        }
        throw new GatewayRefundError('mercadopago', 'El procesador de pagos rechazó el reembolso.', { upstreamStatus: status, code: causeCode(error) });
      }
      throw readFailure(error);
    }
    // The refund's answer does not say whether the payment is now fully refunded: ask.
    const after = await getPayment(input.gatewayId);
    if (!after) throw new GatewayNotFoundError('mercadopago');
    const refundedCents = amountCents(after['transaction_amount_refunded']);
    return {
      status: after['status'] === 'refunded' ? 'refunded' : 'partially_refunded',
      amountRefundedCents: refundedCents,
      raw: { refund: stripApiResponse(refundBody), payment: stripApiResponse(after) },
    };
  }

  /** A webhook names the payment; our transaction id comes from its external_reference. */
  async function fetchById(gatewayId: string): Promise<LookupOutcome> {
    const payment = await getPayment(gatewayId);
    return payment ? mapMercadoPagoPayment(payment) : { status: 'not_found' };
  }

  return { name: 'mercadopago', charge, chargeCash, lookup, refund, fetchById };
}
