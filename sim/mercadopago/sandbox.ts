/**
 * A Mercado Pago Payments API v1 sandbox: payments create/get/search, refunds,
 * X-Idempotency-Key semantics, and webhooks signed like Mercado Pago's
 * (`x-signature: ts=…,v1=<HMAC-SHA256 hex>` over `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`).
 *
 * Outcome by `payer.first_name` (case-insensitive; default APRO):
 *   APRO approved/accredited      CONT in_process/pending_contingency
 *   OTHE rejected/cc_rejected_other_reason     CALL …call_for_authorize
 *   FUND …insufficient_amount     SECU …bad_filled_security_code
 *   EXPI …bad_filled_date         FORM …bad_filled_other
 * Faults: E429 → 429 (nothing created), E500 → 500 (nothing created),
 *   E500_AFTER_CREATE → approved payment created, then 500,
 *   SLOW → approved payment created, answer after `slowResponseMs`.
 * A repeat of the same X-Idempotency-Key (per access token) returns the first
 * 201 answer and creates nothing, also when the copies arrive concurrently.
 * Errors (4xx/5xx) are not remembered: a retry with the same key is processed.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { FaultInjector, jsonObjectBody, parseJson, payAtStore, postWebhook, startSimServer, type RecordedRequest, type SimRequest, type SimResult } from '../conekta/kit';

export type MercadoPagoPayment = Record<string, unknown> & {
  id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  transaction_amount_refunded: number;
  external_reference: string | null;
  date_created: string;
  date_last_updated: string;
  date_approved: string | null;
  refunds: Array<Record<string, unknown>>;
  notification_url?: string | null;
};

export interface MercadoPagoSandboxOptions {
  port?: number;
  host?: string;
  /** Accepted access tokens; default any starting with `TEST-` or `APP_USR-`. */
  accessTokens?: string[];
  /** How long SLOW waits before answering; default 30 s; Infinity: never. */
  slowResponseMs?: number;
  /** The collector (user) id in payments and webhooks. */
  userId?: number;
}

/** Cash at stores: no card token; a ticket the customer pays before `date_of_expiration`. */
const CASH_METHODS = new Set(['oxxo', 'paycash', 'bancomer', 'banamex', 'clabe']);
/** SPEI: `payment_method_id: "clabe"`, a bank transfer (GATEWAYS.md). */
const TRANSFER_METHODS = new Set(['clabe']);
/** Options of the sandbox's SPEI answer. */
export interface MercadoPagoSpeiOptions {
  /** false: answer only the instructions page, no CLABE in the payment (where the real API's CLABE lives is unconfirmed). */
  clabeInPayment?: boolean;
}

const OUTCOMES: Record<string, { status: string; detail: string }> = {
  APRO: { status: 'approved', detail: 'accredited' },
  CONT: { status: 'in_process', detail: 'pending_contingency' },
  OTHE: { status: 'rejected', detail: 'cc_rejected_other_reason' },
  CALL: { status: 'rejected', detail: 'cc_rejected_call_for_authorize' },
  FUND: { status: 'rejected', detail: 'cc_rejected_insufficient_amount' },
  SECU: { status: 'rejected', detail: 'cc_rejected_bad_filled_security_code' },
  EXPI: { status: 'rejected', detail: 'cc_rejected_bad_filled_date' },
  FORM: { status: 'rejected', detail: 'cc_rejected_bad_filled_other' },
};

const DEFAULT_DETAIL: Record<string, string> = {
  approved: 'accredited',
  in_process: 'pending_contingency',
  pending: 'pending_waiting_payment',
  authorized: 'pending_capture',
  rejected: 'cc_rejected_other_reason',
  cancelled: 'expired',
  refunded: 'refunded',
  charged_back: 'settled',
  in_mediation: 'in_process',
};

/** Mercado Pago writes dates like 2024-05-01T12:00:00.000-04:00. */
function mpDate(ms = Date.now()): string {
  return new Date(ms - 4 * 3600_000).toISOString().replace('Z', '-04:00');
}

function cents(amount: number): number {
  return Math.round(amount * 100);
}

function amountFromCents(value: number): number {
  return Number((value / 100).toFixed(2));
}

function hasAtMostTwoDecimals(n: number): boolean {
  return /^\d+(\.\d{1,2})?$/.test(String(n));
}

