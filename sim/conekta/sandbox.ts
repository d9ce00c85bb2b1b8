/**
 * A Conekta API v2.x sandbox (orders with card charges, refunds, webhook keys,
 * signed webhooks) that speaks the shapes in GATEWAYS.md, for the demo and tests.
 *
 * Test tokens (`tok_test_<kind>`, optionally `tok_test_<kind>_<anything>`):
 *   visa_4242, mastercard_4444      paid
 *   card_declined                   402 conekta.errors.processing.bank.declined (data: the declined order)
 *   insufficient_funds              402 …processing.bank.insufficient_funds
 *   suspicious                      402 …processing.charge.card_payment.suspicious_behaviour
 *   declined_3ds                    402 …processing.charge.card_payment.declined_by_3ds
 *   expired_card                    422 conekta.errors.parameter_validation.expiration_date.expired (no order)
 *   timeout                         order created and paid, answer after `slowResponseMs` (Infinity: never)
 *   500                             500 api_error, no order
 *   500_after_create                order created and paid, then 500 api_error
 * Any other token: 422 …payment_method.token_id.nonexistent_token.
 * Single use: by default a token with a suffix (`tok_test_visa_4242_abc`) can be
 * used once (a second use is 402 conekta.errors.processing.tokenization.used);
 * the bare tokens are reusable, like Conekta's own test tokens.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { FaultInjector, jsonObjectBody, parseJson, payAtStore, postWebhook, startSimServer, type RecordedRequest, type SimRequest, type SimResult } from './kit';

export type ConektaOrder = Record<string, unknown> & {
  id: string;
  object: 'order';
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_status: string;
  metadata: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  charges: { object: 'list'; has_more: boolean; total: number; data: Array<Record<string, unknown>> };
};

export interface ConektaEvent {
  id: string;
  object: 'event';
  type: string;
  livemode: boolean;
  created_at: number;
  webhook_status: string;
  webhook_logs: unknown[];
  data: { object: unknown; previous_attributes: Record<string, unknown> };
}

export interface ConektaWebhookKey {
  id: string;
  object: 'webhook_key';
  active: boolean;
  livemode: boolean;
  created_at: number;
  public_key: string;
  /** Sandbox only: the private half, used to sign deliveries. */
  privateKeyPem: string;
  /** The API key that created it. */
  owner: string;
}

/** A webhook endpoint registered with `POST /webhooks` (Conekta delivers the account's events there). */
export interface ConektaWebhook {
  id: string;
  object: 'webhook';
  url: string;
  status: 'listening';
  livemode: boolean;
  synchronous: boolean;
  subscribed_events: string[];
  created_at: number;
  /** The API key that created it. */
  owner: string;
}

export interface ConektaSandboxOptions {
  port?: number;
  host?: string;
  /** Accepted private keys; default: any key starting with `key_`. */
  privateKeys?: string[];
  /** How long `tok_test_timeout` waits before answering; default 30 s; Infinity: never. */
  slowResponseMs?: number;
  /** Which tokens are single-use: 'suffixed' (default), 'all' or 'none'. */
  singleUseTokens?: 'suffixed' | 'all' | 'none';
}

type TokenKind =
  | { outcome: 'paid'; brand: string; last4: string; slow?: boolean; errorAfter?: boolean }
  | { outcome: 'declined'; brand: string; last4: string; code: string; failureCode: string; es: string; en: string }
  | { outcome: 'invalid'; code: string; param: string; es: string; en: string }
  | { outcome: 'error' };

const TOKEN_KINDS: Record<string, TokenKind> = {
  visa_4242: { outcome: 'paid', brand: 'visa', last4: '4242' },
  mastercard_4444: { outcome: 'paid', brand: 'mastercard', last4: '4444' },
  card_declined: {
    outcome: 'declined', brand: 'visa', last4: '0002', code: 'conekta.errors.processing.bank.declined', failureCode: 'card_declined',
    es: 'La tarjeta ingresada ha sido declinada. Por favor intenta con otro método de pago.',
    en: 'The card was declined. Please try another payment method.',
  },
  insufficient_funds: {
    outcome: 'declined', brand: 'visa', last4: '9995', code: 'conekta.errors.processing.bank.insufficient_funds', failureCode: 'insufficient_funds',
    es: 'Esta tarjeta no tiene suficientes fondos para completar la compra.',
    en: 'This card has insufficient funds to complete the purchase.',
  },
  suspicious: {
    outcome: 'declined', brand: 'visa', last4: '0119', code: 'conekta.errors.processing.charge.card_payment.suspicious_behaviour', failureCode: 'suspected_fraud',
    es: 'Este cargo ha sido rechazado por comportamiento sospechoso.',
    en: 'This charge has been declined due to suspicious behaviour.',
  },
  declined_3ds: {
    outcome: 'declined', brand: 'visa', last4: '3220', code: 'conekta.errors.processing.charge.card_payment.declined_by_3ds', failureCode: 'declined_by_3ds',
    es: 'El cargo fue rechazado por la autenticación 3D Secure.',
    en: 'The charge was declined by 3D Secure authentication.',
  },
  expired_card: {
    outcome: 'invalid', code: 'conekta.errors.parameter_validation.expiration_date.expired', param: 'payment_method.expiration_date',
    es: 'La tarjeta ha expirado.', en: 'The card has expired.',
  },
  timeout: { outcome: 'paid', brand: 'visa', last4: '4242', slow: true },
  '500': { outcome: 'error' },
  '500_after_create': { outcome: 'paid', brand: 'visa', last4: '4242', errorAfter: true },
};

