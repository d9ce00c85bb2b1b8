/**
 * Cash at convenience stores (issue 15): OXXO through Conekta or Mercado
 * Pago, Paycash through Mercado Pago; and SPEI bank transfers (issue 24):
 * a CLABE per payment from Conekta (`spei`) or Mercado Pago (`clabe`), the
 * same pending-until-the-webhook path.
 *
 * The transaction row (pending, hotspot credentials, `metodo_pago`) is written
 * before the gateway is asked for a reference, exactly like a card sale, so a
 * repeat of the same Idempotency-Key finds the same row and never issues a
 * second reference. The row stays `pending` for days: the gateway's signed
 * webhook (verified, re-fetched) or the confirmation job/reconciler move it to
 * `paid`, and from there it is a card sale (provisioning job, credentials on
 * the status endpoint). `confirmar_hasta` is the reference's expiry plus a
 * margin: until then a pending reference is asked about, never given up; an
 * unpaid one ends `expired` and nothing is provisioned.
 */
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { PaymentDeclinedError, TooManyRequestsError, ValidationError } from '../../platform/errors';
import type { RouterPrincipal } from '../../platform/http/context';
import type { JobQueues } from '../../platform/jobs/queues';
import type { Logger } from '../../platform/logger';
import { toCents } from '../../platform/money';
import type { RateLimits } from '../../platform/rate-limits';
import { GatewayError, GatewayRequestError, type CashChargeOutcome, type CashMethod, type GatewayName, type GatewayRegistry } from '../../integrations/gateways';
import { CASH_METHOD_WHERE, cashFields, cashMethodList } from './cash-fields';
import { newPendingRow } from './pending-row';
import type { GatewayFactory } from '../transacciones';
import { requestFingerprint, type PurchaseAnswer, type PurchaseService } from './purchase-service';
import type { CashReferencesStore, TransaccionRow, TransaccionesStore } from '../transacciones';

export interface CashPurchaseInput {
  gateway: GatewayName;
  method: CashMethod;
  productoId: number;
  customer: { name: string; email: string; phone?: string };
  tipoUsuario: 'usuario_contrasena' | 'pin';
  mac?: string;
  ip?: string;
  conexionAutomatica: boolean;
  rawBody: unknown;
  idempotencyKey: string;
  /** The auth generation the request's key was checked in (the card purchase's cache of what is for sale). */
  generation?: string | null;
}

/** OXXO's limits (GATEWAYS.md): 10.00 to 10,000.00 MXN. */
const MIN_CENTS = 1000;
const MAX_CENTS = 1_000_000;
/** Retry-After of a refused reference: one may be paid or expire by then. */
const REFERENCIAS_RETRY_AFTER_S = 15 * 60;

