/**
 * Gateway webhooks. A delivery is verified, recorded (raw, with the outcome of
 * the signature check), deduplicated on the gateway's event id, and then the
 * payment is fetched again from the gateway: the webhook only says "look",
 * the gateway's own answer is what moves our transaction. Our transaction is
 * found through the reference we gave the gateway (Conekta metadata, Mercado
 * Pago external_reference), so a webhook that arrives before the payment
 * request stored the gateway id still finds its row.
 */
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { NotFoundError, UnauthorizedError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { GatewayFactory } from '../transacciones';
import type { GatewayName, GatewayRegistry, LookupOutcome, WebhookDelivery as GatewayDelivery } from '../../integrations/gateways';
import type { OutcomeApplier } from '../transacciones';
import type { TransaccionesStore } from '../transacciones';
import { gatewaySettings, type EmpresaRow, type EmpresasStore } from '../empresas';

export interface WebhookDelivery extends GatewayDelivery {
  empresaId: string;
}

/** Stored payloads are capped: past this a row keeps the event's id and type and the size it had. */
export const MAX_STORED_PAYLOAD_BYTES = 16 * 1024;

export function cappedPayload(payload: unknown): string {
  const text = JSON.stringify(payload ?? null);
  if (Buffer.byteLength(text, 'utf8') <= MAX_STORED_PAYLOAD_BYTES) return text;
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const short = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 200) : null);
  return JSON.stringify({ truncado: true, bytes: Buffer.byteLength(text, 'utf8'), id: short(p.id), type: short(p.type) });
}

/** Refusal of a delivery we cannot verify; says what the company's admin must configure. */
export class UnverifiableWebhookError extends UnauthorizedError {}

