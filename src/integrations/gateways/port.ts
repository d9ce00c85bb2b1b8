/**
 * The contract between the purchase service and a card gateway (Conekta,
 * Mercado Pago). Amounts are integer cents; texts meant for the customer are
 * Spanish; `raw` is for our audit log only and never reaches a browser.
 */

import type { Moneda } from '../../platform/money';

/**
 * A gateway's id as stored in `transacciones.gateway`: one of the registry's
 * providers (src/integrations/gateways/registry.ts), not a closed union, so a
 * new gateway is its folder and one registry line.
 */
export type GatewayName = string;
/** The currencies we sell in (declared once, in platform/money). */
export type Currency = Moneda;

export interface ChargeCustomer {
  name: string;
  email: string;
  /** Optional, as in the original; Conekta gets CONEKTA_PLACEHOLDER_PHONE when it is missing. */
  phone?: string;
}

/** Mercado Pago needs what its Card Payment Brick produced in the browser. */
export interface MercadoPagoChargeOptions {
  paymentMethodId: string;
  issuerId?: string;
  installments?: number;
  /** Sent as `X-meli-session-id` (Mercado Pago's device fingerprint). */
  deviceId?: string;
  payerIp?: string;
  notificationUrl?: string;
}

export interface ChargeInput {
  /** Our `TRX_…` id: Conekta `metadata.transaccion_id`, Mercado Pago `external_reference`. */
  transaccionId: string;
  /** Mercado Pago's `X-Idempotency-Key` (Conekta has none; see conekta.ts). */
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  description: string;
  cardToken: string;
  customer: ChargeCustomer;
  mercadoPago?: MercadoPagoChargeOptions;
}

/**
 * - `paid`: the gateway took the money.
 * - `declined`: final, nothing charged; `declineMessage` is safe to show.
 * - `pending`: the gateway accepted the payment but has not decided yet
 *   (Mercado Pago `in_process`/`pending`); ask again later with `lookup`.
 * - `unknown`: we do not know whether a charge exists (timeout, network error,
 *   5xx, 429, unreadable answer). Never charge again before `lookup` says
 *   `not_found` (or declined).
 */
export type ChargeStatus = 'paid' | 'declined' | 'pending' | 'unknown';

export interface ChargeOutcome {
  status: ChargeStatus;
  /** Conekta order id (`ord_…`) or Mercado Pago payment id (as a string). */
  gatewayId?: string;
  /** The gateway's own reason code (Conekta error code, Mercado Pago status_detail). */
  declineCode?: string;
  /** Spanish, safe for the customer. */
  declineMessage?: string;
  /** The gateway's status words, for the audit log. */
  gatewayStatus?: string;
  gatewayStatusDetail?: string;
  card?: { brand?: string; last4?: string };
  /** For our audit log only; never sent to a browser. Contains no credentials or card token. */
  raw?: unknown;
}

export type LookupStatus =
  | 'paid'
  | 'declined'
  | 'pending'
  | 'refunded'
  | 'charged_back'
  | 'expired'
  | 'not_found';

export interface LookupRef {
  transaccionId: string;
  /** The id stored from an earlier answer; without it the gateway is searched by our transaction id. */
  gatewayId?: string;
}

export interface LookupOutcome {
  status: LookupStatus;
  gatewayId?: string;
  /** Amount charged, in cents (compare it with the transaction's before acting). */
  amountCents?: number;
  /** Amount already refunded, in cents (a partial refund leaves `status: 'paid'`). */
  refundedCents?: number;
  currency?: string;
  /** Our transaction id as the gateway recorded it. */
  transaccionId?: string;
  gatewayStatus?: string;
  gatewayStatusDetail?: string;
  declineCode?: string;
  declineMessage?: string;
  /** For cash charges: the store reference as the gateway has it. */
  cash?: CashReference;
  raw?: unknown;
}

export interface RefundInput {
  gatewayId: string;
  /** Omit for a full refund (of whatever is not refunded yet). */
  amountCents?: number;
  /** Mercado Pago's `X-Idempotency-Key`: keep it stable across retries of one refund. */
  idempotencyKey: string;
  reason?: string;
}

export interface RefundOutcome {
  status: 'refunded' | 'partially_refunded';
  /** Total refunded on the charge after this refund, in cents. */
  amountRefundedCents?: number;
  raw?: unknown;
}