/** The store reference of a ticket payment, if it is one. */
export function ticketReferenceOf(payment: MercadoPagoPayment): string | undefined {
  const details = payment['transaction_details'] as Record<string, unknown> | undefined;
  const kind = payment['payment_type_id'];
  return (kind === 'ticket' || kind === 'bank_transfer') && details && details['payment_method_reference_id'] ? String(details['payment_method_reference_id']) : undefined;
}

/** A CLABE with a valid check digit (weights 3,7,1), STP's bank code 646. */
function sandboxClabe(): string {
  const body = '646180' + String(randomBytes(8).readBigUInt64BE() % 100_000_000_000n).padStart(11, '0');
  const weights = [3, 7, 1];
  const sum = [...body].reduce((acc, d, i) => acc + ((Number(d) * weights[i % 3]!) % 10), 0);
  return body + String((10 - (sum % 10)) % 10);
}

export class MercadoPagoSandboxState {
  readonly payments = new Map<number, MercadoPagoPayment>();
  readonly requests: RecordedRequest[] = [];
  /** payment id → access token that created it. */
  readonly owners = new Map<number, string>();
  /** `${token}|${scope}|${key}` → the first answer. */
  readonly idempotency = new Map<string, Promise<SimResult>>();
  readonly sentNotifications: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];

  /** Payments created with `external_reference` = our transaction id (any status). */
  paymentsFor(transaccionId: string): MercadoPagoPayment[] {
    return [...this.payments.values()].filter((p) => p.external_reference === transaccionId);
  }

  chargeCount(transaccionId: string): number {
    return this.paymentsFor(transaccionId).length;
  }

  paidCount(transaccionId: string): number {
    return this.paymentsFor(transaccionId).filter((p) => ['approved', 'refunded', 'charged_back', 'in_mediation'].includes(p.status)).length;
  }

  payment(id: number | string): MercadoPagoPayment | undefined {
    return this.payments.get(Number(id));
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  reset(): void {
    this.payments.clear();
    this.owners.clear();
    this.idempotency.clear();
    this.requests.length = 0;
    this.sentNotifications.length = 0;
  }
}

export interface SendMercadoPagoWebhookOptions {
  action?: 'payment.created' | 'payment.updated';
  /** Override the signed timestamp (seconds), e.g. to send a stale one. */
  ts?: number;
  requestId?: string;
  /** Replace the whole x-signature header (forgeries). */
  xSignature?: string;
  /** Send without x-signature. */
  unsigned?: boolean;
  timeoutMs?: number;
}

export interface MercadoPagoSandbox {
  url: string;
  port: number;
  state: MercadoPagoSandboxState;
  faults: FaultInjector;
  close(): Promise<void>;
  /** Changes a payment as Mercado Pago would later (in_process → approved, approved → charged_back, …). */
  setPaymentStatus(id: number | string, status: string, statusDetail?: string): MercadoPagoPayment;
  /** POSTs `<notificationUrl>?data.id=<id>&type=payment`, signed with `secret`. */
  sendWebhook(
    notificationUrl: string,
    paymentId: number | string,
    secret: string,
    options?: SendMercadoPagoWebhookOptions,
  ): Promise<{ status: number; body: string; url: string; headers: Record<string, string>; notification: Record<string, unknown> }>;
  /** The customer pays an OXXO/Paycash ticket (by reference or payment id); send the webhook yourself or use POST /sandbox/cash/pay. */
  payCash(referenceOrId: string | number): MercadoPagoPayment;
  /** How SPEI (`clabe`) payments are answered; mutable by tests. */
  readonly spei: MercadoPagoSpeiOptions;
  /** The x-signature header Mercado Pago would send (for tests of the verifier). */
  sign(dataId: string, requestId: string, ts: number, secret: string): string;
}

