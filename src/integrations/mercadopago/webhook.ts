/**
 * Mercado Pago webhooks: `x-signature` verification with the SDK's
 * WebhookSignatureValidator, and what a notification asks us to look at.
 * A valid signature only proves the sender; act on the re-fetched payment,
 * never on the webhook body.
 */
import crypto from 'node:crypto';
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

export const mercadoPagoWebhooks: WebhookParser = {
  name: 'mercadopago',
  parseWebhook(delivery, secret, options): ParsedWebhook {
    const dataId = first(delivery.query['data.id']) ?? String(delivery.body?.data?.id ?? '');
    // Without the notification id there is nothing safe to deduplicate on (an
    // approval and a later refund share data.id): process it; transitions are idempotent.
    const eventId = delivery.body?.id !== undefined ? String(delivery.body.id) : `sin_id:${crypto.randomUUID()}`;
    let signature: ParsedWebhook['signature'] = { status: 'unchecked', reason: 'sin_secreto_configurado' };
    if (secret) {
      const check = verifyMercadoPagoSignature({
        xSignature: delivery.headers['x-signature'], xRequestId: delivery.headers['x-request-id'], dataId, secret,
        toleranceSeconds: options.toleranceSeconds, now: options.now,
      });
      signature = check.valid ? { status: 'valid' } : { status: 'invalid', reason: check.reason };
    }
    const type = first(delivery.query.type) ?? first(delivery.query.topic) ?? delivery.body?.type;
    const gatewayId = type === 'payment' && /^\d{1,20}$/.test(dataId) ? dataId : null;
    return { eventId, signature, gatewayId };
  },
};