export function createWebhookService(deps: {
  config: Config; secrets: SecretBox; transacciones: TransaccionesStore; empresas: Pick<EmpresasStore, 'find'>; registry: GatewayRegistry; gateways: GatewayFactory;
  outcomes: OutcomeApplier; logger: Logger;
  /** The public PEM of the platform Conekta key's webhook registration (issue 23); null: not registered. */
  platformConektaKey?: () => Promise<string | null>;
}) {
  const { config, secrets, transacciones, registry, gateways, outcomes, logger } = deps;

  async function loadEmpresa(id: string) {
    const empresa = await deps.empresas.find(id);
    if (!empresa) throw new NotFoundError('Empresa no encontrada');
    return empresa;
  }

  /** Records the delivery; returns false when this event was already received (and verified). */
  async function record(gateway: GatewayName, eventId: string, empresaId: string, valid: boolean, reason: string | null, payload: unknown): Promise<number | null> {
    return transacciones.recordWebhook({ gateway, eventId, empresaId, valid, reason, payloadJson: cappedPayload(payload) });
  }

  /**
   * A delivery may only move transactions charged on the same gateway account it
   * came from: the company's own, or the platform's account of that gateway
   * (Conekta's default key) that companies without their own key share.
   */
  async function sameGatewayAccount(rowEmpresaId: string, urlEmpresaId: string, gateway: GatewayName): Promise<boolean> {
    if (rowEmpresaId === urlEmpresaId) return true;
    const platformAccount = registry.get(gateway).credentials.platformAccount;
    if (!platformAccount) return false;
    const owners = await Promise.all([deps.empresas.find(rowEmpresaId), deps.empresas.find(urlEmpresaId)]);
    return owners.every((empresa) => empresa && platformAccount(gatewaySettings(empresa, gateway, secrets), config));
  }

  async function act(recordId: number, gateway: GatewayName, empresa: EmpresaRow, outcome: LookupOutcome): Promise<string> {
    const empresaId = empresa.id;
    let resultado = 'ignorado';
    let trxId: string | null = null;
    const row = outcome.transaccionId ? await transacciones.get(outcome.transaccionId) : undefined;
    if (row && row.gateway === gateway && (await sameGatewayAccount(row.empresa_id, empresaId, gateway))) {
      trxId = row.id;
      // The company's Telegram notice is a job only when it enabled them (known here when the sale is the delivery's company's).
      resultado = await outcomes.applyOutcome(row, outcome, 'webhook', row.empresa_id === empresaId ? { notify: Boolean(empresa.notificaciones_telegram) } : {});
    }
    await transacciones.finishWebhook(recordId, resultado, trxId);
    return resultado;
  }

  /** If the gateway cannot be asked now, forget the delivery so the gateway's retry is processed. */
  async function fetchAndAct(recordId: number, gateway: GatewayName, empresa: EmpresaRow, gatewayId: string): Promise<string> {
    try {
      const outcome = await gateways(empresa, gateway).fetchById(gatewayId);
      return await act(recordId, gateway, empresa, outcome);
    } catch (error) {
      await transacciones.forgetWebhook(recordId);
      throw error;
    }
  }

  /**
   * Any gateway's delivery: the gateway's own parser verifies it and says what to
   * look at. Only signed deliveries are processed, and only on what the signature
   * covers (the parser's event id and gateway id); a company without a webhook key
   * gets a refusal that says what to configure.
   */
  async function receive(gateway: GatewayName, delivery: WebhookDelivery, verifyWith?: string | null): Promise<{ resultado: string }> {
    const empresa = await loadEmpresa(delivery.empresaId);
    const provider = registry.get(gateway);
    const parser = provider.webhooks;
    // The company's key for checking this gateway's signatures (null: none configured).
    const key = verifyWith === undefined ? provider.credentials.webhookKey(gatewaySettings(empresa, gateway, secrets)) : verifyWith;
    const parsed = parser.parseWebhook(delivery, key, { toleranceSeconds: config.webhooks.toleranceSeconds });
    const { signature } = parsed;
    if (signature.status === 'unconfigured') {
      logger.warn({ empresa: empresa.id, gateway }, 'webhook refused: the company has no webhook key');
      throw new UnverifiableWebhookError(parser.unconfiguredMessage);
    }
    if (signature.status === 'invalid') {
      await record(gateway, parsed.eventId ?? 'sin_id', empresa.id, false, signature.reason, delivery.body);
      logger.warn({ empresa: empresa.id, gateway, reason: signature.reason }, 'webhook with a bad signature');
      throw new UnauthorizedError('Firma de webhook inválida');
    }
    if (!parsed.eventId) return { resultado: 'ignorado' };
    const recordId = await record(gateway, parsed.eventId, empresa.id, true, null, delivery.body);
    if (recordId === null) return { resultado: 'duplicado' };
    if (!parsed.gatewayId) {
      await transacciones.finishWebhook(recordId, 'ignorado');
      return { resultado: 'ignorado' };
    }
    return { resultado: await fetchAndAct(recordId, gateway, empresa, parsed.gatewayId) };
  }

  /**
   * The platform Conekta key's one URL (issue 23): the company comes from the
   * order the event names (our transaction id in its metadata, or its order id);
   * only a company selling on the platform key is processed, and the delivery is
   * verified with the platform registration's key. Anything else is ignored (200).
   */
  async function conektaPlatform(delivery: Omit<WebhookDelivery, 'empresaId'>): Promise<{ resultado: string }> {
    if (!config.conekta.defaultPrivateKey || !deps.platformConektaKey) return { resultado: 'ignorado' };
    const object = (delivery.body as { data?: { object?: Record<string, unknown> } })?.data?.object ?? {};
    const metadata = object['metadata'] as Record<string, unknown> | undefined;
    const trxId = typeof metadata?.['transaccion_id'] === 'string' ? metadata['transaccion_id'] as string : null;
    const orderId = typeof object['order_id'] === 'string' ? object['order_id'] as string : typeof object['id'] === 'string' ? object['id'] as string : null;
    const row = (trxId ? await transacciones.get(trxId) : undefined) ?? (orderId ? await transacciones.findByGatewayId('conekta', orderId) : undefined);
    if (!row || row.gateway !== 'conekta') return { resultado: 'ignorado' };
    const empresa = await deps.empresas.find(row.empresa_id);
    if (!empresa || !registry.get('conekta').credentials.platformAccount?.(gatewaySettings(empresa, 'conekta', secrets), config)) return { resultado: 'ignorado' };
    return receive('conekta', { ...delivery, empresaId: empresa.id }, await deps.platformConektaKey());
  }

  return {
    receive,
    conektaPlatform,
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
