import type { PurchaseService } from './purchase-service';
import { STORE_UNAVAILABLE_DETAIL, ValidationError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import type { AppContext } from '../../platform/http/context';
import { email, errorResponse, nonEmpty, nullable, object, str, transaccionId } from '../../platform/http/schemas';
import type { Validated } from '../../platform/http/api-router';
import type { GatewayRegistry } from '../../integrations/gateways';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../transacciones';
import { MAC_PATTERN, normalizeMac } from '../../platform/mac';

const macOf = (value?: string) => (value === undefined ? undefined : normalizeMac(value) ?? undefined);

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,255}$/;

const nombre = nonEmpty(120, { example: 'Ana López' });
const correo = { ...email, example: 'ana@example.com' } as const;
const telefono = nullable({ type: 'string', pattern: '^(\\+?[0-9 ()-]{7,20})?$', example: '5512345678' } as const);
const tipoUsuario = { type: ['string', 'null'], enum: ['usuario_contrasena', 'pin', null], example: 'usuario_contrasena' } as const;
const mac = nullable({ type: 'string', pattern: `^(${MAC_PATTERN.slice(1, -1)})?$`, example: 'AA:BB:CC:DD:EE:FF' } as const);
const ip = nullable({ type: 'string', anyOf: [{ format: 'ipv4' }, { maxLength: 0 }], example: '10.5.50.23' } as const);
const productoId = { type: 'integer', minimum: 1, example: 12 } as const;
const texto500 = { type: ['string', 'null'], maxLength: 500 } as const;

/**
 * Both payment bodies accept the original's aliases and, as its pydantic models
 * did (`populate_by_name`), their English field names: the first name of each
 * pair below is the one we document, and `commonInput` reads both.
 */
const common = {
  producto_id: productoId, product_id: productoId,
  nombre_cliente: nombre, customer_name: nombre,
  email_cliente: correo, customer_email: correo,
  telefono_cliente: { ...telefono, description: 'Opcional. Conekta exige un teléfono: si falta se le envía 5500000000 (ver README).' },
  customer_phone: telefono,
  tipo_usuario: tipoUsuario, user_type: tipoUsuario,
  mac_cliente: mac, mac_address: mac,
  ip_cliente: ip, ip_address: ip,
  info_dispositivo: texto500, device_info: texto500,
  conexion_automatica: { type: ['boolean', 'null'], example: true }, auto_connect: { type: ['boolean', 'null'] },
  // Sent to Mercado Pago as a header and stored: letters, digits and _.:- only (no CR/LF).
  device_id: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_.:-]{1,200}$', example: '3f0c9a52-6f1e-4b7e-9d55-2f8d1c0b7a11' },
} as const;

/** What both payment bodies share, as validated (typed from the schema; each gateway's route adds its own fields). */
type CommonBody = Validated<{ type: 'object'; properties: typeof common; required: []; additionalProperties: true }>;

const answerExample = {
  success: true, id_transaccion: 'ord_2tUigJ8DgBhbp6w7y', transaccion_id: 'TRX_0A1B2C3D4E5F', estado_pago: 'paid', estado_hotspot: 'active',
  tipo_usuario: 'usuario_contrasena', usuario_hotspot: { usuario: 'k7mx2pq', contrasena: 'h4t9wr2mcx' },
  producto: { id: 12, nombre: '1 hora', precio: 20, precio_decimal: '20.00', moneda: 'MXN', perfil_mikrotik: 'plan-1h' },
  cliente: { nombre: 'Ana López', email: 'ana@example.com' },
  timestamp: '2025-01-15T16:30:00.000Z',
  auto_conexion: {
    estado: 'conectado', mac: 'AA:BB:CC:DD:EE:FF', ip: '10.5.50.23', mensaje: '¡Conexión establecida con éxito! Disfrute de Internet sin límites',
    verificado: true, session_id: null, solicitada: true, fase: 'conectado',
  },
  mensaje: 'Pago aprobado. Tu acceso está listo.',
  acceso: { expira_en: '2025-01-16T16:30:00.000Z', limit_uptime: '1h', vigencia_minutos: 1440 },
};