/** Cash at OXXO: `oxxo_cash` (v2.1), also named `cash` from v2.2. */
const CASH_TYPES = new Set(['oxxo_cash', 'cash', 'spei']);

const ACCEPT = /application\/vnd\.conekta-v(2\.[0-3]\.0)\+json/;
const CURRENCIES = new Set(['MXN', 'USD']);
const ORDER_STATUSES = new Set([
  'paid', 'pending_payment', 'declined', 'expired', 'canceled', 'refunded', 'partially_refunded', 'charged_back', 'pre_authorized', 'voided',
]);

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const base62 = (length: number) => {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
};
const nowSeconds = () => Math.floor(Date.now() / 1000);

function resolveToken(token: string): TokenKind | undefined {
  if (!token.startsWith('tok_test_')) return undefined;
  const rest = token.slice('tok_test_'.length);
  let best: string | undefined;
  for (const kind of Object.keys(TOKEN_KINDS)) {
    if ((rest === kind || rest.startsWith(`${kind}_`)) && (!best || kind.length > best.length)) best = kind;
  }
  return best ? TOKEN_KINDS[best] : undefined;
}

/** The OXXO reference of a cash order, or the CLABE of a SPEI order, if it is one. */
export function cashReferenceOf(order: ConektaOrder): string | undefined {
  const pm = order.charges.data[0]?.['payment_method'] as Record<string, unknown> | undefined;
  if (pm && pm['object'] === 'bank_transfer_payment') return String(pm['clabe']);
  return pm && pm['object'] === 'cash_payment' ? String(pm['reference']) : undefined;
}

/** A CLABE with a valid check digit (weights 3,7,1 over the first 17 digits), STP's bank code 646. */
export function sandboxClabe(): string {
  const body = '646180' + String(randomBytes(8).readBigUInt64BE() % 100_000_000_000n).padStart(11, '0');
  const weights = [3, 7, 1];
  const sum = [...body].reduce((acc, d, i) => acc + ((Number(d) * weights[i % 3]!) % 10), 0);
  return body + String((10 - (sum % 10)) % 10);
}

export class ConektaSandboxState {
  /** Every order, in creation order. */
  readonly orders = new Map<string, ConektaOrder>();
  readonly requests: RecordedRequest[] = [];
  readonly usedTokens = new Set<string>();
  readonly webhookKeys: ConektaWebhookKey[] = [];
  readonly webhooks: ConektaWebhook[] = [];
  readonly sentEvents: ConektaEvent[] = [];
  /** order id → API key that created it. */
  readonly owners = new Map<string, string>();

  /** Orders created with `metadata.transaccion_id` = id (any status). */
  ordersFor(transaccionId: string): ConektaOrder[] {
    return [...this.orders.values()].filter((o) => o.metadata?.['transaccion_id'] === transaccionId);
  }

  /** Orders (charges) created for our transaction id, whatever their outcome. */
  chargeCount(transaccionId: string): number {
    return this.ordersFor(transaccionId).length;
  }

  /** Orders for our transaction id that took money (paid, refunded, charged back…). */
  paidCount(transaccionId: string): number {
    return this.ordersFor(transaccionId).filter((o) => ['paid', 'partially_refunded', 'refunded', 'charged_back'].includes(o.payment_status)).length;
  }

