/**
 * Gateway webhooks. A delivery is verified, recorded (raw, with the outcome of
 * the signature check), deduplicated on the gateway's event id, and then the
 * payment is fetched again from the gateway: the webhook only says "look",
 * the gateway's own answer is what moves our transaction. Our transaction is
 * found through the reference we gave the gateway (Conekta metadata, Mercado
 * Pago external_reference), so a webhook that arrives before the payment
 * request stored the gateway id still finds its row.
 */
import type { Knex } from 'knex';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { NotFoundError, UnauthorizedError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { GatewayFactory } from './gateway-factory';
import { verifyConektaDigest, verifyMercadoPagoSignature, type GatewayName, type LookupOutcome } from '../../integrations/gateways';
import type { OutcomeApplier } from './outcomes';
import type { TransactionsStore } from './store';

export interface WebhookDelivery {
  empresaId: string;
  rawBody: string;
  body: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Stored payloads are capped: past this a row keeps the event's id and type and the size it had. */
export const MAX_STORED_PAYLOAD_BYTES = 16 * 1024;

export function cappedPayload(payload: unknown): string {
  const text = JSON.stringify(payload ?? null);
  if (Buffer.byteLength(text, 'utf8') <= MAX_STORED_PAYLOAD_BYTES) return text;
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const short = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 200) : null);
  return JSON.stringify({ truncado: true, bytes: Buffer.byteLength(text, 'utf8'), id: short(p.id), type: short(p.type) });
}

/** The `ts` Mercado Pago put in `x-signature` (`ts=<seconds>,v1=<hex>`), which the signature covers. */
function signedTs(header: string | string[] | undefined): string {
  const value = first(header) ?? '';
  return /(?:^|,)\s*ts=([0-9]{1,20})/.exec(value)?.[1] ?? '';
}

/** Refusal of a delivery we cannot verify; says what the company's admin must configure. */
export class UnverifiableWebhookError extends UnauthorizedError {}