/**
 * The purchase answer. Open to more properties: the drop-in contract (issue 13)
 * adds gateway-specific compatibility fields; those listed here are typed.
 */
export const answerSchema = object({
  success: { type: 'boolean' }, id_transaccion: str(), transaccion_id: str(),
  estado_pago: { type: 'string', enum: [...ESTADOS_PAGO] }, estado_hotspot: { type: 'string', enum: [...ESTADOS_HOTSPOT] },
  tipo_usuario: str(),
  usuario_hotspot: { type: ['object', 'null'], properties: { usuario: str(), contrasena: str() }, required: ['usuario', 'contrasena'] },
  // `precio` a JSON number, as the original answered; the exact decimal is `precio_decimal`.
  producto: object({ id: { type: 'integer' }, nombre: str(), precio: { type: 'number' }, precio_decimal: str(), moneda: str() }, ['id', 'nombre', 'precio', 'moneda'], { additionalProperties: true }),
  cliente: nullable(object({ nombre: str(), email: str() }, ['nombre', 'email'], { additionalProperties: true })),
  timestamp: str({ format: 'date-time' }),
  auto_conexion: object({ solicitada: { type: 'boolean' }, estado: str(), mensaje: nullable(str()) }, ['solicitada', 'estado'], { additionalProperties: true }),
  mensaje: str(),
}, ['success', 'transaccion_id', 'estado_pago', 'estado_hotspot', 'mensaje'], { additionalProperties: true });

const declined = errorResponse('Pago declinado', 'Tu banco rechazó el pago. Intenta con otra tarjeta o comunícate con tu banco.', {
  properties: { success: { const: false }, transaccion_id: str(), estado_pago: { type: 'string', enum: [...ESTADOS_PAGO] } },
  example: { success: false, transaccion_id: 'TRX_0A1B2C3D4E5F', estado_pago: 'declined' },
});

const responses = {
  200: { description: 'Pago aprobado (credenciales incluidas; estado_hotspot dice si el usuario ya existe en el router)', schema: answerSchema, example: answerExample },
  202: { description: 'Pago en verificación: consulte GET /api/v1/payments/transacciones/{transaccion_id}', schema: answerSchema, example: { ...answerExample, success: false, estado_pago: 'unknown', estado_hotspot: 'pending', usuario_hotspot: null } },
  402: declined,
  404: errorResponse('Producto de otro router, inactivo o inexistente', 'Producto no encontrado o no disponible'),
  422: errorResponse('Datos inválidos', "El campo 'email_cliente' no tiene un formato válido (email)"),
  429: errorResponse('Demasiados intentos', 'Demasiados intentos de pago desde este dispositivo. Inténtalo de nuevo en 300 segundos'),
  503: errorResponse('La base de datos o Redis no responde por un momento (con Retry-After): repita la misma solicitud con la misma Idempotency-Key; nunca se cobra dos veces', STORE_UNAVAILABLE_DETAIL),
};

function idempotencyKeyOf(ctx: AppContext): string | undefined {
  const key = ctx.get('idempotency-key').trim();
  if (!key) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationError("El encabezado 'Idempotency-Key' debe tener de 8 a 255 caracteres [A-Za-z0-9_.:-]", 'Idempotency-Key');
  return key;
}

function required<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null) throw new ValidationError(`El campo '${field}' es obligatorio`, field);
  return value;
}

/** A field by its documented name or its alias; null and "" mean "not sent" (the original's optional str|None). */
function given<T>(name: T | null | undefined, alias: T | null | undefined): Exclude<T, ''> | undefined {
  const value = name ?? alias;
  return value === null || value === undefined || value === '' ? undefined : (value as Exclude<T, ''>);
}

