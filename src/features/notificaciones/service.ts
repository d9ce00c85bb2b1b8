/**
 * Telegram notifications of sales and declines, as the original sent them but
 * safely (issue 13):
 * - sent by the `notify-telegram` job, never in the payment request, retried
 *   with backoff while Telegram is unreachable;
 * - for both gateways (the original only notified Mercado Pago);
 * - only for a confirmed sale (the original also announced pending charges as
 *   approved) and for a decline;
 * - plan, amount, customer name and transaction only: never the hotspot
 *   password (the original sent it in clear), never card data;
 * - the bot token is stored sealed (SecretBox) and never shown or logged.
 */
import type { SecretBox } from '../../platform/crypto/secret-box';
import { BadRequestError, NotFoundError, UpstreamError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { escapeHtml, TelegramError, type TelegramClient } from '../../integrations/telegram';
import type { EmpresasStore } from '../empresas';
import type { FactEvent, TransaccionesStore } from '../transacciones';
import type { GatewayRegistry } from '../../integrations/gateways';

export type SaleEvent = 'venta' | 'rechazo';
export type NotifyResult = 'sent' | 'disabled' | 'not_configured' | 'already_sent' | 'not_applicable' | 'rejected';

const SENT = (evento: SaleEvent) => `telegram_${evento}_enviado` as const;

export function saleMessage(empresa: string, gatewayLabel: string, venta: { producto_nombre: string; monto: string; moneda: string; cliente_nombre: string; gateway: string; gateway_id: string | null; id: string; decline_message: string | null }, evento: SaleEvent): string {
  const lines = evento === 'venta' ? ['✅ <b>¡Pago Aprobado!</b>', ''] : ['❌ <b>Pago Rechazado</b>', ''];
  lines.push(
    `🏢 <b>Empresa:</b> ${escapeHtml(empresa)}`,
    `📦 <b>Plan:</b> ${escapeHtml(venta.producto_nombre)}`,
    `💰 <b>Monto:</b> $${escapeHtml(venta.monto)} ${escapeHtml(venta.moneda)}`,
    `👤 <b>Cliente:</b> ${escapeHtml(venta.cliente_nombre)}`,
    `🧾 <b>Transacción:</b> ${escapeHtml(venta.gateway_id ?? venta.id)} (${escapeHtml(venta.id)})`,
    `💳 <b>Pasarela:</b> ${escapeHtml(gatewayLabel)}`,
  );
  if (evento === 'rechazo') lines.push(`📝 <b>Motivo:</b> ${escapeHtml(venta.decline_message ?? 'El pago no fue aprobado')}`);
  return lines.join('\n');
}

export function createNotificacionesService(deps: {
  empresas: Pick<EmpresasStore, 'find'>; transacciones: Pick<TransaccionesStore, 'get' | 'event' | 'history'>;
  secrets: SecretBox; telegram: TelegramClient; logger: Logger;
  /** The gateways' names for people. */
  gateways: Pick<GatewayRegistry, 'find'>;
}) {
  const { secrets, telegram, logger, transacciones } = deps;
  const store = {
    empresa: (empresaId: string) => deps.empresas.find(empresaId),
    venta: (transaccionId: string) => transacciones.get(transaccionId),
    wasSent: async (transaccionId: string, tipo: string) => (await transacciones.history(transaccionId)).some((e) => e.tipo === tipo),
    record: (transaccionId: string, tipo: FactEvent, detalle: Record<string, unknown>) => transacciones.event(transaccionId, tipo, detalle),
  };

  return {
    /** The job's work. Throws (so the job retries) only when Telegram may accept it later. */
    async notifySale(transaccionId: string, evento: SaleEvent): Promise<NotifyResult> {
      const venta = await store.venta(transaccionId);
      if (!venta) return 'not_applicable';
      const sold = ['paid', 'refunded', 'charged_back'].includes(venta.estado_pago);
      if (evento === 'venta' ? !sold : venta.estado_pago !== 'declined') return 'not_applicable';
      const empresa = await store.empresa(venta.empresa_id);
      if (!empresa?.notificaciones_telegram) return 'disabled';
      const token = secrets.open(empresa.telegram_bot_token_enc);
      if (!token || !empresa.telegram_chat_id) return 'not_configured';
      if (await store.wasSent(transaccionId, SENT(evento))) return 'already_sent';
      try {
        await telegram.sendMessage(token, empresa.telegram_chat_id, saleMessage(empresa.nombre, deps.gateways.find(venta.gateway)?.label ?? venta.gateway, venta, evento));
      } catch (error) {
        if (error instanceof TelegramError && !error.retryable) {
          await store.record(transaccionId, `telegram_${evento}_rechazado` as const, { motivo: error.detail });
          logger.warn({ trx: transaccionId, reason: error.detail }, 'telegram notification refused; not retried');
          return 'rejected';
        }
        throw error;
      }
      await store.record(transaccionId, SENT(evento), {});
      return 'sent';
    },

    /** POST /api/v1/admin/test-telegram: the token and chat sent, or the stored ones. */
    async sendTest(empresaId: string, body: { token?: string | null; chat_id?: string | number | null }) {
      const empresa = await store.empresa(empresaId);
      if (!empresa) throw new NotFoundError('Empresa no encontrada');
      const token = (body.token ?? '').trim() || secrets.open(empresa.telegram_bot_token_enc);
      const chatId = String(body.chat_id ?? '').trim() || empresa.telegram_chat_id;
      if (!token || !chatId) throw new BadRequestError('Faltan credenciales (Token o Chat ID)');
      try {
        await telegram.sendMessage(token, chatId, `✅ <b>Mensaje de prueba</b>\n\nLas notificaciones de ventas de ${escapeHtml(empresa.nombre)} llegarán a este chat.`);
      } catch (error) {
        if (error instanceof TelegramError) throw new UpstreamError(error.detail);
        throw error;
      }
      return { message: 'Mensaje de prueba enviado con éxito', success: true, notificaciones_telegram: empresa.notificaciones_telegram };
    },
  };
}

export type NotificacionesService = ReturnType<typeof createNotificacionesService>;
