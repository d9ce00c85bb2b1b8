/**
 * Conekta webhooks: the `digest` header (RSA-SHA256 over the raw body with the
 * company's webhook key) and which order an event is about. Always re-fetch the
 * order before acting on it.
 */
import { createVerify, constants, createPublicKey, type KeyObject } from 'node:crypto';
import type { HeaderValue, ParsedWebhook, SignatureCheck, WebhookParser } from '../gateways/port';

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

export const conektaWebhooks: WebhookParser = {
  name: 'conekta',
  unconfiguredMessage: 'Webhook rechazado: la empresa no configuró la llave pública de webhooks de Conekta (webhook_public_key en /api/v1/admin/mi-empresa/configurar-conekta)',
  /** Conekta signs the whole raw body (`digest`), so its event id is covered and deduplicated on. */
  parseWebhook(delivery, publicKeyPem): ParsedWebhook {
    const event = delivery.body ?? {};
    const eventId = String(event.id ?? '') || null;
    if (!publicKeyPem) return { eventId, signature: { status: 'unconfigured' }, gatewayId: null };
    const check = verifyConektaDigest(delivery.rawBody, delivery.headers.digest, publicKeyPem);
    const signature: ParsedWebhook['signature'] = check.valid ? { status: 'valid' } : { status: 'invalid', reason: check.reason };
    const type = String(event.type ?? '');
    const object = event.data?.object ?? {};
    const orderId = type.startsWith('order.') ? object.id : type.startsWith('charge.') ? object.order_id : undefined;
    const gatewayId = typeof orderId === 'string' && /^ord_[A-Za-z0-9]+$/.test(orderId) ? orderId : null;
    return { eventId, signature, gatewayId };
  },
};
