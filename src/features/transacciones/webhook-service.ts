/**
 * Gateway webhooks. A delivery is verified, recorded (raw, with the outcome of
 * the signature check), deduplicated on the gateway's event id, and then the
 * payment is fetched again from the gateway: the webhook only says "look",
 * the gateway's own answer is what moves our transaction. Our transaction is
 * found through the reference we gave the gateway (Conekta metadata, Mercado
 * Pago external_reference), so a webhook that arrives before the payment
 * request stored the gateway id still finds its row.
 */
import crypto from 'node:crypto';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { NotFoundError, UnauthorizedError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { GatewayFactory } from './gateway-factory';
import { verifyConektaDigest, verifyMercadoPagoSignature, type GatewayName, type LookupOutcome } from '../../integrations/gateways';
import type { OutcomeApplier } from './outcomes';
import type { EmpresaPagos, TransactionsStore } from './store';

export interface WebhookDelivery {
  empresaId: string;
  rawBody: string;
  body: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function createWebhookService(deps: {
  config: Config; secrets: SecretBox; transactions: TransactionsStore; gateways: GatewayFactory; outcomes: OutcomeApplier; logger: Logger;
}) {
  const { config, secrets, transactions, gateways, outcomes, logger } = deps;

  async function loadEmpresa(id: string) {
    const empresa = await transactions.empresaPagos(id);
    if (!empresa) throw new NotFoundError('Empresa no encontrada');
    return empresa;
  }

  /** Records the delivery; returns false when this event was already received (and verified). */
  async function record(gateway: GatewayName, eventId: string, empresaId: string, valid: boolean, reason: string | null, payload: unknown): Promise<number | null> {
    return transactions.recordWebhook({ gateway, eventId, empresaId, valid, reason, payload });
  }

  /**
   * A delivery may only move transactions charged on the same gateway account it
   * came from: the company's own, or (Conekta) the platform's default key that
   * companies without their own key share, whose webhooks arrive at one URL.
   */
  async function sameGatewayAccount(rowEmpresaId: string, urlEmpresaId: string, gateway: GatewayName): Promise<boolean> {
    if (rowEmpresaId === urlEmpresaId) return true;
    if (gateway !== 'conekta' || !config.conekta.defaultPrivateKey) return false;
    return transactions.shareDefaultConektaKey([rowEmpresaId, urlEmpresaId]);
  }

  async function act(recordId: number, gateway: GatewayName, empresaId: string, outcome: LookupOutcome): Promise<string> {
    let resultado = 'ignorado';
    let trxId: string | null = null;
    const row = outcome.transaccionId ? await transactions.get(outcome.transaccionId) : undefined;
    if (row && row.gateway === gateway && (await sameGatewayAccount(row.empresa_id, empresaId, gateway))) {
      trxId = row.id;
      resultado = await outcomes.applyOutcome(row, outcome, 'webhook');
    }
    await transactions.finishWebhook(recordId, resultado, trxId);
    return resultado;
  }

  /** If the gateway cannot be asked now, forget the delivery so the gateway's retry is processed. */
  async function fetchAndAct(recordId: number, gateway: GatewayName, empresa: EmpresaPagos, gatewayId: string): Promise<string> {
    try {
      const outcome = await gateways(empresa, gateway).fetchById(gatewayId);
      return await act(recordId, gateway, empresa.id, outcome);
    } catch (error) {
      await transactions.forgetWebhook(recordId);
      throw error;
    }
  }

  return {
    async mercadoPago(delivery: WebhookDelivery): Promise<{ resultado: string }> {
      const empresa = await loadEmpresa(delivery.empresaId);
      const dataId = first(delivery.query['data.id']) ?? String(delivery.body?.data?.id ?? '');
      // Without the notification id there is nothing safe to deduplicate on (an
      // approval and a later refund share data.id): process it; transitions are idempotent.
      const eventId = delivery.body?.id !== undefined ? String(delivery.body.id) : `sin_id:${crypto.randomUUID()}`;
      const secret = secrets.open(empresa.mp_webhook_secret_enc);
      let valid = false;
      let reason: string | null = 'sin_secreto_configurado';
      if (secret) {
        const check = verifyMercadoPagoSignature({
          xSignature: delivery.headers['x-signature'], xRequestId: delivery.headers['x-request-id'], dataId, secret,
          toleranceSeconds: config.webhooks.toleranceSeconds,
        });
        valid = check.valid;
        reason = check.valid ? null : check.reason;
        if (!check.valid) {
          await record('mercadopago', eventId, empresa.id, false, reason, delivery.body);
          logger.warn({ empresa: empresa.id, reason }, 'mercado pago webhook with a bad signature');
          throw new UnauthorizedError('Firma de webhook inválida');
        }
      }
      const type = first(delivery.query.type) ?? first(delivery.query.topic) ?? delivery.body?.type;
      const recordId = await record('mercadopago', eventId, empresa.id, valid, reason, delivery.body);
      if (recordId === null) return { resultado: 'duplicado' };
      if (type !== 'payment' || !/^\d{1,20}$/.test(dataId)) {
        await transactions.finishWebhook(recordId, 'ignorado');
        return { resultado: 'ignorado' };
      }
      return { resultado: await fetchAndAct(recordId, 'mercadopago', empresa, dataId) };
    },

    async conekta(delivery: WebhookDelivery): Promise<{ resultado: string }> {
      const empresa = await loadEmpresa(delivery.empresaId);
      const event = delivery.body ?? {};
      const eventId = String(event.id ?? '');
      let valid = false;
      let reason: string | null = 'sin_llave_configurada';
      if (empresa.conekta_webhook_public_key) {
        const check = verifyConektaDigest(delivery.rawBody, delivery.headers.digest, empresa.conekta_webhook_public_key);
        valid = check.valid;
        reason = check.valid ? null : check.reason;
        if (!check.valid) {
          await record('conekta', eventId || 'sin_id', empresa.id, false, reason, event);
          logger.warn({ empresa: empresa.id, reason }, 'conekta webhook with a bad digest');
          throw new UnauthorizedError('Firma de webhook inválida');
        }
      }
      if (!eventId) return { resultado: 'ignorado' };
      const recordId = await record('conekta', eventId, empresa.id, valid, reason, event);
      if (recordId === null) return { resultado: 'duplicado' };
      const type = String(event.type ?? '');
      const object = event.data?.object ?? {};
      const orderId = type.startsWith('order.') ? object.id : type.startsWith('charge.') ? object.order_id : undefined;
      if (typeof orderId !== 'string' || !/^ord_[A-Za-z0-9]+$/.test(orderId)) {
        await transactions.finishWebhook(recordId, 'ignorado');
        return { resultado: 'ignorado' };
      }
      return { resultado: await fetchAndAct(recordId, 'conekta', empresa, orderId) };
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