  order(id: string): ConektaOrder | undefined {
    return this.orders.get(id);
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  reset(): void {
    this.orders.clear();
    this.owners.clear();
    this.requests.length = 0;
    this.usedTokens.clear();
    this.sentEvents.length = 0;
  }
}

export interface SendConektaWebhookOptions {
  /** Sign with this webhook key id; default the newest; null: send without `digest`. */
  keyId?: string | null;
  /** Sign with a key Conekta does not have (a forged delivery). */
  forge?: boolean;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type ConektaEventInput = {
  type: string;
  id?: string;
  created_at?: number;
  livemode?: boolean;
  /** Use this order's current state as `data.object` (for `charge.*`, its first charge). */
  orderId?: string;
  data?: { object: unknown; previous_attributes?: Record<string, unknown> };
  previous_attributes?: Record<string, unknown>;
};

export interface ConektaSandbox {
  url: string;
  port: number;
  state: ConektaSandboxState;
  faults: FaultInjector;
  close(): Promise<void>;
  /** POSTs a signed event to `url`; returns the receiver's answer and what was sent. */
  sendWebhook(
    url: string,
    event: ConektaEventInput,
    options?: SendConektaWebhookOptions,
  ): Promise<{ status: number; body: string; event: ConektaEvent; rawBody: string; digest?: string }>;
  /** Same as `POST /webhook_keys` (owner: the API key, default 'sandbox'). */
  createWebhookKey(owner?: string): ConektaWebhookKey;
  /** Changes an order's payment_status (e.g. 'charged_back'), as Conekta would after the fact. */
  setOrderStatus(orderId: string, status: string): ConektaOrder;
  /** Builds an event for an order without sending it. */
  buildEvent(input: ConektaEventInput): ConektaEvent;
  /** The customer pays an OXXO reference at the store: the order becomes paid (send `order.paid` yourself, or use POST /sandbox/cash/pay with webhook_url). */
  payCash(reference: string): ConektaOrder;
  /** A fresh single-use token of a kind, e.g. token('visa_4242') → 'tok_test_visa_4242_9f…'. */
  token(kind: keyof typeof TOKEN_KINDS | string): string;
}

export async function startConektaSandbox(options: ConektaSandboxOptions = {}): Promise<ConektaSandbox> {
  const state = new ConektaSandboxState();
  const faults = new FaultInjector();
  const slowResponseMs = options.slowResponseMs ?? 30_000;
  const singleUse = options.singleUseTokens ?? 'suffixed';
  let sequence = 0;
  const seq = new Map<string, number>();
  let baseUrl = '';

  const lang = (req: SimRequest) => (String(req.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'es');

  function error(
    status: number,
    type: string,
    details: Array<{ code: string; es: string; en: string; debug?: string; param?: string | null }>,
    req: SimRequest,
    data?: unknown,
  ): SimResult {
    const l = lang(req);
    return {
      status,
      body: {
        object: 'error',
        type,
        log_id: hex(12),
        details: details.map((d) => ({
          debug_message: d.debug ?? d.en,
          message: l === 'en' ? d.en : d.es,
          param: d.param ?? null,
          code: d.code,
        })),
        ...(data !== undefined ? { data } : {}),
      },
    };
  }

  const notFound = (req: SimRequest, what = 'order') =>
    error(404, 'resource_not_found_error', [{
      code: 'conekta.errors.resource_not_found.entity',
      es: `El recurso (${what}) no fue encontrado.`,
      en: `The resource (${what}) was not found.`,
    }], req);

  const validation = (param: string, problem: 'missing' | 'invalid', es: string, en: string) =>
    ({ code: `conekta.errors.parameter_validation.${param}.${problem}`, es, en, param });

  function authenticate(req: SimRequest): string | undefined {
    const header = String(req.headers['authorization'] ?? '');
    let key: string | undefined;
    if (/^basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      key = decoded.split(':')[0];
    } else if (/^bearer /i.test(header)) {
      key = header.slice(7).trim();
    }
    if (!key) return undefined;
    if (options.privateKeys ? !options.privateKeys.includes(key) : !key.startsWith('key_')) return undefined;
    return key;
  }

  function ownedOrder(id: string, account: string): ConektaOrder | undefined {
    const order = state.orders.get(id);
    return order && state.owners.get(id) === account ? order : undefined;
  }

  function createOrder(account: string, body: Record<string, unknown>, kind: Extract<TokenKind, { brand: string }>, paid: boolean): ConektaOrder {
    const created = nowSeconds();
    const id = `ord_${base62(17)}`;
    const lineItems = (body['line_items'] as Array<Record<string, unknown>>).map((item) => ({
      id: `line_item_${base62(17)}`,
      object: 'line_item',
      name: item['name'],
      unit_price: item['unit_price'],
      quantity: item['quantity'],
      parent_id: id,
      metadata: {},
      antifraud_info: {},
    }));
    const amount = lineItems.reduce((sum, item) => sum + Number(item.unit_price) * Number(item.quantity), 0);
    const customer = body['customer_info'] as Record<string, unknown>;
    const declined = kind.outcome === 'declined' ? kind : undefined;
    const charge: Record<string, unknown> = {
      id: hex(12),
      object: 'charge',
      livemode: false,
      created_at: created,
      currency: body['currency'],
      amount,
      description: 'Payment from order',
      status: paid ? 'paid' : 'declined',
      paid_at: paid ? created : null,
      fee: paid ? Math.round(amount * 0.029) + 250 : 0,
      customer_id: '',
      order_id: id,
      failure_code: declined ? declined.failureCode : null,
      failure_message: declined ? declined.es : null,
      payment_method: {
        service_name: 'Conekta',
        object: 'card_payment',
        type: 'credit',
        name: customer['name'],
        exp_month: '12',
        exp_year: '30',
        auth_code: paid ? String(100000 + (sequence % 900000)) : null,
        last4: kind.last4,
        brand: kind.brand,
        issuer: 'BANAMEX',
        account_type: 'Credit',
        country: 'MX',
        fraud_indicators: [],
      },
      refunds: { object: 'list', has_more: false, total: 0, data: [] },
    };
    const order: ConektaOrder = {
      livemode: false,
      amount,
      amount_refunded: 0,
      currency: String(body['currency']),
      payment_status: paid ? 'paid' : 'declined',
      id,
      object: 'order',
      created_at: created,
      updated_at: created,
      is_refundable: paid,
      processing_mode: 'ecommerce',
      metadata: { ...((body['metadata'] as Record<string, unknown> | undefined) ?? {}) },
      customer_info: { email: customer['email'], phone: customer['phone'], name: customer['name'], corporate: false, object: 'customer_info' },
      line_items: { object: 'list', has_more: false, total: lineItems.length, data: lineItems },
      charges: { object: 'list', has_more: false, total: 1, data: [charge] },
    };
    state.orders.set(id, order);
    state.owners.set(id, account);
    seq.set(id, ++sequence);
    return order;
  }

  /** An OXXO order: pending_payment, with a 14-digit reference the customer pays at the store. */
  function createCashOrder(account: string, body: Record<string, unknown>, expiresAt: number): ConektaOrder {
    const created = nowSeconds();
    const id = `ord_${base62(17)}`;
    const items = body['line_items'] as Array<Record<string, unknown>>;
    const amount = items.reduce((sum, item) => sum + Number(item['unit_price']) * Number(item['quantity']), 0);
    const customer = body['customer_info'] as Record<string, unknown>;
    const spei = (body['charges'] as Array<Record<string, Record<string, unknown>>>)[0]!['payment_method']!['type'] === 'spei';
    let reference = '';
    do reference = spei ? sandboxClabe() : '9300' + String(randomBytes(8).readBigUInt64BE() % 10_000_000_000n).padStart(10, '0');
    while ([...state.orders.values()].some((o) => cashReferenceOf(o) === reference));
    const charge: Record<string, unknown> = {
      id: hex(12), object: 'charge', livemode: false, created_at: created, currency: body['currency'], amount,
      description: 'Payment from order', status: 'pending_payment', paid_at: null, fee: 0, customer_id: '', order_id: id,
      failure_code: null, failure_message: null,
      // SPEI: the SDKs' PaymentMethodBankTransfer (GATEWAYS.md).
      payment_method: spei
        ? {
          object: 'bank_transfer_payment', type: 'spei', clabe: reference, receiving_account_number: reference, bank: 'STP',
          receiving_account_bank: 'STP', reference_number: String(100000 + (sequence % 900000)), expires_at: expiresAt,
          issuing_account_holder_name: null, issuing_account_tax_id: null, issuing_account_bank: null, issuing_account_number: null,
          tracking_code: null, executed_at: null, payment_attempts: [],
        }
        : {
          service_name: 'OxxoPay', object: 'cash_payment', type: 'oxxo', expires_at: expiresAt, store_name: 'OXXO', reference,
          barcode_url: `${baseUrl}/sandbox/barcodes/${reference}.png`,
        },
      refunds: { object: 'list', has_more: false, total: 0, data: [] },
    };
    const order: ConektaOrder = {
      livemode: false, amount, amount_refunded: 0, currency: String(body['currency']), payment_status: 'pending_payment', id, object: 'order',
      created_at: created, updated_at: created, is_refundable: false, processing_mode: 'ecommerce',
      metadata: { ...((body['metadata'] as Record<string, unknown> | undefined) ?? {}) },
      customer_info: { email: customer['email'], phone: customer['phone'], name: customer['name'], corporate: false, object: 'customer_info' },
      line_items: { object: 'list', has_more: false, total: items.length, data: items.map((it) => ({ ...it, object: 'line_item', parent_id: id })) },
      charges: { object: 'list', has_more: false, total: 1, data: [charge] },
    };
    state.orders.set(id, order);
    state.owners.set(id, account);
    seq.set(id, ++sequence);
    return order;
  }

  /** Unpaid references end `expired` once their time is up (checked whenever the sandbox is asked). */
  function expireDueCashOrders(): void {
    const now = nowSeconds();
    for (const order of state.orders.values()) {
      const pm = order.charges.data[0]?.['payment_method'] as Record<string, unknown> | undefined;
      if (order.payment_status === 'pending_payment' && pm && (pm['object'] === 'cash_payment' || pm['object'] === 'bank_transfer_payment') && Number(pm['expires_at']) <= now) {
        order.payment_status = 'expired';
        order.updated_at = now;
        order.charges.data[0]!['status'] = 'expired';
      }
    }
  }

  /** The customer pays at the store: the order becomes paid (the caller sends `order.paid`). */
  function payCash(reference: string): ConektaOrder {
    expireDueCashOrders();
    const order = [...state.orders.values()].find((o) => cashReferenceOf(o) === reference);
    if (!order) throw new Error(`no cash reference ${reference}`);
    if (order.payment_status !== 'pending_payment') throw new Error(`reference ${reference} is ${order.payment_status}`);
    const now = nowSeconds();
    order.payment_status = 'paid';
    order.updated_at = now;
    const charge = order.charges.data[0]!;
    charge['status'] = 'paid';
    charge['paid_at'] = now;
    const pm = charge['payment_method'] as Record<string, unknown>;
    if (pm['object'] === 'bank_transfer_payment') {
      Object.assign(pm, {
        issuing_account_holder_name: 'CLIENTE SANDBOX', issuing_account_bank: 'BBVA MEXICO', issuing_account_number: '012180001234567897',
        tracking_code: `SANDBOX${now}`, executed_at: now,
      });
    }
    return order;
  }

  async function sandboxAdmin(req: SimRequest): Promise<SimResult> {
    const body = jsonObjectBody(req.rawBody);
    // A SPEI transfer arrives: the same as paying a cash reference, by CLABE.
    if (req.method === 'POST' && (req.path === '/sandbox/cash/pay' || req.path === '/sandbox/spei/pay')) {
      if (req.path === '/sandbox/spei/pay' && body['clabe'] !== undefined) body['reference'] = body['clabe'];
      return payAtStore(String(body['reference'] ?? ''), {
        pay: payCash,
        notify: async (order) => {
          const url = body['webhook_url'];
          if (typeof url === 'string') return sendWebhookImpl(url, { type: 'order.paid', orderId: order.id }, {});
          // As Conekta does: to every endpoint the order's account registered, signed with that account's newest key.
          return deliverToAccount(order, 'order.paid');
        },
        answer: (order) => ({ order_id: order.id, payment_status: order.payment_status }),
      });
    }
    const m = /^\/sandbox\/barcodes\/(\d+)\.png$/.exec(req.path);
    if (m && req.method === 'GET') return { status: 200, body: { barcode: m[1], note: 'sandbox barcode placeholder' } };
    return notFound(req, 'endpoint');
  }

  function validateOrder(body: unknown) {
    const problems: Array<ReturnType<typeof validation>> = [];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      problems.push(validation('order', 'invalid', 'La orden no es válida.', 'The order is not valid.'));
      return problems;
    }
    const b = body as Record<string, unknown>;
    if (typeof b['currency'] !== 'string' || !CURRENCIES.has(b['currency'].toUpperCase())) {
      problems.push(validation('currency', b['currency'] === undefined ? 'missing' : 'invalid',
        'El parámetro "currency" no es válido; usa MXN o USD.', 'The parameter "currency" is invalid; use MXN or USD.'));
    }
    const customer = b['customer_info'];
    if (typeof customer !== 'object' || customer === null) {
      problems.push(validation('customer_info', 'missing', 'El parámetro "customer_info" es requerido.', 'The parameter "customer_info" is required.'));
    } else {
      const c = customer as Record<string, unknown>;
      for (const field of ['name', 'email', 'phone'] as const) {
        const value = c[field];
        if (typeof value !== 'string' || value.trim() === '') {
          problems.push(validation(`customer_info.${field}`, 'missing',
            `El parámetro "customer_info.${field}" es requerido.`, `The parameter "customer_info.${field}" is required.`));
        } else if (field === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
          problems.push(validation('customer_info.email', 'invalid', 'El correo electrónico no es válido.', 'The email is not valid.'));
        }
      }
    }
    const items = b['line_items'];
    if (!Array.isArray(items) || items.length === 0) {
      problems.push(validation('line_items', 'missing', 'El parámetro "line_items" es requerido.', 'The parameter "line_items" is required.'));
    } else {
      items.forEach((item, i) => {
        const it = (item ?? {}) as Record<string, unknown>;
        const name = it['name'];
        if (typeof name !== 'string' || name.length < 3 || name.length > 249) {
          problems.push(validation(`line_items.${i}.name`, 'invalid',
            'El nombre del producto debe tener entre 3 y 249 caracteres.', 'The line item name must be 3 to 249 characters long.'));
        }
        if (!Number.isSafeInteger(it['unit_price']) || (it['unit_price'] as number) <= 0) {
          problems.push(validation(`line_items.${i}.unit_price`, 'invalid',
            'El precio unitario debe ser un entero positivo en centavos.', 'The unit price must be a positive integer in cents.'));
        }
        if (!Number.isSafeInteger(it['quantity']) || (it['quantity'] as number) <= 0) {
          problems.push(validation(`line_items.${i}.quantity`, 'invalid',
            'La cantidad debe ser un entero positivo.', 'The quantity must be a positive integer.'));
        }
      });
    }
    const charges = b['charges'];
    const pm = Array.isArray(charges) && charges[0] && typeof charges[0] === 'object' ? (charges[0] as Record<string, unknown>)['payment_method'] : undefined;
    if (!Array.isArray(charges) || charges.length !== 1) {
      problems.push(validation('charges', 'invalid', 'La orden debe tener exactamente un cargo.', 'The order must have exactly one charge.'));
    } else if (typeof pm === 'object' && pm !== null && CASH_TYPES.has(String((pm as Record<string, unknown>)['type']))) {
      const expiresAt = (pm as Record<string, unknown>)['expires_at'];
      const now = nowSeconds();
      if (!Number.isSafeInteger(expiresAt) || (expiresAt as number) <= now || (expiresAt as number) > now + 31 * 86_400) {
        problems.push(validation('charges.0.payment_method.expires_at', 'invalid',
          'La fecha de expiración debe estar entre 1 y 30 días a partir de hoy.', 'The expiration date must be between 1 and 30 days from now.'));
      }
      if (String(b['currency']).toUpperCase() !== 'MXN') {
        problems.push(validation('currency', 'invalid', 'OXXO y SPEI solo aceptan pagos en MXN.', 'OXXO and SPEI only accept MXN.'));
      }
      const isSpei = (pm as Record<string, unknown>)['type'] === 'spei';
      const items = Array.isArray(b['line_items']) ? b['line_items'] as Array<Record<string, unknown>> : [];
      const total = items.reduce((sum, it) => sum + Number(it['unit_price'] ?? 0) * Number(it['quantity'] ?? 0), 0);
      if (!isSpei && (total < 1000 || total > 1_000_000)) {
        problems.push(validation('amount', 'invalid', 'El monto para pagos en OXXO debe estar entre $10.00 y $10,000.00.', 'OXXO amounts must be between $10.00 and $10,000.00.'));
      }
    } else if (typeof pm !== 'object' || pm === null || (pm as Record<string, unknown>)['type'] !== 'card') {
      problems.push(validation('charges.0.payment_method.type', 'invalid',
        'El método de pago debe ser de tipo "card".', 'The payment method type must be "card".'));
    } else if (typeof (pm as Record<string, unknown>)['token_id'] !== 'string') {
      problems.push(validation('charges.0.payment_method.token_id', 'missing',
        'El parámetro "token_id" es requerido.', 'The parameter "token_id" is required.'));
    }
    const metadata = b['metadata'];
    if (metadata !== undefined) {
      const flat = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
        && Object.values(metadata).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
        && Object.keys(metadata).length <= 100;
      if (!flat) {
        problems.push(validation('metadata', 'invalid',
          'La metadata debe ser un objeto plano de hasta 100 llaves.', 'Metadata must be a flat object with up to 100 keys.'));
      }
    }
    return problems;
  }

  async function createOrderRoute(req: SimRequest, account: string): Promise<SimResult> {
    const parsed = parseJson(req.rawBody);
    if (!parsed.ok) {
      return error(400, 'malformed_request_error', [{
        code: 'conekta.errors.malformed_request.json', es: 'El cuerpo de la solicitud no es un JSON válido.', en: 'The request body is not valid JSON.',
      }], req);
    }
    const problems = validateOrder(parsed.value);
    if (problems.length) return error(422, 'parameter_validation_error', problems, req);
    const body = parsed.value as Record<string, unknown>;
    const cashPm = (body['charges'] as Array<Record<string, Record<string, unknown>>>)[0]!['payment_method']!;
    if (CASH_TYPES.has(String(cashPm['type']))) return { status: 200, body: createCashOrder(account, body, Number(cashPm['expires_at'])) };
    const token = String(((body['charges'] as Array<Record<string, Record<string, unknown>>>)[0]!['payment_method']!)['token_id']);
    const kind = resolveToken(token);
    if (!kind) {
      return error(422, 'parameter_validation_error', [{
        code: 'conekta.errors.parameter_validation.payment_method.token_id.nonexistent_token',
        es: 'El token de la tarjeta no existe.', en: 'The card token does not exist.', param: 'payment_method.token_id',
      }], req);
    }
    const bare = Object.keys(TOKEN_KINDS).some((k) => token === `tok_test_${k}`);
    const singleUseToken = singleUse === 'all' || (singleUse === 'suffixed' && !bare);
    if (singleUseToken && state.usedTokens.has(token)) {
      return error(402, 'processing_error', [{
        code: 'conekta.errors.processing.tokenization.used', es: 'El token ya ha sido usado.', en: 'The token has already been used.',
        param: 'payment_method.token_id',
      }], req);
    }
    if (kind.outcome === 'error') {
      return error(500, 'api_error', [{
        code: 'conekta.errors.api.system.general_failure',
        es: 'Ocurrió un error interno. Por favor intenta más tarde.', en: 'An internal error occurred. Please try again later.',
      }], req);
    }
    if (kind.outcome === 'invalid') {
      state.usedTokens.add(token);
      return error(422, 'parameter_validation_error', [{ code: kind.code, es: kind.es, en: kind.en, param: kind.param }], req);
    }
    state.usedTokens.add(token);
    if (kind.outcome === 'declined') {
      const order = createOrder(account, body, kind, false);
      return error(402, 'processing_error', [{ code: kind.code, es: kind.es, en: kind.en }], req, order);
    }
    const order = createOrder(account, body, kind, true);
    if (kind.errorAfter) {
      return error(500, 'api_error', [{
        code: 'conekta.errors.api.system.general_failure',
        es: 'Ocurrió un error interno. Por favor intenta más tarde.', en: 'An internal error occurred. Please try again later.',
      }], req);
    }
    return { status: 200, body: order, delayMs: kind.slow ? slowResponseMs : undefined };
  }

  function listOrders(req: SimRequest, account: string): SimResult {
    const q = req.query;
    const limitRaw = q.get('limit');
    const limit = limitRaw === null ? 20 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      return error(422, 'parameter_validation_error', [validation('limit', 'invalid',
        'El parámetro "limit" debe estar entre 1 y 250.', 'The parameter "limit" must be between 1 and 250.')], req);
    }
    let orders = [...state.orders.values()]
      .filter((o) => state.owners.get(o.id) === account)
      .sort((a, b) => (seq.get(b.id) ?? 0) - (seq.get(a.id) ?? 0));
    const paymentStatus = q.get('payment_status');
    if (paymentStatus) orders = orders.filter((o) => o.payment_status === paymentStatus);
    const gte = q.get('created_at.gte') ?? q.get('created_at_gte');
    const lte = q.get('created_at.lte') ?? q.get('created_at_lte');
    if (gte !== null) orders = orders.filter((o) => o.created_at >= Number(gte));
    if (lte !== null) orders = orders.filter((o) => o.created_at <= Number(lte));
    const search = q.get('search')?.toLowerCase();
    if (search) {
      orders = orders.filter((o) => {
        const customer = (o['customer_info'] ?? {}) as Record<string, unknown>;
        const haystack = [o.id, customer['email'], customer['name'], ...Object.values(o.metadata ?? {})].map((v) => String(v ?? '').toLowerCase());
        return haystack.some((v) => v.includes(search));
      });
    }
    let page: ConektaOrder[];
    let hasMore: boolean;
    let hasPrevious: boolean;
    const next = q.get('next');
    const previous = q.get('previous');
    if (next) {
      const index = orders.findIndex((o) => o.id === next);
      if (index < 0) return notFound(req);
      page = orders.slice(index + 1, index + 1 + limit);
      hasMore = index + 1 + limit < orders.length;
      hasPrevious = true;
    } else if (previous) {
      const index = orders.findIndex((o) => o.id === previous);
      if (index < 0) return notFound(req);
      const start = Math.max(0, index - limit);
      page = orders.slice(start, index);
      hasMore = true;
      hasPrevious = start > 0;
    } else {
      page = orders.slice(0, limit);
      hasMore = limit < orders.length;
      hasPrevious = false;
    }
    const base = `${baseUrl}/orders?limit=${limit}`;
    return {
      status: 200,
      body: {
        object: 'list',
        has_more: hasMore,
        next_page_url: hasMore && page.length ? `${base}&next=${page[page.length - 1]!.id}` : null,
        previous_page_url: hasPrevious && page.length ? `${base}&previous=${page[0]!.id}` : null,
        data: page,
      },
    };
  }

