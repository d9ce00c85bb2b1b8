import type { PurchaseService } from './purchase-service';
import { STORE_UNAVAILABLE_DETAIL, ValidationError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import type { AppContext } from '../../platform/http/context';
import { email, errorResponse, nonEmpty, object, transaccionId } from '../../platform/http/schemas';
import type { JsonSchema } from '../../platform/http/validation';

const MAC = '^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$';
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,255}$/;

const common: Record<string, JsonSchema> = {
  producto_id: { type: 'integer', minimum: 1, example: 12 },
  product_id: { type: 'integer', minimum: 1 },
  nombre_cliente: nonEmpty(120, { example: 'Ana López' }),
  email_cliente: { ...email, example: 'ana@example.com' },
  telefono_cliente: { type: 'string', pattern: '^\\+?[0-9 ()-]{7,20}$', example: '5512345678' },
  tipo_usuario: { type: 'string', enum: ['usuario_contrasena', 'pin'], example: 'usuario_contrasena' },
  mac_cliente: { type: 'string', pattern: MAC, example: 'AA:BB:CC:DD:EE:FF' },
  ip_cliente: { type: 'string', format: 'ipv4', example: '10.5.50.23' },
  conexion_automatica: { type: 'boolean', example: true },
  // Sent to Mercado Pago as a header and stored: letters, digits and _.:- only (no CR/LF).
  device_id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,200}$', example: '3f0c9a52-6f1e-4b7e-9d55-2f8d1c0b7a11' },
};

const answerExample = {
  success: true, id_transaccion: 'ord_2tUigJ8DgBhbp6w7y', transaccion_id: 'TRX_0A1B2C3D4E5F', estado_pago: 'paid', estado_hotspot: 'active',
  tipo_usuario: 'usuario_contrasena', usuario_hotspot: { usuario: 'k7mx2pq', contrasena: 'h4t9wr2mcx' },
  producto: { id: 12, nombre: '1 hora', precio: '20.00', moneda: 'MXN' }, cliente: { nombre: 'Ana López', email: 'ana@example.com' },
  timestamp: '2025-01-15T16:30:00.000Z', auto_conexion: { solicitada: true, estado: 'conectado', mensaje: 'Dispositivo conectado' },
  mensaje: 'Pago aprobado. Tu acceso está listo.',
};

const responses = {
  200: { description: 'Pago aprobado (credenciales incluidas; estado_hotspot dice si el usuario ya existe en el router)', example: answerExample },
  202: { description: 'Pago en verificación: consulte GET /api/v1/payments/transacciones/{transaccion_id}', example: { ...answerExample, success: false, estado_pago: 'unknown', estado_hotspot: 'pending', usuario_hotspot: null } },
  402: errorResponse('Pago declinado', 'Tu banco rechazó el pago. Intenta con otra tarjeta o comunícate con tu banco.'),
  404: errorResponse('Producto de otro router, inactivo o inexistente', 'Producto no encontrado o no disponible'),
  422: errorResponse('Datos inválidos', "El campo 'email_cliente' no tiene un formato válido (email)"),
  429: errorResponse('Demasiados intentos', 'Demasiados intentos de pago desde este dispositivo. Intente de nuevo en 300 segundos'),
  503: errorResponse('La base de datos o Redis no responde por un momento (con Retry-After): repita la misma solicitud con la misma Idempotency-Key; nunca se cobra dos veces', STORE_UNAVAILABLE_DETAIL),
};

function idempotencyKeyOf(ctx: AppContext): string | undefined {
  const key = ctx.get('idempotency-key').trim();
  if (!key) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationError("El encabezado 'Idempotency-Key' debe tener de 8 a 255 caracteres [A-Za-z0-9_.:-]", 'Idempotency-Key');
  return key;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new ValidationError(`El campo '${field}' es obligatorio`, field);
  return value;
}

const normalizeMac = (mac?: string) => mac?.toUpperCase().replace(/-/g, ':');

