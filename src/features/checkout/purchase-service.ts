/**
 * Buying access, exactly once (ARCHITECTURE.md, "One card purchase, file by file").
 *
 * 1. The transaction row (pending, with its hotspot credentials) is written
 *    before the gateway is called; the (router, idempotency key) unique index
 *    makes every copy of a request find the same row.
 * 2. Only the request that created the row charges, with our idempotency key.
 * 3. The answer moves the row by conditional UPDATE; provisioning is due as
 *    soon as the row is `paid` (a job does it; the reconciler guarantees it).
 * 4. Every copy answers from the row, so all copies get the same outcome.
 */
import crypto from 'node:crypto';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { RouterPrincipal } from '../../platform/http/context';
import { BadRequestError, NotFoundError, PaymentDeclinedError, TooManyRequestsError, ValidationError } from '../../platform/errors';
import { GenerationCache } from '../../platform/auth-generation';
import type { Listener, Signals } from '../../platform/signals';
import type { Logger } from '../../platform/logger';
import type { RateLimits } from '../../platform/rate-limits';
import { cashFields } from './cash-fields';
import { newPendingRow } from './pending-row';
import { applySettledSignal, type GatewayFactory } from '../transacciones';
import { GatewayError, GatewayRequestError, mercadoPagoStatusWord, PENDING_MESSAGE, type ChargeOutcome, type GatewayName, type GatewayRegistry } from '../../integrations/gateways';
import { toCents } from '../../platform/money';
import type { OutcomeApplier } from '../transacciones';
import type { EmpresasStore } from '../empresas';
import type { ProductosStore } from '../productos';
import type { TransaccionRow, TransaccionesStore } from '../transacciones';

export interface PurchaseInput {
  gateway: GatewayName;
  productoId: number;
  cardToken: string;
  customer: { name: string; email: string; phone?: string };
  tipoUsuario: 'usuario_contrasena' | 'pin';
  mac?: string;
  ip?: string;
  deviceId?: string;
  conexionAutomatica: boolean;
  mercadoPago?: { paymentMethodId: string; issuerId?: string; installments?: number; monto?: string };
  /** The request as received, for the idempotency fingerprint. */
  rawBody: unknown;
  idempotencyKey?: string;
  /**
   * The auth generation the request's key was checked in (auth-generation.ts):
   * the product and company are reused from this process's cache while no
   * admin write has happened since. Null or absent: read from PostgreSQL.
   */
  generation?: string | null;
}

export interface PurchaseAnswer {
  status: number;
  body: Record<string, unknown>;
}

const POLL_MS = 100;
/** A lost provisioning signal costs at most this: the wait re-reads PostgreSQL this often. */
export const PROVISIONING_POLL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Canonical JSON (object keys sorted, as JSON.stringify writes everything else),
 * built with an explicit stack: no nesting depth can overflow the call stack.
 */