export function createCashPaymentService(deps: {
  config: Config;
  secrets: SecretBox;
  transacciones: TransaccionesStore;
  references: CashReferencesStore;
  gateways: GatewayFactory;
  registry: GatewayRegistry;
  jobs: JobQueues;
  rateLimits: RateLimits;
  purchases: PurchaseService;
  logger: Logger;
}) {
  const { config, secrets, transacciones, references, gateways, registry, jobs, rateLimits, purchases, logger } = deps;

  function answer(row: TransaccionRow): PurchaseAnswer {
    if (row.estado_pago === 'declined' || row.estado_pago === 'expired') {
      throw new PaymentDeclinedError(row.decline_message ?? 'No se pudo generar la referencia de pago', {
        success: false, transaccion_id: row.id, estado_pago: row.estado_pago,
      });
    }
    if (row.estado_pago === 'pending' && row.referencia_pago) {
      return {
        status: 200,
        body: {
          success: true,
          transaccion_id: row.id,
          id_transaccion: row.gateway_id ?? row.id,
          estado_pago: 'pending',
          estado_hotspot: row.estado_hotspot,
          tipo_usuario: row.tipo_usuario,
          usuario_hotspot: null,
          producto: { id: row.producto_id, nombre: row.producto_nombre, precio: Number(row.monto), precio_decimal: row.monto, moneda: row.moneda },
          cliente: { nombre: row.cliente_nombre, email: row.cliente_email },
          timestamp: new Date(row.creado_en).toISOString(),
          ...cashFields(row),
          mensaje: row.metodo_pago === 'spei'
            ? 'Transfiere por SPEI desde tu banco antes de que expire. Tu acceso se activará al confirmarse la transferencia.'
            : `Paga en ${row.metodo_pago === 'oxxo' ? 'OXXO' : 'Paycash'} con esta referencia antes de que expire. Tu acceso se activará al confirmarse el pago.`,
        },
      };
    }
    // Paid already (a repeat after paying), or the gateway has not answered yet: the card answer, with the cash fields.
    return purchases.answer(row);
  }

  async function enqueueConfirmation(id: string) {
    await jobs.enqueue('confirm-charge', { transaccionId: id }, { delay: config.jobs.backoffBaseMs }).catch((error: Error) =>
      logger.warn({ trx: id, err: { message: error.message } }, 'confirmation not enqueued; the reconciler will pick it up'));
  }

  /** The gateway's answer applied; the row as it is after (null: read it). */
  async function apply(row: TransaccionRow, outcome: CashChargeOutcome): Promise<TransaccionRow | null> {
    const detail = { gateway_status: outcome.gatewayStatus, gateway_status_detail: outcome.gatewayStatusDetail, metodo: row.metodo_pago };
    if (outcome.status === 'pending' && outcome.cash) {
      const saved = await references.guardarReferencia(row.id, {
        ...(outcome.gatewayId ? { gateway_id: outcome.gatewayId } : {}),
        referencia_pago: outcome.cash.reference,
        referencia_url: outcome.cash.ticketUrl ?? null,
        ...(outcome.cash.expiresAt ? { referencia_expira_en: outcome.cash.expiresAt } : {}),
        ...(row.metodo_pago === 'spei' ? { referencia_clabe: outcome.cash.clabe ?? null, referencia_banco: outcome.cash.bank ?? null } : {}),
      }, { ...detail, referencia: outcome.cash.reference });
      // The webhook is the main path; this (and the reconciler) is the net under it.
      await enqueueConfirmation(row.id);
      return (saved as TransaccionRow | undefined) ?? null;
    }
    if (outcome.status === 'declined') {
      await transacciones.transition(row.id, {
        from: ['pending', 'unknown'], event: 'pago_declinado', detail,
        set: { ...(outcome.gatewayId ? { gateway_id: outcome.gatewayId } : {}), decline_code: outcome.declineCode ?? null, decline_message: outcome.declineMessage ?? null },
      });
      return null;
    }
    await transacciones.transition(row.id, {
      from: ['pending'], event: 'respuesta_ambigua', detail,
      set: outcome.gatewayId ? { gateway_id: outcome.gatewayId } : {},
    });
    await enqueueConfirmation(row.id);
    return null;
  }

  return {
    answer,

    async pay(principal: RouterPrincipal, input: CashPurchaseInput): Promise<PurchaseAnswer> {
      const fingerprint = requestFingerprint({ gateway: input.gateway, metodo: input.method, body: input.rawBody });
      const previous = await transacciones.findByIdempotencyKey(principal.routerId, input.idempotencyKey);
      if (previous) {
        if (previous.request_hash !== fingerprint) throw new ValidationError('La Idempotency-Key ya se usó con una solicitud distinta', 'Idempotency-Key');
        return answer(previous);
      }
      const provider = registry.find(input.gateway);
      if (!provider) throw new ValidationError('Pasarela de pago desconocida', 'pasarela');
      if (!provider.cashMethods.includes(input.method)) {
        throw new ValidationError(`Con ${provider.label} solo se puede pagar ${cashMethodList(provider.cashMethods)}`, 'metodo');
      }
      if (provider.phoneRequired(input.method) && !input.customer.phone) {
        throw new ValidationError(`El campo 'telefono_cliente' es obligatorio para pagar ${CASH_METHOD_WHERE[input.method]} con ${provider.label}`, 'telefono_cliente');
      }

      const { product, empresa } = await purchases.sellable(principal, input.productoId, input.generation ?? null); // 404 when not for sale here
      if (product.moneda !== 'MXN') {
        throw new ValidationError(`Los pagos ${input.method === 'spei' ? 'por SPEI' : 'en efectivo'} solo se aceptan en pesos mexicanos (MXN)`, 'producto_id');
      }
      const amountCents = toCents(product.precio);
      // SPEI has no store limits; a store (OXXO, Paycash) takes 10.00 to 10,000.00 MXN.
      if (input.method !== 'spei' && (amountCents < MIN_CENTS || amountCents > MAX_CENTS)) {
        throw new ValidationError('Los pagos en efectivo aceptan de $10.00 a $10,000.00 MXN; este producto está fuera de ese rango', 'producto_id');
      }
      const gateway = gateways(empresa, input.gateway); // 400 when the company has not configured it

      await rateLimits.consume('paymentsPerRouter', principal.routerId, 'Demasiados intentos de pago en este punto de acceso. Inténtalo de nuevo en {s} segundos');
      const device = input.mac ?? input.ip;
      if (device) {
        await rateLimits.consume('paymentsPerDevice', `${principal.routerId}|${device}`, 'Demasiados intentos de pago desde este dispositivo. Inténtalo de nuevo en {s} segundos');
      }

      // Each open reference is a row the reconciler asks the gateway about for days: a router (or one
      // device) may keep only so many open at once (issue 21). A retry of the same key was answered above.
      const abiertas = await references.referenciasAbiertas(principal.routerId, { mac: input.mac, ip: input.ip }, new Date());
      if (abiertas.router >= config.payments.cashMaxOpenPerRouter) {
        throw new TooManyRequestsError('Este punto de acceso tiene demasiadas referencias de pago en efectivo sin pagar. Paga una de ellas o espera a que venzan', REFERENCIAS_RETRY_AFTER_S, { code: 'limite_referencias' });
      }
      if (device && abiertas.device >= config.payments.cashMaxOpenPerDevice) {
        throw new TooManyRequestsError('Este dispositivo ya tiene varias referencias de pago en efectivo sin pagar. Paga una de ellas o espera a que venzan', REFERENCIAS_RETRY_AFTER_S, { code: 'limite_referencias' });
      }

      const expiresAt = new Date(Date.now() + config.payments.cashReferenceHours * 3600_000);
      const { row, created } = await transacciones.insertPending({
        ...newPendingRow(secrets, {
          principal, product, gateway: input.gateway, idempotencyKey: input.idempotencyKey, fingerprint, customer: input.customer,
          mac: input.mac, ip: input.ip, tipoUsuario: input.tipoUsuario, conexionAutomatica: input.conexionAutomatica,
          // Days, not the card's hours: the reference is payable until it expires.
          confirmarHasta: new Date(expiresAt.getTime() + config.payments.cashConfirmMarginMs),
        }),
        metodo_pago: input.method,
        referencia_expira_en: expiresAt,
      });
      if (!created) {
        if (row.request_hash !== fingerprint) throw new ValidationError('La Idempotency-Key ya se usó con una solicitud distinta', 'Idempotency-Key');
        return answer(row);
      }

      let outcome: CashChargeOutcome;
      try {
        outcome = await gateway.chargeCash({
          transaccionId: row.id,
          idempotencyKey: row.id,
          amountCents,
          currency: product.moneda,
          description: `${empresa.nombre}: ${product.nombre_venta}`.slice(0, 200),
          customer: input.customer,
          method: input.method,
          expiresAt,
          ...(provider.sendsWebhookUrlWithCharge ? { notificationUrl: registry.webhookUrl(config.publicBaseUrl, provider.id, principal.empresaId) } : {}),
        });
      } catch (error) {
        if (error instanceof GatewayError) {
          await transacciones.transition(row.id, {
            from: ['pending'], event: 'pago_rechazado_por_configuracion',
            set: { decline_code: error.name, decline_message: error.detail }, detail: { error: error.name },
          });
          if (error instanceof GatewayRequestError) throw new ValidationError(error.detail);
          throw error;
        }
        logger.error({ trx: row.id, err: error }, 'cash reference failed unexpectedly');
        outcome = { status: 'unknown' };
      }
      const after = await apply(row, outcome);
      return answer(after ?? (await transacciones.get(row.id))!);
    },
  };
}

export type CashPaymentService = ReturnType<typeof createCashPaymentService>;