/** A JSON number as the client wrote it (the shortest round-trip form), never through arithmetic. */
const amountText = (value: string | number) => (typeof value === 'number' ? String(value) : value);


/** What both gateways' requests have in common, with the contract's aliases resolved. */
function commonInput(ctx: AppContext, body: CommonBody, tokenField: string, token: string | undefined) {
  return {
    productoId: required(given(body.producto_id, body.product_id), 'producto_id'),
    cardToken: required(token, tokenField),
    customer: {
      name: String(required(given(body.nombre_cliente, body.customer_name), 'nombre_cliente')).trim(),
      email: required(given(body.email_cliente, body.customer_email), 'email_cliente'),
      phone: given(body.telefono_cliente, body.customer_phone),
    },
    tipoUsuario: given(body.tipo_usuario, body.user_type) ?? 'usuario_contrasena',
    mac: macOf(given(body.mac_cliente, body.mac_address)), ip: given(body.ip_cliente, body.ip_address),
    deviceId: body.device_id ?? undefined,
    conexionAutomatica: given(body.conexion_automatica, body.auto_connect) ?? false,
    rawBody: body,
    idempotencyKey: idempotencyKeyOf(ctx),
    generation: ctx.state.authGeneration ?? null,
  };
}

async function answer(ctx: AppContext, work: Promise<{ status: number; body: Record<string, unknown> }>) {
  const result = await work;
  ctx.status = result.status;
  ctx.body = result.body;
  return undefined;
}