/** What both gateways' requests have in common, with the contract's aliases resolved. */
function commonInput(ctx: AppContext, body: Record<string, any>, tokenField: string, token: string | undefined) {
  return {
    productoId: required<number>(body.producto_id ?? body.product_id, 'producto_id'),
    cardToken: required(token, tokenField),
    customer: { name: String(body.nombre_cliente).trim(), email: body.email_cliente, phone: body.telefono_cliente },
    tipoUsuario: body.tipo_usuario ?? 'usuario_contrasena',
    mac: normalizeMac(body.mac_cliente), ip: body.ip_cliente, deviceId: body.device_id,
    conexionAutomatica: body.conexion_automatica ?? false,
    rawBody: body,
    idempotencyKey: idempotencyKeyOf(ctx),
  };
}

async function answer(ctx: AppContext, work: Promise<{ status: number; body: Record<string, unknown> }>) {
  const result = await work;
  ctx.status = result.status;
  ctx.body = result.body;
  return undefined;
}

export function registerPaymentRoutes(api: ApiRouter, deps: { purchases: PurchaseService }) {
  const tags = ['Pagos (portal cautivo)'];

  api.add<Record<string, any>>({
    method: 'post', path: '/api/v1/payments/pagar-conekta', auth: 'router_key', tags,
    summary: 'Pagar un producto con tarjeta (Conekta) y obtener credenciales hotspot',
    description: 'Envíe `Idempotency-Key` (si falta se usa el token de tarjeta): repetir la solicitud devuelve el mismo resultado sin cobrar de nuevo.',
    body: object({ ...common, token_tarjeta: nonEmpty(200, { example: 'tok_test_visa_4242' }), card_token: nonEmpty(200) }, ['nombre_cliente', 'email_cliente', 'telefono_cliente'], { additionalProperties: true }),
    responses,
    handler: (ctx, { body }) => answer(ctx, deps.purchases.purchase(ctx.state.router!, {
      gateway: 'conekta',
      ...commonInput(ctx, body, 'token_tarjeta', body.token_tarjeta ?? body.card_token),
    })),
  });

  api.add<Record<string, any>>({
    method: 'post', path: '/api/v1/payments/pagar-mercado-pago', auth: 'router_key', tags,
    summary: 'Pagar un producto con tarjeta (Mercado Pago) y obtener credenciales hotspot',
    description: 'El token viene del Card Payment Brick de Mercado Pago. `monto` debe coincidir con el precio del producto.',
    body: object({
      ...common,
      token: nonEmpty(200, { example: 'ff8080814c11e237014c1ff593b57b4d' }),
      card_token: nonEmpty(200),
      payment_method_id: nonEmpty(50, { example: 'visa' }),
      issuer_id: { type: ['string', 'integer'], pattern: '^[0-9]{1,20}$', minimum: 0 },
      cuotas: { type: 'integer', minimum: 1, maximum: 48 },
      monto: { type: ['string', 'number'], example: '20.00' },
    }, ['nombre_cliente', 'email_cliente', 'telefono_cliente', 'payment_method_id', 'monto'], { additionalProperties: true }),
    responses,
    handler: (ctx, { body }) => answer(ctx, deps.purchases.purchase(ctx.state.router!, {
      gateway: 'mercadopago',
      ...commonInput(ctx, body, 'token', body.token ?? body.card_token),
      mercadoPago: {
        paymentMethodId: body.payment_method_id,
        issuerId: body.issuer_id === undefined ? undefined : String(body.issuer_id),
        installments: body.cuotas ?? 1,
        // A number is the customer's amount as typed; compared in cents, never as a float.
        monto: typeof body.monto === 'number' ? String(body.monto) : body.monto,
      },
    })),
  });

  api.add<never, never, { transaccion_id: string }>({
    method: 'get', path: '/api/v1/payments/transacciones/:transaccion_id', auth: 'router_key', tags,
    summary: 'Estado de una transacción de este router (para que el portal consulte)',
    params: object({ transaccion_id: transaccionId }, ['transaccion_id']),
    responses: {
      200: { description: 'Estado actual', example: answerExample },
      202: { description: 'Pago aún en verificación', example: { ...answerExample, estado_pago: 'unknown', usuario_hotspot: null } },
      404: errorResponse('Transacción de otro router o inexistente', 'Transacción no encontrada'),
    },
    handler: (ctx, { params }) => answer(ctx, deps.purchases.status(ctx.state.router!, params.transaccion_id)),
  });
}