export function createWebhookService(deps: {
  config: Config; knex: Knex; secrets: SecretBox; transactions: TransactionsStore; gateways: GatewayFactory; applyOutcome: OutcomeApplier; logger: Logger;
}) {
  const { config, knex, secrets, transactions, gateways, applyOutcome, logger } = deps;

  async function loadEmpresa(id: string) {
    const empresa = await knex('empresas').where({ id }).first('id', 'conekta_private_key_enc', 'conekta_webhook_public_key', 'mp_access_token_enc', 'mp_webhook_secret_enc');
    if (!empresa) throw new NotFoundError('Empresa no encontrada');
    return empresa;
  }

  /** Records the delivery; returns false when this event was already received (and verified). */
  async function record(gateway: GatewayName, eventId: string, empresaId: string, valid: boolean, reason: string | null, payload: unknown): Promise<number | null> {
    const inserted = await knex.raw(
      `INSERT INTO webhook_eventos (gateway, event_id, empresa_id, firma_valida, firma_motivo, payload)
       VALUES (?, ?, ?, ?, ?, ?::jsonb)
       ON CONFLICT (gateway, empresa_id, event_id) WHERE firma_valida DO NOTHING RETURNING id`,
      [gateway, eventId.slice(0, 200), empresaId, valid, reason, cappedPayload(payload)],
    );
    return inserted.rows[0]?.id ?? null;
  }

  /**
   * A delivery may only move transactions charged on the same gateway account it
   * came from: the company's own, or (Conekta) the platform's default key that
   * companies without their own key share, whose webhooks arrive at one URL.
   */
  async function sameGatewayAccount(rowEmpresaId: string, urlEmpresaId: string, gateway: GatewayName): Promise<boolean> {
    if (rowEmpresaId === urlEmpresaId) return true;
    if (gateway !== 'conekta' || !config.conekta.defaultPrivateKey) return false;
    const owners = await knex('empresas').whereIn('id', [rowEmpresaId, urlEmpresaId]).whereNull('conekta_private_key_enc').count<{ count: string }[]>('* as count');
    return Number(owners[0].count) === 2;
  }

  async function act(recordId: number, gateway: GatewayName, empresaId: string, outcome: LookupOutcome): Promise<string> {
    let resultado = 'ignorado';
    let trxId: string | null = null;
    const row = outcome.transaccionId ? await transactions.get(outcome.transaccionId) : undefined;
    if (row && row.gateway === gateway && (await sameGatewayAccount(row.empresa_id, empresaId, gateway))) {
      trxId = row.id;
      resultado = await applyOutcome(row, outcome, 'webhook');
    }
    await knex('webhook_eventos').where({ id: recordId }).update({ resultado, transaccion_id: trxId, procesado_en: knex.fn.now() });
    return resultado;
  }

  /** If the gateway cannot be asked now, forget the delivery so the gateway's retry is processed. */
  async function fetchAndAct(recordId: number, gateway: GatewayName, empresa: Awaited<ReturnType<typeof loadEmpresa>>, gatewayId: string): Promise<string> {
    try {
      const outcome = await gateways(empresa, gateway).fetchById(gatewayId);
      return await act(recordId, gateway, empresa.id, outcome);
    } catch (error) {
      await knex('webhook_eventos').where({ id: recordId }).delete();
      throw error;
    }
  }

  return {
    /**
     * Only signed deliveries are processed, and only on what the signature
     * covers: the manifest is `id:<data.id from the query>;request-id:<x-request-id>;ts:<ts>;`,
     * so the event is deduplicated on those three and the payment re-fetched by
     * that data.id. The body (its `id` included) is unsigned and never trusted.
     */
    async mercadoPago(delivery: WebhookDelivery): Promise<{ resultado: string }> {
      const empresa = await loadEmpresa(delivery.empresaId);
      const secret = secrets.open(empresa.mp_webhook_secret_enc);
      if (!secret) {
        logger.warn({ empresa: empresa.id }, 'mercado pago webhook refused: the company has no webhook secret');
        throw new UnverifiableWebhookError('Webhook rechazado: la empresa no configuró la clave secreta de webhooks de Mercado Pago (webhook_secret en /api/v1/payments/configurar-credenciales)');
      }
      const dataId = (first(delivery.query['data.id']) ?? '').trim().toLowerCase();
      const requestId = first(delivery.headers['x-request-id']) ?? '';
      const check = verifyMercadoPagoSignature({
        xSignature: delivery.headers['x-signature'], xRequestId: delivery.headers['x-request-id'], dataId,
        secret, toleranceSeconds: config.webhooks.toleranceSeconds,
      });
      // A gateway retry keeps its x-request-id (a new ts would make it look new); without one, the signed ts.
      const eventId = requestId ? `${dataId}|${requestId}` : `${dataId}|ts:${signedTs(delivery.headers['x-signature'])}`;
      if (!check.valid) {
        await record('mercadopago', eventId, empresa.id, false, check.reason, delivery.body);
        logger.warn({ empresa: empresa.id, reason: check.reason }, 'mercado pago webhook with a bad signature');
        throw new UnauthorizedError('Firma de webhook inválida');
      }
      const type = first(delivery.query.type) ?? first(delivery.query.topic) ?? delivery.body?.type;
      const recordId = await record('mercadopago', eventId, empresa.id, true, null, delivery.body);
      if (recordId === null) return { resultado: 'duplicado' };
      if (type !== 'payment' || !/^\d{1,20}$/.test(dataId)) {
        await knex('webhook_eventos').where({ id: recordId }).update({ resultado: 'ignorado', procesado_en: knex.fn.now() });
        return { resultado: 'ignorado' };
      }
      return { resultado: await fetchAndAct(recordId, 'mercadopago', empresa, dataId) };
    },

    /** Conekta signs the whole raw body (`digest`), so its event id is covered and deduplicated on. */
    async conekta(delivery: WebhookDelivery): Promise<{ resultado: string }> {
      const empresa = await loadEmpresa(delivery.empresaId);
      const event = delivery.body ?? {};
      const eventId = String(event.id ?? '');
      if (!empresa.conekta_webhook_public_key) {
        logger.warn({ empresa: empresa.id }, 'conekta webhook refused: the company has no webhook key');
        throw new UnverifiableWebhookError('Webhook rechazado: la empresa no configuró la llave pública de webhooks de Conekta (webhook_public_key en /api/v1/admin/mi-empresa/configurar-conekta)');
      }
      const check = verifyConektaDigest(delivery.rawBody, delivery.headers.digest, empresa.conekta_webhook_public_key);
      if (!check.valid) {
        await record('conekta', eventId || 'sin_id', empresa.id, false, check.reason, event);
        logger.warn({ empresa: empresa.id, reason: check.reason }, 'conekta webhook with a bad digest');
        throw new UnauthorizedError('Firma de webhook inválida');
      }
      if (!eventId) return { resultado: 'ignorado' };
      const recordId = await record('conekta', eventId, empresa.id, true, null, event);
      if (recordId === null) return { resultado: 'duplicado' };
      const type = String(event.type ?? '');
      const object = event.data?.object ?? {};
      const orderId = type.startsWith('order.') ? object.id : type.startsWith('charge.') ? object.order_id : undefined;
      if (typeof orderId !== 'string' || !/^ord_[A-Za-z0-9]+$/.test(orderId)) {
        await knex('webhook_eventos').where({ id: recordId }).update({ resultado: 'ignorado', procesado_en: knex.fn.now() });
        return { resultado: 'ignorado' };
      }
      return { resultado: await fetchAndAct(recordId, 'conekta', empresa, orderId) };
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