export async function startMercadoPagoSandbox(options: MercadoPagoSandboxOptions = {}): Promise<MercadoPagoSandbox> {
  const state = new MercadoPagoSandboxState();
  const faults = new FaultInjector();
  const slowResponseMs = options.slowResponseMs ?? 30_000;
  const userId = options.userId ?? 1_234_567_890;
  let nextPaymentId = 1_310_000_000 + Math.floor(Math.random() * 1_000_000);
  let nextRefundId = 2_100_000_000;
  const speiOptions: MercadoPagoSpeiOptions = {};

  const mpError = (status: number, error: string, message: string, cause: Array<{ code: string | number; description: string }> = []): SimResult => ({
    status,
    body: { message, error, status, cause },
  });
  const notFound = () => mpError(404, 'not_found', 'Payment not found', [{ code: 2000, description: 'Payment not found' }]);

  function authenticate(req: SimRequest): string | undefined {
    const header = String(req.headers['authorization'] ?? '');
    if (!/^bearer /i.test(header)) return undefined;
    const token = header.slice(7).trim();
    if (options.accessTokens ? !options.accessTokens.includes(token) : !/^(TEST|APP_USR)-/.test(token)) return undefined;
    return token;
  }

  function owned(id: string, token: string): MercadoPagoPayment | undefined {
    if (!/^\d+$/.test(id)) return undefined;
    const payment = state.payments.get(Number(id));
    return payment && state.owners.get(payment.id) === token ? payment : undefined;
  }

  /** Runs `work` once per (token, scope, key); concurrent and later copies get the first 2xx answer. */
  async function idempotent(req: SimRequest, token: string, scope: string, work: () => Promise<SimResult>): Promise<SimResult> {
    const key = req.headers['x-idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '') {
      return mpError(400, 'bad_request', 'X-Idempotency-Key header is required', [
        { code: 'idempotency_key_required', description: 'Header X-Idempotency-Key is required' },
      ]);
    }
    const mapKey = `${token}|${scope}|${key}`;
    const existing = state.idempotency.get(mapKey);
    if (existing) {
      const first = await existing;
      return { status: first.status, body: first.body, headers: { ...first.headers, 'X-Idempotency-Replayed': 'true' } };
    }
    const running = work().catch((error: unknown): SimResult => mpError(500, 'internal_server_error', String(error)));
    state.idempotency.set(mapKey, running);
    const result = await running;
    if (result.status >= 300) state.idempotency.delete(mapKey);
    return result;
  }

  function validatePayment(body: unknown): SimResult | undefined {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return mpError(400, 'bad_request', 'Invalid request body', [{ code: 'invalid_body', description: 'Invalid request body' }]);
    }
    const b = body as Record<string, unknown>;
    const amount = b['transaction_amount'];
    if (typeof amount !== 'number' || !(amount > 0) || !hasAtMostTwoDecimals(amount)) {
      return mpError(400, 'bad_request', 'Invalid transaction_amount', [{ code: 4037, description: 'Invalid transaction_amount' }]);
    }
    const cash = CASH_METHODS.has(String(b['payment_method_id']));
    if (cash) {
      const expires = Date.parse(String(b['date_of_expiration'] ?? ''));
      if (b['date_of_expiration'] !== undefined && (Number.isNaN(expires) || expires <= Date.now())) {
        return mpError(400, 'bad_request', 'Invalid date_of_expiration', [{ code: 4051, description: 'date_of_expiration must be a future ISO 8601 date' }]);
      }
      if (!TRANSFER_METHODS.has(String(b['payment_method_id'])) && (amount < 10 || amount > 10_000)) {
        return mpError(400, 'bad_request', 'Invalid transaction_amount for ticket', [{ code: 4037, description: 'OXXO/Paycash amounts must be between 10 and 10000 MXN' }]);
      }
    } else if (typeof b['token'] !== 'string' || b['token'] === '') {
      return mpError(400, 'bad_request', 'Invalid card_token_id', [{ code: 3003, description: 'Invalid card_token_id' }]);
    }
    if (typeof b['payment_method_id'] !== 'string' || b['payment_method_id'] === '') {
      return mpError(400, 'bad_request', 'payment_method_id attribute can\'t be null', [{ code: 4004, description: 'payment_method_id attribute can\'t be null' }]);
    }
    const installments = b['installments'];
    if (installments !== undefined && (!Number.isInteger(installments) || (installments as number) < 1)) {
      return mpError(400, 'bad_request', 'Invalid installments', [{ code: 4033, description: 'Invalid installments' }]);
    }
    const payer = b['payer'] as Record<string, unknown> | undefined;
    if (!payer || typeof payer['email'] !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(payer['email'])) {
      return mpError(400, 'bad_request', 'payer.email must be a valid email', [{ code: 4050, description: 'payer.email must be a valid email' }]);
    }
    const url = b['notification_url'];
    if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url))) {
      return mpError(400, 'bad_request', 'notification_url attribute must be url valid', [{ code: 4020, description: 'notification_url attribute must be url valid' }]);
    }
    const descriptor = b['statement_descriptor'];
    if (descriptor !== undefined && (typeof descriptor !== 'string' || descriptor.length > 22)) {
      return mpError(400, 'bad_request', 'Invalid statement_descriptor', [{ code: 4041, description: 'statement_descriptor too long' }]);
    }
    return undefined;
  }

  function createPayment(token: string, b: Record<string, unknown>, outcome: { status: string; detail: string }, req: SimRequest): MercadoPagoPayment {
    const now = Date.now();
    const payer = (b['payer'] ?? {}) as Record<string, unknown>;
    const amount = b['transaction_amount'] as number;
    const approved = outcome.status === 'approved';
    const installments = (b['installments'] as number | undefined) ?? 1;
    const payment: MercadoPagoPayment = {
      id: nextPaymentId++,
      date_created: mpDate(now),
      date_approved: approved ? mpDate(now) : null,
      date_last_updated: mpDate(now),
      date_of_expiration: null,
      money_release_date: approved ? mpDate(now + 14 * 86_400_000) : null,
      operation_type: 'regular_payment',
      issuer_id: b['issuer_id'] !== undefined ? String(b['issuer_id']) : '160',
      payment_method_id: b['payment_method_id'],
      payment_type_id: b['payment_method_id'] === 'debvisa' || b['payment_method_id'] === 'debmaster' ? 'debit_card' : 'credit_card',
      status: outcome.status,
      status_detail: outcome.detail,
      currency_id: 'MXN',
      description: b['description'] ?? null,
      live_mode: false,
      sponsor_id: null,
      authorization_code: approved ? String(100000 + (nextPaymentId % 900000)) : null,
      collector_id: userId,
      payer: {
        id: String(2_000_000 + (nextPaymentId % 1_000_000)),
        email: payer['email'],
        identification: payer['identification'] ?? { type: null, number: null },
        type: null,
        first_name: null,
        last_name: null,
      },
      metadata: (b['metadata'] as Record<string, unknown> | undefined) ?? {},
      additional_info: b['additional_info'] ?? {},
      external_reference: typeof b['external_reference'] === 'string' ? b['external_reference'] : null,
      transaction_amount: amount,
      transaction_amount_refunded: 0,
      coupon_amount: 0,
      installments,
      transaction_details: {
        net_received_amount: approved ? amountFromCents(cents(amount) - Math.round(cents(amount) * 0.0349)) : 0,
        total_paid_amount: amount,
        installment_amount: amountFromCents(Math.round(cents(amount) / installments)),
        overpaid_amount: 0,
      },
      captured: true,
      binary_mode: b['binary_mode'] === true,
      statement_descriptor: b['statement_descriptor'] ?? null,
      notification_url: (b['notification_url'] as string | undefined) ?? null,
      card: {
        first_six_digits: b['payment_method_id'] === 'master' ? '503175' : '450995',
        last_four_digits: b['payment_method_id'] === 'master' ? '0604' : '3704',
        expiration_month: 11,
        expiration_year: 2030,
        cardholder: { name: String(payer['first_name'] ?? 'APRO'), identification: { type: null, number: null } },
      },
      refunds: [],
      processing_mode: 'aggregator',
      device_id: req.headers['x-meli-session-id'] ?? null,
    };
    state.payments.set(payment.id, payment);
    state.owners.set(payment.id, token);
    return payment;
  }

  /** A pending ticket payment with its store reference (see GATEWAYS.md, cash). */
  function createTicket(token: string, b: Record<string, unknown>): MercadoPagoPayment {
    const now = Date.now();
    const payer = (b['payer'] ?? {}) as Record<string, unknown>;
    const amount = b['transaction_amount'] as number;
    const expires = b['date_of_expiration'] !== undefined ? Date.parse(String(b['date_of_expiration'])) : now + 3 * 86_400_000;
    const id = nextPaymentId++;
    const transfer = TRANSFER_METHODS.has(String(b['payment_method_id']));
    let reference = '';
    do reference = transfer ? sandboxClabe() : String(randomBytes(8).readBigUInt64BE() % 10_000_000_000_000n).padStart(13, '0');
    while ([...state.payments.values()].some((p) => ticketReferenceOf(p) === reference));
    const payment: MercadoPagoPayment = {
      id, date_created: mpDate(now), date_approved: null, date_last_updated: mpDate(now), date_of_expiration: mpDate(expires),
      money_release_date: null, operation_type: 'regular_payment', issuer_id: null, payment_method_id: b['payment_method_id'],
      payment_type_id: transfer ? 'bank_transfer' : 'ticket', status: 'pending',
      status_detail: transfer ? 'pending_waiting_transfer' : 'pending_waiting_payment', currency_id: 'MXN',
      description: b['description'] ?? null, live_mode: false, collector_id: userId,
      payer: { id: String(2_000_000 + (id % 1_000_000)), email: payer['email'], identification: { type: null, number: null }, type: null, first_name: null, last_name: null },
      metadata: (b['metadata'] as Record<string, unknown> | undefined) ?? {}, additional_info: b['additional_info'] ?? {},
      external_reference: typeof b['external_reference'] === 'string' ? b['external_reference'] : null,
      transaction_amount: amount, transaction_amount_refunded: 0, coupon_amount: 0, installments: 1,
      transaction_details: {
        net_received_amount: 0, total_paid_amount: amount, installment_amount: 0, overpaid_amount: 0,
        payment_method_reference_id: transfer && speiOptions.clabeInPayment === false ? null : reference,
        verification_code: transfer ? null : reference,
        external_resource_url: `${server.url}/sandbox/tickets/${id}`,
        ...(transfer ? { financial_institution: 'STP', bank_transfer_id: null } : {}),
      },
      ...(transfer ? {} : { barcode: { content: reference } }),
      point_of_interaction: { type: 'UNSPECIFIED', transaction_data: { ticket_url: `${server.url}/sandbox/tickets/${id}` } },
      captured: true, binary_mode: false, statement_descriptor: null,
      notification_url: (b['notification_url'] as string | undefined) ?? null, refunds: [], processing_mode: 'aggregator',
    };
    state.payments.set(payment.id, payment);
    state.owners.set(payment.id, token);
    return payment;
  }

  /** An unpaid ticket is cancelled (expired) after its date_of_expiration; checked whenever the sandbox is asked. */
  function expireDueTickets(): void {
    const now = Date.now();
    for (const p of state.payments.values()) {
      if (p.status === 'pending' && (p['payment_type_id'] === 'ticket' || p['payment_type_id'] === 'bank_transfer') && Date.parse(String(p['date_of_expiration'])) <= now) {
        p.status = 'cancelled';
        p.status_detail = 'expired';
        p.date_last_updated = mpDate(now);
      }
    }
  }

  /** The customer pays a ticket at the store (by reference or payment id): approved/accredited. */
  function payCash(referenceOrId: string | number): MercadoPagoPayment {
    expireDueTickets();
    const payment = [...state.payments.values()].find((p) => ticketReferenceOf(p) === String(referenceOrId) || String(p.id) === String(referenceOrId));
    if (!payment || (payment['payment_type_id'] !== 'ticket' && payment['payment_type_id'] !== 'bank_transfer')) throw new Error(`no ticket ${referenceOrId}`);
    if (payment.status !== 'pending') throw new Error(`ticket ${referenceOrId} is ${payment.status}`);
    const now = Date.now();
    payment.status = 'approved';
    payment.status_detail = 'accredited';
    payment.date_approved = mpDate(now);
    payment.date_last_updated = mpDate(now);
    return payment;
  }

  async function sandboxAdmin(req: SimRequest): Promise<SimResult> {
    const body = jsonObjectBody(req.rawBody);
    // A SPEI transfer arrives: the same as paying a ticket, by CLABE (or payment id).
    if (req.method === 'POST' && (req.path === '/sandbox/cash/pay' || req.path === '/sandbox/spei/pay')) {
      if (req.path === '/sandbox/spei/pay' && body['clabe'] !== undefined) body['reference'] = body['clabe'];
      return payAtStore(String(body['reference'] ?? ''), {
        pay: payCash,
        notify: async (payment) => {
          const url = typeof body['notification_url'] === 'string' ? body['notification_url'] : payment.notification_url;
          const secret = body['webhook_secret'];
          return url && typeof secret === 'string' ? sendWebhookImpl(url, payment.id, secret, {}) : undefined;
        },
        answer: (payment) => ({ payment_id: payment.id, status: payment.status }),
      });
    }
    const m = /^\/sandbox\/tickets\/(\d+)$/.exec(req.path);
    if (m && req.method === 'GET') {
      const p = state.payments.get(Number(m[1]));
      if (!p) return notFound();
      return { status: 200, body: { ticket: p.id, reference: ticketReferenceOf(p), amount: p.transaction_amount, status: p.status, expires: p['date_of_expiration'] } };
    }
    return mpError(404, 'not_found', 'resource not found', [{ code: 'not_found', description: `${req.method} ${req.path} not found` }]);
  }

  async function createPaymentRoute(req: SimRequest, token: string): Promise<SimResult> {
    const parsed = parseJson(req.rawBody);
    if (!parsed.ok) return mpError(400, 'bad_request', 'Invalid JSON body', [{ code: 'invalid_json', description: 'Invalid JSON body' }]);
    return idempotent(req, token, 'payment', async () => {
      const invalid = validatePayment(parsed.value);
      if (invalid) return invalid;
      const b = parsed.value as Record<string, unknown>;
      const payer = (b['payer'] ?? {}) as Record<string, unknown>;
      const trigger = String(payer['first_name'] ?? '').trim().toUpperCase() || 'APRO';
      if (trigger === 'E429') {
        return { ...mpError(429, 'too_many_requests', 'Too many requests'), headers: { 'Retry-After': '1' } };
      }
      if (trigger === 'E500') return mpError(500, 'internal_server_error', 'Internal server error');
      if (CASH_METHODS.has(String(b['payment_method_id']))) return { status: 201, body: createTicket(token, b) };
      let outcome = OUTCOMES[trigger] ?? OUTCOMES['APRO']!;
      if (b['binary_mode'] === true && outcome.status === 'in_process') outcome = { status: 'rejected', detail: 'cc_rejected_other_reason' };
      const payment = createPayment(token, b, outcome, req);
      if (trigger === 'E500_AFTER_CREATE') return mpError(500, 'internal_server_error', 'Internal server error');
      return { status: 201, body: payment, delayMs: trigger === 'SLOW' ? slowResponseMs : undefined };
    });
  }

  async function refundRoute(req: SimRequest, token: string, id: string): Promise<SimResult> {
    const parsed = parseJson(req.rawBody);
    if (!parsed.ok) return mpError(400, 'bad_request', 'Invalid JSON body', [{ code: 'invalid_json', description: 'Invalid JSON body' }]);
    return idempotent(req, token, `refund:${id}`, async () => {
      const payment = owned(id, token);
      if (!payment) return notFound();
      if (payment.status !== 'approved') {
        return mpError(400, 'bad_request', 'Payment not refundable in its current status', [
          { code: 2063, description: 'The action requested is not valid for the current payment state' },
        ]);
      }
      const body = (parsed.value ?? {}) as Record<string, unknown>;
      const remaining = cents(payment.transaction_amount) - cents(payment.transaction_amount_refunded);
      let refundCents = remaining;
      if (body['amount'] !== undefined) {
        const amount = body['amount'];
        if (typeof amount !== 'number' || !(amount > 0) || !hasAtMostTwoDecimals(amount)) {
          return mpError(400, 'bad_request', 'Invalid refund amount', [{ code: 4037, description: 'Invalid refund amount' }]);
        }
        refundCents = cents(amount);
        if (refundCents > remaining) {
          return mpError(400, 'bad_request', 'Refund amount exceeds the available amount', [
            { code: 4055, description: 'The refund amount exceeds the available amount' },
          ]);
        }
      }
      const now = Date.now();
      const refund = {
        id: nextRefundId++,
        payment_id: payment.id,
        amount: amountFromCents(refundCents),
        metadata: {},
        source: { id: String(userId), name: 'collector', type: 'collector' },
        date_created: mpDate(now),
        unique_sequence_number: null,
        refund_mode: 'standard',
        adjustment_amount: 0,
        status: 'approved',
        reason: null,
        labels: [],
        amount_refunded_to_payer: amountFromCents(refundCents),
        partition_details: [],
      };
      payment.refunds.push(refund);
      const refundedCents = cents(payment.transaction_amount_refunded) + refundCents;
      payment.transaction_amount_refunded = amountFromCents(refundedCents);
      payment.date_last_updated = mpDate(now);
      if (refundedCents === cents(payment.transaction_amount)) {
        payment.status = 'refunded';
        payment.status_detail = 'refunded';
      } else {
        payment.status_detail = 'partially_refunded';
      }
      return { status: 201, body: refund };
    });
  }

  function search(req: SimRequest, token: string): SimResult {
    const q = req.query;
    const limit = Math.min(1000, Math.max(1, Number(q.get('limit') ?? 30) || 30));
    const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
    let results = [...state.payments.values()].filter((p) => state.owners.get(p.id) === token);
    const ref = q.get('external_reference');
    if (ref !== null) results = results.filter((p) => p.external_reference === ref);
    const status = q.get('status');
    if (status) results = results.filter((p) => p.status === status);
    const criteria = q.get('criteria') === 'desc' ? -1 : 1;
    results.sort((a, b) => criteria * (a.id - b.id)); // ids grow with date_created
    return { status: 200, body: { paging: { total: results.length, limit, offset }, results: results.slice(offset, offset + limit) } };
  }

  async function handle(req: SimRequest): Promise<SimResult> {
    if (req.path.startsWith('/sandbox/')) return sandboxAdmin(req);
    expireDueTickets();
    const token = authenticate(req);
    if (!token) {
      return mpError(401, 'unauthorized', 'invalid access token', [{ code: 'unauthorized', description: 'invalid access token' }]);
    }
    const { method, path } = req;
    if (method === 'POST' && path === '/v1/payments') return createPaymentRoute(req, token);
    if (method === 'GET' && path === '/v1/payments/search') return search(req, token);
    let m = /^\/v1\/payments\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const payment = owned(m[1]!, token);
      return payment ? { status: 200, body: payment } : notFound();
    }
    m = /^\/v1\/payments\/([^/]+)\/refunds$/.exec(path);
    if (m && method === 'POST') return refundRoute(req, token, m[1]!);
    if (m && method === 'GET') {
      const payment = owned(m[1]!, token);
      return payment ? { status: 200, body: payment.refunds } : notFound();
    }
    return mpError(404, 'not_found', 'resource not found', [{ code: 'not_found', description: `${method} ${path} not found` }]);
  }

  const server = await startSimServer({
    port: options.port,
    host: options.host,
    faults,
    handle,
    record: (r) => state.requests.push(r),
  });

  const sign = (dataId: string, requestId: string, ts: number, secret: string) => {
    const manifest = `id:${dataId};request-id:${requestId};ts:${ts};`;
    return `ts=${ts},v1=${createHmac('sha256', secret).update(manifest).digest('hex')}`;
  };

  return {
    url: server.url,
    port: server.port,
    state,
    faults,
    close: () => server.close(),
    sign,
    setPaymentStatus(id, status, statusDetail) {
      const payment = state.payments.get(Number(id));
      if (!payment) throw new Error(`no payment ${id}`);
      const now = Date.now();
      payment.status = status;
      payment.status_detail = statusDetail ?? DEFAULT_DETAIL[status] ?? status;
      payment.date_last_updated = mpDate(now);
      if (status === 'approved' && !payment.date_approved) payment.date_approved = mpDate(now);
      if (status === 'refunded') payment.transaction_amount_refunded = payment.transaction_amount;
      return payment;
    },
    payCash,
    spei: speiOptions,
    sendWebhook: (notificationUrl, paymentId, secret, sendOptions = {}) => sendWebhookImpl(notificationUrl, paymentId, secret, sendOptions),
  };

  async function sendWebhookImpl(notificationUrl: string, paymentId: number | string, secret: string, sendOptions: SendMercadoPagoWebhookOptions) {
    const dataId = String(paymentId).toLowerCase();
    const requestId = sendOptions.requestId ?? randomUUID();
    const ts = sendOptions.ts ?? Math.floor(Date.now() / 1000);
    const url = `${notificationUrl}${notificationUrl.includes('?') ? '&' : '?'}data.id=${encodeURIComponent(dataId)}&type=payment`;
    const notification = {
      action: sendOptions.action ?? 'payment.updated',
      api_version: 'v1',
      data: { id: dataId },
      date_created: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      id: Number(BigInt('0x' + randomBytes(5).toString('hex'))),
      live_mode: false,
      type: 'payment',
      user_id: String(userId),
    };
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (!sendOptions.unsigned) headers['x-signature'] = sendOptions.xSignature ?? sign(dataId, requestId, ts, secret);
    state.sentNotifications.push({ url, headers, body: notification });
    const answer = await postWebhook(url, JSON.stringify(notification), headers, sendOptions.timeoutMs);
    return { ...answer, url, headers, notification };
  }
}
