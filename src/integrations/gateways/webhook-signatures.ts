/**
 * Webhook authenticity checks. Both return a result instead of throwing, so
 * the webhook route can record the outcome (`webhook_eventos`) and answer 401.
 * A valid signature only proves the sender; act on the gateway's re-fetched
 * state, never on the webhook body.
 */
import { createVerify, constants, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidWebhookSignatureError, WebhookSignatureValidator } from 'mercadopago';

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

type HeaderValue = string | string[] | undefined | null;

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

/**
 * Checks Conekta's `digest` header: base64 RSA-SHA256 signature of the RAW
 * request body with the webhook key made by `POST /webhook_keys`. The padding
 * scheme is not documented: PKCS#1 v1.5 (what `openssl_sign`/`crypto.sign`
 * produce by default) is tried first, then PSS.
 */
export function verifyConektaDigest(rawBody: Buffer | string, digestHeader: HeaderValue, publicKeyPem: string): SignatureCheck {
  const header = Array.isArray(digestHeader) ? digestHeader[0] : digestHeader;
  if (!header || !header.trim()) return { valid: false, reason: 'MissingDigest' };
  const digest = header.trim();
  if (!/^[A-Za-z0-9+/=_-]+$/.test(digest)) return { valid: false, reason: 'MalformedDigest' };
  const signature = Buffer.from(digest.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (signature.length === 0) return { valid: false, reason: 'MalformedDigest' };
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return { valid: false, reason: 'InvalidPublicKey' };
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  for (const padding of [constants.RSA_PKCS1_PADDING, constants.RSA_PKCS1_PSS_PADDING]) {
    try {
      const verifier = createVerify('sha256');
      verifier.update(body);
      if (verifier.verify({ key, padding }, signature)) return { valid: true };
    } catch {
      // a malformed signature for this padding: try the next one
    }
  }
  return { valid: false, reason: 'SignatureMismatch' };
}