export function canonicalJson(root: unknown): string {
  type Frame = { text: string } | { value: unknown };
  const out: string[] = [];
  const stack: Frame[] = [{ value: root }];
  const scalar = (value: unknown) => JSON.stringify(value) ?? 'null';
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('text' in frame) {
      out.push(frame.text);
      continue;
    }
    const value = frame.value;
    if (value === null || typeof value !== 'object') {
      out.push(scalar(value));
      continue;
    }
    const frames: Frame[] = [];
    if (Array.isArray(value)) {
      frames.push({ text: '[' });
      value.forEach((item, index) => {
        if (index > 0) frames.push({ text: ',' });
        frames.push({ value: item === undefined || typeof item === 'function' ? null : item });
      });
      frames.push({ text: ']' });
    } else {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== 'function').sort();
      frames.push({ text: '{' });
      keys.forEach((key, index) => {
        frames.push({ text: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` }, { value: record[key] });
      });
      frames.push({ text: '}' });
    }
    for (let k = frames.length - 1; k >= 0; k--) stack.push(frames[k]);
  }
  return out.join('');
}

/** Stable fingerprint of a request body: key order does not matter. */
export function requestFingerprint(body: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Without an Idempotency-Key the single-use card token is the key; it is
 * stored hashed, so the table never holds a usable token.
 */
export function tokenIdempotencyKey(cardToken: string): string {
  return `token:${crypto.createHash('sha256').update(cardToken).digest('hex')}`;
}

const DECLINES_DETAIL = 'Se rechazaron demasiados pagos con tarjeta en este punto de acceso. Por seguridad los pagos se pausaron; inténtalo de nuevo en {s} segundos';

/** Whether the presented Idempotency-Key is the purchase's own (compared in constant time). */
function sameKey(presented: string | undefined, stored: string): boolean {
  if (!presented) return false;
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(presented), digest(stored));
}

/** A status answer for a caller who is not the buyer: no credentials, no customer, no device. */
function withoutPersonalData(result: PurchaseAnswer): PurchaseAnswer {
  const body: Record<string, unknown> = { ...result.body, usuario_hotspot: null, cliente: null };
  const auto = body.auto_conexion as Record<string, unknown> | undefined;
  if (auto) body.auto_conexion = { ...auto, mac: null, ip: null };
  return { ...result, body };
}

export function createPurchaseService(deps: {
  config: Config;
  secrets: SecretBox;
  transacciones: TransaccionesStore;
  gateways: GatewayFactory;
  /** The gateway providers (each one's webhook URL is built by the registry). */
  registry: GatewayRegistry;
  /** The empresas and productos features' stores (their public entries). */
  empresas: Pick<EmpresasStore, 'find'>;
  productos: Pick<ProductosStore, 'vendible'>;
  /** The router's mode (api | radius): a sale on an API-mode router is provisioned by its job only. */
  routerModo: (routerId: string) => Promise<'api' | 'radius'>;
  outcomes: OutcomeApplier;
  signals: Pick<Signals, 'listen'>;
  rateLimits: RateLimits;
  logger: Logger;
  /** Has the confirmation job ask the gateway now (it looks up, never charges); failures are logged, the reconciler remains. */
  confirmNow?: (transaccionId: string) => Promise<unknown>;
}) {
  const { config, secrets, transacciones, gateways, outcomes, signals, rateLimits } = deps;

  /**
   * Product and company as last read, valid while the auth generation is
   * unchanged (every admin write moves it before it answers, as for the
   * portal's key checks and catalogs) and for a short TTL.
   */
  const sellables = new GenerationCache<{
    product: NonNullable<Awaited<ReturnType<ProductosStore['vendible']>>>; empresa: NonNullable<Awaited<ReturnType<EmpresasStore['find']>>>; modo: 'api' | 'radius';
  }>(30_000);

  /** The product for sale on this router (the productos feature's one answer), the company it charges for and the router's mode; every payment path asks this. */
  async function loadProduct(principal: RouterPrincipal, productoId: number, generation: string | null = null) {
    const cacheKey = `${principal.empresaId}|${principal.routerId}|${productoId}`;
    const cached = sellables.get(cacheKey, generation);
    if (cached) return cached;
    const [product, empresa, modo] = await Promise.all([
      deps.productos.vendible(principal.empresaId, principal.routerId, productoId), deps.empresas.find(principal.empresaId), deps.routerModo(principal.routerId),
    ]);
    if (!product || !empresa) throw new NotFoundError('Producto no encontrado o no disponible');
    sellables.set(cacheKey, generation, { product, empresa, modo });
    return { product, empresa, modo };
  }

  /** The answer for the row as it is now: the same for every copy of the request. */
  function answer(row: TransaccionRow): PurchaseAnswer {
    const paid = row.estado_pago === 'paid';
    // Pending (or ambiguous) charges answer 202 as the original answered a pending
    // Mercado Pago payment: success, the credentials and `advertencia`. A portal
    // written for the original shows the credentials with the warning, so the
    // customer does not pay again; they work once the gateway confirms (the
    // router user is created only then) and never if it declines.
    const waiting = row.estado_pago === 'pending' || row.estado_pago === 'unknown';
    const body: Record<string, unknown> = {
      success: paid || waiting,
      id_transaccion: row.gateway_id ?? row.id,
      transaccion_id: row.id,
      estado_pago: row.estado_pago,
      estado_hotspot: row.estado_hotspot,
      tipo_usuario: row.tipo_usuario,
      usuario_hotspot: paid || waiting ? { usuario: row.hotspot_usuario, contrasena: secrets.open(row.hotspot_password_enc) } : null,
      // `precio` a JSON number as the original returned it (display only); the exact decimal beside it.
      producto: {
        id: row.producto_id, nombre: row.producto_nombre, precio: Number(row.monto), precio_decimal: row.monto, moneda: row.moneda,
        perfil_mikrotik: row.perfil_mikrotik_nombre,
      },
      cliente: { nombre: row.cliente_nombre, email: row.cliente_email },
      timestamp: new Date(row.creado_en).toISOString(),
      auto_conexion: autoConexion(row),
      mensaje: messageFor(row),
      // What a receipt needs: when the access ends (null: only the plan's uptime limits it).
      acceso: {
        expira_en: row.hotspot_expira_en ? new Date(row.hotspot_expira_en).toISOString() : null,
        limit_uptime: row.limit_uptime,
        vigencia_minutos: row.vigencia_minutos,
      },
      ...cashFields(row), // cash at a store (issue 15): reference, expiry, instructions
    };
    if (waiting) body.advertencia = 'Pago pendiente de confirmación';
    if (row.gateway === 'mercadopago' && row.gateway_id && /^\d{1,15}$/.test(row.gateway_id)) {
      body.mercado_pago = { payment_id: Number(row.gateway_id), status: mercadoPagoStatusWord(row.estado_pago), status_detail: null, installments: null, payment_method: null };
    }
    if (row.estado_pago === 'declined' || row.estado_pago === 'expired') {
      throw new PaymentDeclinedError(row.decline_message ?? 'El pago no fue aprobado', {
        success: false, transaccion_id: row.id, estado_pago: row.estado_pago,
      });
    }
    return { status: paid ? 200 : 202, body };
  }

  /**
   * The original's shape (`estado` conectado|no_conectado, mac, ip, mensaje,
   * verificado, session_id when connected) with ours beside it: `solicitada`
   * and `fase` (no_solicitada | pendiente | conectado | fallido | omitida).
   */
  function autoConexion(row: TransaccionRow) {
    const base = { mac: row.cliente_mac, ip: row.cliente_ip };
    if (!row.conexion_automatica) {
      return { estado: 'no_conectado', ...base, mensaje: 'Favor de ingresar sus credenciales para conectar a Internet', verificado: false, solicitada: false, fase: 'no_solicitada' };
    }
    const fase = (row.auto_conexion?.estado as string | undefined) ?? 'pendiente';
    if (fase === 'conectado') {
      return { estado: 'conectado', ...base, mensaje: '¡Conexión establecida con éxito! Disfrute de Internet sin límites', verificado: true, session_id: null, solicitada: true, fase };
    }
    const mensaje = fase === 'pendiente'
      ? 'La conexión automática se intentará al activar su acceso.'
      : 'No se pudo conectar automáticamente. Use las credenciales para conectar a Internet.';
    return { estado: 'no_conectado', ...base, mensaje, verificado: false, solicitada: true, fase };
  }

  function messageFor(row: TransaccionRow): string {
    if (row.estado_pago === 'paid') {
      if (row.estado_hotspot === 'active') return 'Pago aprobado. Tu acceso está listo.';
      if (row.estado_hotspot === 'failed') return 'Pago aprobado. No pudimos activar tu acceso todavía; el operador fue notificado.';
      return 'Pago aprobado. Estamos activando tu acceso; usa estas credenciales en unos segundos.';
    }
    if (row.estado_pago === 'refunded') return 'El pago fue reembolsado.';
    if (row.estado_pago === 'charged_back') return 'El pago fue desconocido por el titular de la tarjeta.';
    return PENDING_MESSAGE;
  }

  /** One more decline for this router key, and for this card where the gateway told us which card it was. */
  async function countDecline(row: TransaccionRow, outcome: ChargeOutcome) {
    await rateLimits.penalize('paymentDeclinesPerRouter', row.router_id);
    const card = outcome.card;
    if (card?.last4) {
      // The same card declined again and again (expiry or CVV guessing with fresh
      // tokens) counts once more against the router for every further decline.
      const cardKey = `${row.router_id}|${card.brand ?? ''}|${card.last4}`;
      await rateLimits.penalize('paymentDeclinesPerCard', cardKey);
      const repeated = await rateLimits.check('paymentDeclinesPerCard', cardKey, DECLINES_DETAIL).then(() => false, () => true);
      if (repeated) await rateLimits.penalize('paymentDeclinesPerRouter', row.router_id);
    }
  }

  /** A copy of a request whose first copy is still charging: wait for its outcome. */
  async function waitForOutcome(id: string): Promise<TransaccionRow> {
    const deadline = Date.now() + config.payments.gatewayTimeoutMs + 2000;
    let row = (await transacciones.get(id))!;
    while (row.estado_pago === 'pending' && !row.gateway_id && Date.now() < deadline) {
      await sleep(POLL_MS);
      row = (await transacciones.get(id))!;
    }
    return row;
  }

  const provisioning = (row: TransaccionRow) => row.estado_pago === 'paid' && ['pending', 'provisioning'].includes(row.estado_hotspot);

  /**
   * Waits (bounded) until the user exists or provisioning gave its answer, woken
   * by this transaction's own signal (the provisioning job publishes it). Copies
   * of a request may get here before the job is even enqueued, so absence of a
   * signal is not an answer: re-read PostgreSQL every PROVISIONING_POLL_MS until
   * the deadline, so a lost signal costs one poll interval.
   */
  async function waitForProvisioning(row: TransaccionRow, listening?: Listener): Promise<TransaccionRow> {
    if (!provisioning(row) || config.payments.provisioningWaitMs <= 0) {
      listening?.close();
      return row;
    }
    const deadline = Date.now() + config.payments.provisioningWaitMs;
    const listener = listening ?? signals.listen(row.id);
    let current = row;
    try {
      // Listening from before this read: a signal sent after it is not missed.
      if (!listening) {
        await listener.ready();
        current = (await transacciones.get(row.id))!;
      }
      while (provisioning(current)) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        const signalled = await listener.wait(Math.min(remaining, PROVISIONING_POLL_MS));
        // The worker's signal carries what the user's activation changed: the answer needs no read then.
        current = (signalled ? applySettledSignal(current, listener.message()) : null) ?? (await transacciones.get(row.id))!;
      }
    } finally {
      listener.close();
    }
    return current;
  }

  /**
   * Calls the gateway for a transaction this request has claimed
   * (`claimCharge`), with our idempotency key, and records the answer.
   */
  async function charge(
    principal: RouterPrincipal,
    input: PurchaseInput,
    row: TransaccionRow,
    { product, empresa, modo, gateway, amountCents }: Awaited<ReturnType<typeof loadProduct>> & { gateway: ReturnType<GatewayFactory>; amountCents: number },
  ): Promise<PurchaseAnswer> {
    // Listen for this transaction's provisioning signal before anything can send it.
    const listener = config.payments.provisioningWaitMs > 0 ? signals.listen(row.id) : undefined;
    let outcome: ChargeOutcome;
    try {
      outcome = await gateway.charge({
        transaccionId: row.id,
        idempotencyKey: row.id, // ours, stable across every retry of this transaction
        amountCents,
        currency: product.moneda,
        description: `${empresa.nombre}: ${product.nombre_venta}`.slice(0, 200),
        cardToken: input.cardToken,
        customer: input.customer,
        ...(input.gateway === 'mercadopago' && input.mercadoPago ? {
          mercadoPago: {
            paymentMethodId: input.mercadoPago.paymentMethodId,
            issuerId: input.mercadoPago.issuerId,
            installments: input.mercadoPago.installments ?? 1,
            deviceId: input.deviceId,
            payerIp: input.ip,
            notificationUrl: deps.registry.webhookUrl(config.publicBaseUrl, input.gateway, principal.empresaId),
          },
        } : {}),
      });
    } catch (error) {
      listener?.close();
      if (error instanceof GatewayError) {
        // The gateway certainly did not charge (credentials, malformed request).
        await transacciones.transition(row.id, {
          event: 'pago_rechazado_por_configuracion', from: ['pending'],
          set: { decline_code: error.name, decline_message: error.detail }, detail: { error: error.name },
        });
        // Our request was refused as invalid: the client's to fix, not a gateway outage.
        if (error instanceof GatewayRequestError) throw new ValidationError(error.detail);
        throw error;
      }
      // Anything else: we cannot know whether money moved. Let the confirmation job find out.
      deps.logger.error({ trx: row.id, err: error }, 'charge failed unexpectedly');
      const moved = await outcomes.applyCharge(row, { status: 'unknown' });
      return answer(moved.row ?? (await transacciones.get(row.id))!);
    }
    // The subscription was sent before the charge, so it is normally confirmed by now;
    // not awaited (a slow Redis must not delay `paid`): a signal it misses costs one poll.
    try {
      if (outcome.status === 'declined') await countDecline(row, outcome);
      // The company's Telegram notice is a job only when the company enabled it (the job would decide the same).
      const moved = await outcomes.applyCharge(row, outcome, { notify: Boolean(empresa.notificaciones_telegram), inline: modo === 'radius' });
      // The transition's own row when it moved; otherwise someone else moved it first: read it.
      return answer(await waitForProvisioning(moved.row ?? (await transacciones.get(row.id))!, listener));
    } finally {
      listener?.close(); // idempotent; also when applying the outcome failed
    }
  }

  /**
   * A copy of a request (same Idempotency-Key) answers from the row its first
   * copy wrote. When that first copy lost the database right after its insert
   * (the client got a 503 and retried), nobody claimed the charge: nothing was
   * ever sent to the gateway, so this copy claims it and charges, once.
   */
  async function copyOf(principal: RouterPrincipal, input: PurchaseInput, row: TransaccionRow, fingerprint: string): Promise<PurchaseAnswer> {
    if (row.request_hash !== fingerprint) {
      throw new ValidationError('La Idempotency-Key ya se usó con una solicitud distinta', 'Idempotency-Key', { code: 'idempotency_key_reused' });
    }
    if (row.estado_pago === 'pending' && !row.cobro_iniciado_en && !row.gateway_id) {
      const loaded = await loadProduct(principal, input.productoId, input.generation ?? null);
      const gateway = gateways(loaded.empresa, input.gateway);
      if (await transacciones.claimCharge(row.id)) {
        deps.logger.info({ trx: row.id }, 'charge taken over by a copy of the request (its first copy never reached the gateway)');
        return charge(principal, input, row, { ...loaded, gateway, amountCents: toCents(row.monto) });
      }
    }
    let current = await waitForOutcome(row.id);
    const claimedAt = current.cobro_iniciado_en ? new Date(current.cobro_iniciado_en).getTime() : null;
    if (current.estado_pago === 'pending' && !current.gateway_id && claimedAt !== null && Date.now() - claimedAt > config.payments.gatewayTimeoutMs + 2000) {
      // The claimant's gateway call is over but left no answer here (it lost the database while recording it):
      // ask the gateway now (the confirmation job looks up, never charges) instead of when the reconciler finds the row stale.
      await deps.confirmNow?.(row.id);
      current = await waitForOutcome(row.id);
    }
    return answer(await waitForProvisioning(current));
  }

  /** Everything a new purchase checks before its row is written: product, amount, gateway, card-testing limits. */
  async function prepare(principal: RouterPrincipal, input: PurchaseInput) {
    const loaded = await loadProduct(principal, input.productoId, input.generation ?? null);
    const { product, empresa } = loaded;
    const amountCents = toCents(product.precio);
    if (input.mercadoPago?.monto !== undefined) {
      let given: number;
      try {
        given = toCents(input.mercadoPago.monto);
      } catch {
        throw new ValidationError("El campo 'monto' no es un importe válido", 'monto');
      }
      if (given !== amountCents) throw new ValidationError(`El monto no coincide con el precio del producto (${product.precio} ${product.moneda})`, 'monto');
    }
    const gateway = gateways(empresa, input.gateway); // 400 when the company has not configured it

    // Card testing: declines are counted per router key (which the client
    // cannot rotate for free, unlike the device fields in the body); past the
    // limit, card payments on this router cool down. All three limits in one
    // Redis call, in this order; the first refusal stops the rest.
    const device = input.mac ?? input.deviceId ?? input.ip;
    await rateLimits.apply([
      { name: 'paymentDeclinesPerRouter', key: principal.routerId, detail: DECLINES_DETAIL, count: false },
      { name: 'paymentsPerRouter', key: principal.routerId, detail: 'Demasiados intentos de pago en este punto de acceso. Inténtalo de nuevo en {s} segundos' },
      ...(device ? [{ name: 'paymentsPerDevice' as const, key: `${principal.routerId}|${device}`, detail: 'Demasiados intentos de pago desde este dispositivo. Inténtalo de nuevo en {s} segundos' }] : []),
    ]);
    return { ...loaded, gateway, amountCents, device };
  }

  return {
    answer,
    sellable: loadProduct,

    async purchase(principal: RouterPrincipal, input: PurchaseInput): Promise<PurchaseAnswer> {
      const idempotencyKey = input.idempotencyKey ?? tokenIdempotencyKey(input.cardToken);
      const fingerprint = requestFingerprint({ gateway: input.gateway, body: input.rawBody });

      // No lookup of an earlier copy up front: the insert below finds it in the
      // same statement. A refusal before the insert (product, amount, gateway,
      // limits) is checked against an earlier copy, which then answers instead,
      // as it would have before any of these checks.
      let prepared: Awaited<ReturnType<typeof prepare>>;
      try {
        prepared = await prepare(principal, input);
      } catch (error) {
        if (!(error instanceof NotFoundError || error instanceof ValidationError || error instanceof BadRequestError || error instanceof TooManyRequestsError)) throw error;
        const previous = await transacciones.findByIdempotencyKey(principal.routerId, idempotencyKey);
        if (previous) return copyOf(principal, input, previous, fingerprint);
        throw error;
      }
      const { product, device } = prepared;

      const { row, created } = await transacciones.insertPending(newPendingRow(secrets, {
        principal, product, gateway: input.gateway, idempotencyKey, fingerprint, customer: input.customer,
        mac: input.mac, ip: input.ip, deviceId: input.deviceId, tipoUsuario: input.tipoUsuario, conexionAutomatica: input.conexionAutomatica,
        confirmarHasta: new Date(Date.now() + config.payments.confirmationDeadlineMs),
      }));
      if (!created) {
        // A copy of an earlier request: it is not another attempt, so it gives back what it counted.
        await rateLimits.refund('paymentsPerRouter', principal.routerId);
        if (device) await rateLimits.refund('paymentsPerDevice', `${principal.routerId}|${device}`);
        return copyOf(principal, input, row, fingerprint);
      }
      // Only the claimant calls the gateway; a copy that claimed first is charging instead.
      if (!(await transacciones.claimCharge(row.id))) return copyOf(principal, input, row, fingerprint);
      return charge(principal, input, row, prepared);
    },

    /**
     * The original's GET /api/v1/payments/estado-pago/{payment_id}: by the
     * gateway's payment id, only this router's own sales (the original answered
     * for anyone's), from our record, which webhooks and the confirmation job keep
     * current. Statuses use Mercado Pago's words, as the original's did.
     */
    async statusByPaymentId(principal: RouterPrincipal, paymentId: string) {
      // Only the original's fields: our transaccion_id would open GET transacciones/{id} to whoever guessed a payment id.
      const row = await transacciones.findByPaymentId(principal.routerId, paymentId);
      if (!row) throw new NotFoundError('Pago no encontrado');
      return {
        success: true,
        payment_id: /^\d{1,15}$/.test(paymentId) ? Number(paymentId) : paymentId,
        status: mercadoPagoStatusWord(row.estado_pago),
        status_detail: row.decline_code ?? (row.estado_pago === 'paid' ? 'accredited' : null),
        amount: Number(row.monto),
        currency_id: row.moneda,
        date_approved: row.pagado_en ? new Date(row.pagado_en).toISOString() : null,
        date_last_updated: new Date(row.actualizado_en).toISOString(),
      };
    },

    /**
     * The portal polls its own router's transactions only. The router key is
     * public (it ships in the portal page), so the hotspot credentials and the
     * customer's data go only to whoever presents the purchase's own
     * Idempotency-Key (the customer's browser keeps it with the purchase);
     * anyone else gets the same answer with `usuario_hotspot` and `cliente` null.
     */
    async status(principal: RouterPrincipal, id: string, presentedKey?: string): Promise<PurchaseAnswer> {
      const row = await transacciones.get(id);
      if (!row || row.router_id !== principal.routerId) throw new NotFoundError('Transacción no encontrada');
      try {
        const result = answer(row);
        return sameKey(presentedKey, row.idempotency_key) ? result : withoutPersonalData(result);
      } catch (error) {
        if (error instanceof PaymentDeclinedError) {
          return { status: 200, body: { success: false, transaccion_id: row.id, estado_pago: row.estado_pago, estado_hotspot: row.estado_hotspot, mensaje: error.detail } };
        }
        throw error;
      }
    },
  };
}

export type PurchaseService = ReturnType<typeof createPurchaseService>;