/**
 * A payment the customer completes later, away from us: cash at a convenience
 * store (issue 15: OXXO on both gateways, Paycash on Mercado Pago) or a SPEI
 * bank transfer to a CLABE issued for this payment (issue 24: Conekta `spei`,
 * Mercado Pago `clabe`).
 */
export type CashMethod = 'oxxo' | 'paycash' | 'spei';

export interface CashChargeInput {
  transaccionId: string;
  /** Mercado Pago's `X-Idempotency-Key`; Conekta has none (metadata carries our id). */
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  description: string;
  customer: { name: string; email: string; phone?: string };
  method: CashMethod;
  /** When the store reference stops being payable. */
  expiresAt: Date;
  notificationUrl?: string;
}

/** What the customer takes to the store. */
export interface CashReference {
  reference: string;
  /** Barcode image (Conekta) or the gateway's printable ticket page (Mercado Pago). */
  ticketUrl?: string;
  barcode?: string;
  expiresAt?: Date;
  /** SPEI: the 18-digit CLABE to transfer to, where the gateway gives it (else `ticketUrl` shows it). */
  clabe?: string;
  /** SPEI: the receiving bank (e.g. "STP"). */
  bank?: string;
}

export interface CashChargeOutcome {
  /** `pending`: the reference exists and waits for the customer; `unknown`: ask with `lookup`. */
  status: 'pending' | 'declined' | 'unknown';
  gatewayId?: string;
  cash?: CashReference;
  declineCode?: string;
  declineMessage?: string;
  gatewayStatus?: string;
  gatewayStatusDetail?: string;
  raw?: unknown;
}

export interface PaymentGateway {
  /**
   * Issues a cash reference (no money moves yet). Resolves for every answer;
   * rejects only with a `GatewayError` when the gateway certainly created nothing.
   */
  chargeCash(input: CashChargeInput): Promise<CashChargeOutcome>;
  readonly name: GatewayName;
  /**
   * Charges a card once. Resolves for every answer the gateway could have
   * given (paid, declined, pending, unknown). It rejects only with a
   * `GatewayError` when the gateway certainly did not charge (our credentials
   * were refused, our request was malformed, the currency is not supported).
   */
  charge(input: ChargeInput): Promise<ChargeOutcome>;
  /**
   * Asks the gateway what became of a charge. Rejects with
   * `GatewayUnavailableError` when the gateway cannot answer now (retry later).
   */
  lookup(ref: LookupRef): Promise<LookupOutcome>;
  /** Refunds a paid charge (fully when `amountCents` is omitted). */
  refund(input: RefundInput): Promise<RefundOutcome>;
  /** The charge as the gateway has it now, by the gateway's own id (webhooks). */
  fetchById(gatewayId: string): Promise<LookupOutcome>;
}

// ---- webhooks: each gateway verifies and parses its own deliveries

export type HeaderValue = string | string[] | undefined | null;

/** A webhook delivery as received (the raw body for signatures, the parsed body and query for the event). */
export interface WebhookDelivery {
  rawBody: string;
  body: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

export interface ParsedWebhook {
  /** The gateway's event id, our deduplication key, taken only from what the signature covers; null: nothing to record or act on. */
  eventId: string | null;
  /**
   * `valid`: checked and good. `invalid`: forged or stale (record it, answer 401, change nothing).
   * `unconfigured`: the company configured no webhook key, so nothing can be verified (refused).
   */
  signature: { status: 'valid' } | { status: 'invalid'; reason: string } | { status: 'unconfigured' };
  /** The charge to fetch again from the gateway (never act on the body); null when the event is not one we act on. */
  gatewayId: string | null;
}

export interface WebhookParseOptions {
  /** Allowed clock drift for signed timestamps, seconds. */
  toleranceSeconds: number;
  now?: number | (() => number);
}

/** One gateway's webhook handling: verification and parsing, no I/O. */
export interface WebhookParser {
  readonly name: GatewayName;
  /** Spanish: why a delivery for a company without a webhook key is refused, and what its admin must configure. */
  readonly unconfiguredMessage: string;
  /**
   * `verificationKey`: the company's webhook secret (Mercado Pago) or webhook public
   * key in PEM (Conekta); null when none is configured.
   */
  parseWebhook(delivery: WebhookDelivery, verificationKey: string | null, options: WebhookParseOptions): ParsedWebhook;
}
