/**
 * A test-only gateway, "prueba", written exactly as a new gateway would be
 * (ARCHITECTURE.md, "Where to add things"): this one folder with its provider
 * object, and one registry line: tests build the app with
 * `[...GATEWAY_PROVIDERS, prueba.provider]` where production code lists it in
 * src/integrations/gateways/registry.ts. Its "gateway" is an in-memory ledger.
 *
 * Card tokens: `tok_ok` is approved, `tok_no` declined. Webhooks are signed
 * with HMAC-SHA256 over the raw body (`x-prueba-firma`) with the company's
 * webhook secret. A company configures it at the registry's settings route
 * (`PUT /api/v1/admin/mi-empresa/pasarelas/prueba`: its `secreto` and
 * `webhook_secreto`), stored in its account like any gateway's; the "gateway"
 * accepts only the secret it was given (`PRUEBA_SECRETO`).
 */
import crypto from 'node:crypto';
import type {
  ChargeInput, ChargeOutcome, GatewayProvider, LookupOutcome, PaymentGateway, ParsedWebhook, RefundInput, RefundOutcome,
} from '../../../src/integrations/gateways';

export const PRUEBA_WEBHOOK_KEY = 'clave-de-webhooks-de-prueba';
/** The account secret the sandbox accepts. */
export const PRUEBA_SECRETO = 'sk_prueba_0123456789';

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
    accountFields: {
      secreto: 'Llave secreta de la pasarela de prueba',
      webhook_secreto: 'Clave con la que firma sus webhooks (x-prueba-firma)',
    },
    credentials: {
      secret: ({ account, open }) => open(account?.secreto_enc),
      webhookKey: ({ account, open }) => open(account?.webhook_secreto_enc),
    },
    // No public key: it tokenizes nothing; configured once the company saved its secret.
    settingsView: { publicKey: () => null, configured: (account) => Boolean(account?.secreto_enc) },
    client: (secret) => {
      if (secret !== PRUEBA_SECRETO) throw new Error('la pasarela de prueba no reconoce esa llave');
      return client;
    },
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
