/**
 * A test-only gateway, "prueba", written exactly as a new gateway would be
 * (ARCHITECTURE.md, "Where to add things"): this one folder with its provider
 * object, and one registry line: tests build the app with
 * `[...GATEWAY_PROVIDERS, prueba.provider]` where production code lists it in
 * src/integrations/gateways/registry.ts. Its "gateway" is an in-memory ledger.
 *
 * Card tokens: `tok_ok` is approved, `tok_no` declined. Webhooks are signed
 * with HMAC-SHA256 over the raw body (`x-prueba-firma`) with the company's
 * webhook key; this sandbox has one key for every company, and needs no
 * stored credentials.
 */
import crypto from 'node:crypto';
import type {
  ChargeInput, ChargeOutcome, GatewayProvider, LookupOutcome, PaymentGateway, ParsedWebhook, RefundInput, RefundOutcome,
} from '../../../src/integrations/gateways';

export const PRUEBA_WEBHOOK_KEY = 'clave-de-webhooks-de-prueba';

export const signPrueba = (rawBody: string, key = PRUEBA_WEBHOOK_KEY) => crypto.createHmac('sha256', key).update(rawBody).digest('hex');

interface Pago { id: string; transaccionId: string; amountCents: number; currency: string; status: LookupOutcome['status']; refundedCents: number }

export function createPruebaGateway() {
  const pagos = new Map<string, Pago>();
  let charges = 0;

  const outcomeOf = (pago: Pago): LookupOutcome => ({
    status: pago.status, gatewayId: pago.id, transaccionId: pago.transaccionId, amountCents: pago.amountCents,
    refundedCents: pago.refundedCents, currency: pago.currency, gatewayStatus: pago.status,
  });

  const client: PaymentGateway = {
    name: 'prueba',
    async charge(input: ChargeInput): Promise<ChargeOutcome> {
      charges += 1;
      if (input.cardToken === 'tok_no') {
        return { status: 'declined', declineCode: 'rechazada', declineMessage: 'La tarjeta de prueba fue rechazada.' };
      }
      const pago: Pago = {
        id: `prb_${input.transaccionId}`, transaccionId: input.transaccionId, amountCents: input.amountCents, currency: input.currency,
        status: 'paid', refundedCents: 0,
      };
      pagos.set(pago.id, pago);
      return { status: 'paid', gatewayId: pago.id, gatewayStatus: 'paid' };
    },
    async chargeCash() {
      return { status: 'declined', declineMessage: 'La pasarela de prueba no emite referencias.' };
    },
    async lookup(ref): Promise<LookupOutcome> {
      const pago = ref.gatewayId ? pagos.get(ref.gatewayId) : [...pagos.values()].find((p) => p.transaccionId === ref.transaccionId);
      return pago ? outcomeOf(pago) : { status: 'not_found' };
    },
    async fetchById(gatewayId): Promise<LookupOutcome> {
      const pago = pagos.get(gatewayId);
      return pago ? outcomeOf(pago) : { status: 'not_found' };
    },
    async refund(input: RefundInput): Promise<RefundOutcome> {
      const pago = pagos.get(input.gatewayId);
      if (!pago) throw new Error('pago de prueba inexistente');
      pago.status = 'refunded';
      pago.refundedCents = pago.amountCents;
      return { status: 'refunded', amountRefundedCents: pago.amountCents };
    },
  };

  const provider: GatewayProvider = {
    id: 'prueba',
    label: 'Pasarela de Prueba',
    webhookSlug: 'prueba',
    webhookSummary: 'Notificaciones de la pasarela de prueba (x-prueba-firma: HMAC-SHA256 del cuerpo)',
    webhooks: {
      name: 'prueba',
      unconfiguredMessage: 'Webhook rechazado: la empresa no configuró la llave de webhooks de prueba',
      parseWebhook(delivery, key): ParsedWebhook {
        const eventId = typeof delivery.body.id === 'string' ? delivery.body.id : null;
        if (!key) return { eventId, signature: { status: 'unconfigured' }, gatewayId: null };
        const given = String(delivery.headers['x-prueba-firma'] ?? '');
        const expected = signPrueba(delivery.rawBody, key);
        const valid = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
        const gatewayId = typeof delivery.body.pago === 'string' ? delivery.body.pago : null;
        return { eventId, signature: valid ? { status: 'valid' } : { status: 'invalid', reason: 'firma' }, gatewayId };
      },
    },
    cashMethods: [],
    phoneRequired: () => false,
    sendsWebhookUrlWithCharge: false,
    credentials: {
      secret: () => 'sin-credenciales',
      webhookKey: () => PRUEBA_WEBHOOK_KEY,
    },
    // A sandbox: always configured, no public key (it tokenizes nothing).
    settingsView: { publicKey: () => null, configured: () => true },
    client: () => client,
  };

  return {
    provider,
    /** How many charges the "gateway" received. */
    charges: () => charges,
    /** The customer's bank reverses the payment at the gateway (a webhook then tells us). */
    refundAtGateway(gatewayId: string) {
      const pago = pagos.get(gatewayId);
      if (!pago) throw new Error(`no such payment ${gatewayId}`);
      pago.status = 'refunded';
      pago.refundedCents = pago.amountCents;
    },
  };
}