export function registerPaymentRoutes(api: ApiRouter, deps: { purchases: PurchaseService; gateways: GatewayRegistry }) {
  const tags = ['Pagos (portal cautivo)'];

  // A gateway without a card route of the original service (any gateway added after Conekta and
  // Mercado Pago) sells at the registry's path, with the common body and its card token.
  for (const provider of deps.gateways.all.filter((p) => !p.originalCardPath)) {
    api.add({
      method: 'post', path: `/api/v1/payments/pagar/${provider.id}`, auth: 'router_key', tags,
      summary: `Pagar un producto con tarjeta (${provider.label}) y obtener credenciales hotspot`,
      description: 'Envíe `Idempotency-Key`: repetir la solicitud devuelve el mismo resultado sin cobrar de nuevo.',
      body: object({ ...common, token: nonEmpty(200) }, [], { additionalProperties: true }),
      responses,
      handler: (ctx, { body }) => answer(ctx, deps.purchases.purchase(ctx.state.router!, {
        gateway: provider.id,
        ...commonInput(ctx, body, 'token', body.token),
      })),
    });
  }

  api.add({
    method: 'post', path: '/api/v1/payments/pagar-conekta', auth: 'router_key', tags,
    summary: 'Pagar un producto con tarjeta (Conekta) y obtener credenciales hotspot',
    description: 'Envíe `Idempotency-Key` (si falta se usa el token de tarjeta): repetir la solicitud devuelve el mismo resultado sin cobrar de nuevo.',
    body: object({ ...common, token_tarjeta: nonEmpty(200, { example: 'tok_test_visa_4242' }), card_token: nonEmpty(200) }, [], { additionalProperties: true }),
    responses,
    handler: (ctx, { body }) => answer(ctx, deps.purchases.purchase(ctx.state.router!, {
      gateway: 'conekta',
      ...commonInput(ctx, body, 'token_tarjeta', body.token_tarjeta ?? body.card_token),
    })),
  });

  api.add({
    method: 'post', path: '/api/v1/payments/pagar-mercado-pago', auth: 'router_key', tags,
    summary: 'Pagar un producto con tarjeta (Mercado Pago) y obtener credenciales hotspot',
    description: 'El token viene del Card Payment Brick de Mercado Pago. `monto` debe coincidir con el precio del producto.',
    body: object({
      ...common,
      token: nonEmpty(200, { example: 'ff8080814c11e237014c1ff593b57b4d' }),
      card_token: nonEmpty(200),
      payment_method_id: nonEmpty(50, { example: 'visa' }),
      issuer_id: { type: ['string', 'integer', 'null'], pattern: '^[0-9]{1,20}$', minimum: 0 },
      cuotas: { type: 'integer', minimum: 1, maximum: 48 },
      installments: { type: 'integer', minimum: 1, maximum: 48 },
      monto: { type: ['string', 'number'], example: '20.00' },
      transaction_amount: { type: ['string', 'number'] },
      payer: { description: 'Aceptado e ignorado, como en el servicio original' },
    }, ['payment_method_id'], { additionalProperties: true }),
    responses,
    handler: (ctx, { body }) => answer(ctx, deps.purchases.purchase(ctx.state.router!, {
      gateway: 'mercadopago',
      ...commonInput(ctx, body, 'token', body.token ?? body.card_token),
      mercadoPago: {
        paymentMethodId: body.payment_method_id,
        issuerId: body.issuer_id === undefined || body.issuer_id === null ? undefined : String(body.issuer_id),
        installments: body.cuotas ?? body.installments ?? 1,
        // A number is the customer's amount as typed; compared in cents, never as a float.
        monto: amountText(required(body.monto ?? body.transaction_amount, 'monto')),
      },
    })),
  });

  api.add({
    method: 'get', path: '/api/v1/payments/transacciones/:transaccion_id', auth: 'router_key', tags,
    summary: 'Estado de una transacción de este router (para que el portal consulte)',
    description: 'La API Key del router es pública (va en el portal), así que las credenciales hotspot y los datos del cliente solo se '
      + 'devuelven a quien envía el encabezado `Idempotency-Key` con el que se hizo la compra; sin él (o con otro) la respuesta es la '
      + 'misma con `usuario_hotspot: null` y `cliente: null`.',
    params: object({ transaccion_id: transaccionId }, ['transaccion_id']),
    responses: {
      200: { description: 'Estado actual (un pago declinado o expirado responde success: false y el motivo en mensaje)', schema: answerSchema, example: answerExample },
      202: { description: 'Pago aún en verificación', schema: answerSchema, example: { ...answerExample, estado_pago: 'unknown', usuario_hotspot: null } },
      404: errorResponse('Transacción de otro router o inexistente', 'Transacción no encontrada'),
    },
    handler: (ctx, { params }) => answer(ctx, deps.purchases.status(ctx.state.router!, params.transaccion_id, ctx.get('idempotency-key').trim() || undefined)),
  });

  api.add({
    method: 'get', path: '/api/v1/payments/estado-pago/:payment_id', auth: 'router_key', tags,
    summary: 'Estado de un pago por el id del gateway (ruta del servicio original)',
    description: 'Solo ventas de este router. `status` con las palabras de Mercado Pago (approved, pending, in_process, rejected, cancelled, refunded, charged_back).',
    params: object({ payment_id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', example: '1234567890' } }, ['payment_id']),
    responses: {
      200: {
        description: 'Estado del pago',
        schema: object({
          success: { type: 'boolean' }, payment_id: { type: ['integer', 'string'] }, status: str(), status_detail: { type: ['string', 'null'] },
          amount: { type: 'number' }, currency_id: str(), date_approved: { type: ['string', 'null'] }, date_last_updated: { type: ['string', 'null'] },
        }, ['success', 'payment_id', 'status'], { additionalProperties: false }),
        example: {
          success: true, payment_id: 1234567890, status: 'approved', status_detail: 'accredited', amount: 20, currency_id: 'MXN',
          date_approved: '2025-01-15T16:30:01.000Z', date_last_updated: '2025-01-15T16:30:02.000Z',
        },
      },
      404: errorResponse('No es un pago de este router', 'Pago no encontrado'),
    },
    handler: (ctx, { params }) => deps.purchases.statusByPaymentId(ctx.state.router!, params.payment_id),
  });
}
