/**
 * Mercado Pago webhooks: `x-signature` verification with the SDK's
 * WebhookSignatureValidator, and what a notification asks us to look at.
 * A valid signature only proves the sender; act on the re-fetched payment,
 * never on the webhook body.
 */
import { InvalidWebhookSignatureError, WebhookSignatureValidator } from 'mercadopago';
import type { HeaderValue, ParsedWebhook, SignatureCheck, WebhookParser } from '../gateways/port';

export interface MercadoPagoSignatureInput {
  /** Raw `x-signature` header: `ts=<seconds>,v1=<hex>`. */
  xSignature: HeaderValue;
  /** Raw `x-request-id` header. */
  xRequestId: HeaderValue;
  /** `data.id` from the QUERY STRING (not the body). */
  dataId: HeaderValue;
  /** The company's webhook secret ("clave secreta" of its Mercado Pago application). */
  secret: string;
  /** Allowed clock drift between `ts` and now; default 300 s. */
  toleranceSeconds?: number;
  /** Current time in ms (or a clock); default Date.now. */
  now?: number | (() => number);
}

/**
 * Checks Mercado Pago's `x-signature` with the SDK's WebhookSignatureValidator:
 * manifest `id:<data.id>;request-id:<x-request-id>;ts:<ts>;` (missing pairs
 * omitted), HMAC-SHA256 hex, constant-time comparison, then the timestamp
 * tolerance. An alphanumeric `data.id` is lower-cased first, as Mercado Pago
 * documents.
 */
export function verifyMercadoPagoSignature(input: MercadoPagoSignatureInput): SignatureCheck {
  if (!input.secret) return { valid: false, reason: 'MissingSecret' };
  const rawId = Array.isArray(input.dataId) ? input.dataId[0] : input.dataId;
  const dataId = typeof rawId === 'string' ? rawId.trim().toLowerCase() : rawId;
  const now = input.now;
  try {
    WebhookSignatureValidator.validate({
      xSignature: input.xSignature,
      xRequestId: input.xRequestId,
      dataId,
      secret: input.secret,
      toleranceSeconds: input.toleranceSeconds ?? 300,
      now: typeof now === 'number' ? () => now : now,
    });
    return { valid: true };
  } catch (error) {
    if (error instanceof InvalidWebhookSignatureError) return { valid: false, reason: error.reason };
    return { valid: false, reason: 'InvalidSignature' };
  }
}


const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The `ts` Mercado Pago put in `x-signature` (`ts=<seconds>,v1=<hex>`), which the signature covers. */
function signedTs(header: string | string[] | undefined): string {
  const value = first(header) ?? '';
  return /(?:^|,)\s*ts=([0-9]{1,20})/.exec(value)?.[1] ?? '';
}

/**
 * Only what the signature covers is used: the manifest is
 * `id:<data.id from the query>;request-id:<x-request-id>;ts:<ts>;`, so the event
 * is deduplicated on those and the payment re-fetched by that data.id. The body
 * (its `id` included) is unsigned and never trusted.
 */
export const mercadoPagoWebhooks: WebhookParser = {
  name: 'mercadopago',
  unconfiguredMessage: 'Webhook rechazado: la empresa no configuró la clave secreta de webhooks de Mercado Pago (webhook_secret en /api/v1/payments/configurar-credenciales)',
  parseWebhook(delivery, secret, options): ParsedWebhook {
    const dataId = (first(delivery.query['data.id']) ?? '').trim().toLowerCase();
    const requestId = first(delivery.headers['x-request-id']) ?? '';
    // A gateway retry keeps its x-request-id (a new ts would make it look new); without one, the signed ts.
    const eventId = requestId ? `${dataId}|${requestId}` : `${dataId}|ts:${signedTs(delivery.headers['x-signature'])}`;
    if (!secret) return { eventId, signature: { status: 'unconfigured' }, gatewayId: null };
    const check = verifyMercadoPagoSignature({
      xSignature: delivery.headers['x-signature'], xRequestId: delivery.headers['x-request-id'], dataId, secret,
      toleranceSeconds: options.toleranceSeconds, now: options.now,
    });
    const type = first(delivery.query.type) ?? first(delivery.query.topic) ?? delivery.body?.type;
    const gatewayId = type === 'payment' && /^\d{1,20}$/.test(dataId) ? dataId : null;
    return { eventId, signature: check.valid ? { status: 'valid' } : { status: 'invalid', reason: check.reason }, gatewayId };
  },
};