  function refundRoute(req: SimRequest, account: string, id: string): SimResult {
    const order = ownedOrder(id, account);
    if (!order) return notFound(req);
    const parsed = parseJson(req.rawBody);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
      return error(400, 'malformed_request_error', [{
        code: 'conekta.errors.malformed_request.json', es: 'El cuerpo de la solicitud no es un JSON válido.', en: 'The request body is not valid JSON.',
      }], req);
    }
    const body = parsed.value as Record<string, unknown>;
    const amount = body['amount'];
    const problems = [];
    if (!Number.isSafeInteger(amount) || (amount as number) <= 0) {
      problems.push(validation('amount', amount === undefined ? 'missing' : 'invalid',
        'El monto del reembolso debe ser un entero positivo en centavos.', 'The refund amount must be a positive integer in cents.'));
    }
    if (typeof body['reason'] !== 'string' || body['reason'] === '') {
      problems.push(validation('reason', 'missing', 'El parámetro "reason" es requerido.', 'The parameter "reason" is required.'));
    }
    if (problems.length) return error(422, 'parameter_validation_error', problems, req);
    if (order.payment_status !== 'paid' && order.payment_status !== 'partially_refunded') {
      return error(422, 'parameter_validation_error', [{
        code: 'conekta.errors.parameter_validation.refund.order_not_refundable',
        es: 'La orden no se puede reembolsar en su estado actual.', en: 'The order cannot be refunded in its current state.', param: 'id',
      }], req);
    }
    if ((amount as number) > order.amount - order.amount_refunded) {
      return error(422, 'parameter_validation_error', [{
        code: 'conekta.errors.parameter_validation.refund.amount_greater_than_order',
        es: 'El monto del reembolso excede el monto disponible de la orden.', en: 'The refund amount exceeds the order amount available.',
        param: 'amount',
      }], req);
    }
    const now = nowSeconds();
    order.amount_refunded += amount as number;
    const full = order.amount_refunded === order.amount;
    order.payment_status = full ? 'refunded' : 'partially_refunded';
    order.updated_at = now;
    order['is_refundable'] = !full;
    const charge = order.charges.data[0]!;
    charge['status'] = order.payment_status;
    const refunds = charge['refunds'] as { total: number; data: unknown[] };
    refunds.data.push({ id: hex(12), object: 'refund', amount: -(amount as number), created_at: now, reason: body['reason'], status: 'succeeded' });
    refunds.total = refunds.data.length;
    return { status: 200, body: order };
  }

  function createWebhookKey(owner = 'sandbox'): ConektaWebhookKey {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const key: ConektaWebhookKey = {
      id: hex(12),
      object: 'webhook_key',
      active: true,
      livemode: false,
      created_at: nowSeconds(),
      public_key: publicKey,
      privateKeyPem: privateKey,
      owner,
    };
    state.webhookKeys.push(key);
    return key;
  }

  const publicView = (key: ConektaWebhookKey) => ({
    id: key.id, object: key.object, active: key.active, livemode: key.livemode, created_at: key.created_at, public_key: key.public_key,
  });

  const webhookView = (w: ConektaWebhook) => ({
    id: w.id, object: w.object, url: w.url, status: w.status, livemode: w.livemode, synchronous: w.synchronous,
    subscribed_events: w.subscribed_events, created_at: w.created_at,
  });

  /** `POST /webhooks {url, subscribed_events?, synchronous?}`: an https (or loopback http) URL, once per account. */
  function createWebhookRoute(req: SimRequest, account: string): SimResult {
    const body = jsonObjectBody(req.rawBody);
    const url = body['url'];
    let parsed: URL | undefined;
    try { parsed = typeof url === 'string' ? new URL(url) : undefined; } catch { parsed = undefined; }
    const loopback = parsed && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    if (!parsed || !(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))) {
      return error(422, 'parameter_validation_error', [{
        code: 'conekta.errors.parameter_validation.webhook.url',
        es: 'La URL del webhook no es válida.', en: 'The webhook URL is not valid.',
      }], req);
    }
    if (state.webhooks.some((w) => w.owner === account && w.url === url)) {
      return error(422, 'parameter_validation_error', [{
        code: 'conekta.errors.parameter_validation.webhook.url_taken',
        es: 'Ya existe un webhook con esa URL.', en: 'A webhook with that URL already exists.',
      }], req);
    }
    const events = Array.isArray(body['subscribed_events']) ? (body['subscribed_events'] as unknown[]).map(String) : ['order.paid', 'order.expired', 'order.declined', 'order.refunded', 'order.charged_back'];
    const webhook: ConektaWebhook = {
      id: hex(12), object: 'webhook', url: String(url), status: 'listening', livemode: false,
      synchronous: body['synchronous'] === true, subscribed_events: events, created_at: nowSeconds(), owner: account,
    };
    state.webhooks.push(webhook);
    return { status: 200, body: webhookView(webhook) };
  }

  /** Sends `type` for `order` to every endpoint of the account that created it (subscribed to it), signed with that account's newest key. */
  async function deliverToAccount(order: ConektaOrder, type: string) {
    const owner = state.owners.get(order.id);
    const key = state.webhookKeys.filter((k) => k.owner === owner && k.active).at(-1);
    const endpoints = state.webhooks.filter((w) => w.owner === owner && w.subscribed_events.includes(type));
    const answers = [];
    for (const w of endpoints) answers.push(await sendWebhookImpl(w.url, { type, orderId: order.id }, { keyId: key ? key.id : null }));
    return answers[0];
  }

  async function handle(req: SimRequest): Promise<SimResult> {
    if (req.path.startsWith('/sandbox/')) return sandboxAdmin(req);
    expireDueCashOrders();
    const account = authenticate(req);
    if (!account) {
      return error(401, 'authentication_error', [{
        code: 'conekta.errors.authentication.invalid_api_key',
        es: 'Acceso no autorizado. La llave privada no es válida.', en: 'Unauthorized access. The private key is invalid.',
      }], req);
    }
    if (!ACCEPT.test(String(req.headers['accept'] ?? ''))) {
      return error(400, 'malformed_request_error', [{
        code: 'conekta.errors.malformed_request.api_version',
        es: 'Indica una versión válida del API en el encabezado Accept (application/vnd.conekta-v2.1.0+json).',
        en: 'Set a valid API version in the Accept header (application/vnd.conekta-v2.1.0+json).',
      }], req);
    }
    const { method, path } = req;
    if (method === 'POST' && path === '/orders') return createOrderRoute(req, account);
    if (method === 'GET' && path === '/orders') return listOrders(req, account);
    let m = /^\/orders\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const order = ownedOrder(decodeURIComponent(m[1]!), account);
      return order ? { status: 200, body: order } : notFound(req);
    }
    m = /^\/orders\/([^/]+)\/refunds$/.exec(path);
    if (m && method === 'POST') return refundRoute(req, account, decodeURIComponent(m[1]!));
    if (path === '/webhook_keys' && method === 'POST') return { status: 200, body: publicView(createWebhookKey(account)) };
    if (path === '/webhooks' && method === 'POST') return createWebhookRoute(req, account);
    if (path === '/webhooks' && method === 'GET') {
      const data = state.webhooks.filter((w) => w.owner === account).map(webhookView);
      return { status: 200, body: { object: 'list', has_more: false, data } };
    }
    m = /^\/webhooks\/([^/]+)$/.exec(path);
    if (m && method === 'DELETE') {
      const i = state.webhooks.findIndex((w) => w.id === decodeURIComponent(m![1]!) && w.owner === account);
      if (i < 0) return notFound(req);
      const [removed] = state.webhooks.splice(i, 1);
      return { status: 200, body: webhookView(removed!) };
    }
    m = /^\/webhook_keys\/([^/]+)$/.exec(path);
    if (m && method === 'DELETE') {
      const key = state.webhookKeys.find((k) => k.id === decodeURIComponent(m![1]!) && k.owner === account && k.active);
      if (!key) return notFound(req);
      key.active = false;
      return { status: 200, body: publicView(key) };
    }
    if (path === '/webhook_keys' && method === 'GET') {
      const data = state.webhookKeys.filter((k) => k.owner === account).map(publicView);
      return { status: 200, body: { object: 'list', has_more: false, data } };
    }
    return notFound(req, 'endpoint');
  }

  const server = await startSimServer({
    port: options.port,
    host: options.host,
    faults,
    handle,
    record: (r) => state.requests.push(r),
  });
  baseUrl = server.url;

  function buildEvent(input: ConektaEventInput): ConektaEvent {
    let object: unknown = input.data?.object;
    if (object === undefined && input.orderId) {
      const order = state.orders.get(input.orderId);
      if (!order) throw new Error(`no order ${input.orderId}`);
      object = input.type.startsWith('charge.') ? { ...order.charges.data[0] } : JSON.parse(JSON.stringify(order));
    }
    return {
      id: input.id ?? hex(12),
      object: 'event',
      type: input.type,
      livemode: input.livemode ?? false,
      created_at: input.created_at ?? nowSeconds(),
      webhook_status: 'pending',
      webhook_logs: [],
      data: { object: object ?? {}, previous_attributes: input.data?.previous_attributes ?? input.previous_attributes ?? {} },
    };
  }

  return {
    url: server.url,
    port: server.port,
    state,
    faults,
    close: () => server.close(),
    createWebhookKey,
    buildEvent,
    token: (kind) => `tok_test_${kind}_${hex(6)}`,
    setOrderStatus(orderId, status) {
      const order = state.orders.get(orderId);
      if (!order) throw new Error(`no order ${orderId}`);
      if (!ORDER_STATUSES.has(status)) throw new Error(`unknown payment_status ${status}`);
      order.payment_status = status;
      order.updated_at = nowSeconds();
      if (status === 'refunded') order.amount_refunded = order.amount;
      const charge = order.charges.data[0];
      if (charge) {
        charge['status'] = status === 'pending_payment' ? 'pending_payment' : status;
        if (status === 'paid' && !charge['paid_at']) charge['paid_at'] = order.updated_at;
      }
      return order;
    },
    payCash,
    sendWebhook: (url, input, sendOptions = {}) => sendWebhookImpl(url, input, sendOptions),
  };

  async function sendWebhookImpl(url: string, input: ConektaEventInput, sendOptions: SendConektaWebhookOptions) {
    const event = buildEvent(input);
    const rawBody = JSON.stringify(event);
    const headers: Record<string, string> = { ...sendOptions.headers };
    let digest: string | undefined;
    let privateKeyPem: string | undefined;
    if (sendOptions.forge) {
      privateKeyPem = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey;
    } else if (sendOptions.keyId !== null) {
      const key = sendOptions.keyId
        ? state.webhookKeys.find((k) => k.id === sendOptions.keyId)
        : state.webhookKeys.filter((k) => k.active).at(-1);
      if (sendOptions.keyId && !key) throw new Error(`no webhook key ${sendOptions.keyId}`);
      privateKeyPem = key?.privateKeyPem;
    }
    if (privateKeyPem) {
      digest = sign('sha256', Buffer.from(rawBody, 'utf8'), privateKeyPem).toString('base64');
      headers['digest'] = digest;
    }
    state.sentEvents.push(event);
    const answer = await postWebhook(url, rawBody, headers, sendOptions.timeoutMs);
    return { ...answer, event, rawBody, digest };
  }
}
