/** Captive portal: pay in cash at OXXO / Paycash (issue 15), or by SPEI bank transfer (issue 24). */
import { ValidationError } from '../../platform/errors';
import type { ApiRouter, Validated } from '../../platform/http/api-router';
import type { AppContext } from '../../platform/http/context';
import { email, errorResponse, nonEmpty, object } from '../../platform/http/schemas';
import type { CashPaymentService, CashPurchaseInput } from './cash-service';
import type { GatewayRegistry } from '../../integrations/gateways';
import { answerSchema } from './payment-routes';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,255}$/;
const MAC = '^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$';

const example = {
  success: true, transaccion_id: 'TRX_0A1B2C3D4E5F', id_transaccion: 'ord_2tUigJ8DgBhbp6w7y', estado_pago: 'pending', estado_hotspot: 'pending',
  tipo_usuario: 'usuario_contrasena', usuario_hotspot: null, producto: { id: 12, nombre: '1 hora', precio: 20, precio_decimal: '20.00', moneda: 'MXN' },
  cliente: { nombre: 'Ana López', email: 'ana@example.com' }, timestamp: '2025-01-15T16:30:00.000Z',
  metodo_pago: 'oxxo', pasarela: 'conekta', referencia: '93000012345678', monto: '20.00', moneda: 'MXN', expira_en: '2025-01-18T16:30:00.000Z',
  url_ficha_pago: 'https://s3.amazonaws.com/cash_payment_barcodes/93000012345678.png',
  instrucciones: ['Acude a OXXO y di en caja que quieres hacer un pago de servicio OXXO Pay.', 'Dicta o muestra la referencia y paga $20.00 MXN en efectivo.'],
  mensaje: 'Paga en OXXO con esta referencia antes de que expire. Tu acceso se activará al confirmarse el pago.',
};

function idempotencyKeyOf(ctx: AppContext): string {
  const key = ctx.get('idempotency-key').trim();
  if (!key) throw new ValidationError("Falta el encabezado 'Idempotency-Key' (de 8 a 255 caracteres [A-Za-z0-9_.:-])", 'Idempotency-Key');
  if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationError("El encabezado 'Idempotency-Key' debe tener de 8 a 255 caracteres [A-Za-z0-9_.:-]", 'Idempotency-Key');
  return key;
}

/** The body both reference paths take (cash at a store and SPEI): the card's customer fields, without a card. */
const REFERENCE_BODY = {
      producto_id: { type: 'integer', minimum: 1, example: 12 },
      product_id: { type: 'integer', minimum: 1 },
      nombre_cliente: nonEmpty(120, { example: 'Ana López' }),
      email_cliente: { ...email, example: 'ana@example.com' },
      telefono_cliente: { type: 'string', pattern: '^\\+?[0-9 ()-]{7,20}$', example: '5512345678', description: 'Obligatorio con Conekta' },
      pasarela: { type: 'string', example: 'conekta' }, // enum: the registry's gateways that issue the reference (withPasarela)
      tipo_usuario: { type: 'string', enum: ['usuario_contrasena', 'pin'] },
      mac_cliente: { type: 'string', pattern: MAC },
      ip_cliente: { type: 'string', format: 'ipv4' },
      conexion_automatica: { type: 'boolean' },
} as const;
type ReferenceBody = Validated<{ type: 'object'; properties: typeof REFERENCE_BODY; required: ['nombre_cliente', 'email_cliente', 'pasarela']; additionalProperties: false }>;

/** A reference request (cash or SPEI) as the checkout service takes it. */
function referenceInput(ctx: AppContext, body: ReferenceBody, method: CashPurchaseInput['method']): CashPurchaseInput {
  const productoId = body.producto_id ?? body.product_id;
  if (productoId === undefined) throw new ValidationError("El campo 'producto_id' es obligatorio", 'producto_id');
  return {
    gateway: body.pasarela,
    method,
    productoId,
    customer: { name: String(body.nombre_cliente).trim(), email: body.email_cliente, ...(body.telefono_cliente ? { phone: body.telefono_cliente } : {}) },
    tipoUsuario: body.tipo_usuario ?? 'usuario_contrasena',
    mac: body.mac_cliente?.toUpperCase().replace(/-/g, ':'),
    ip: body.ip_cliente,
    conexionAutomatica: body.conexion_automatica ?? false,
    rawBody: body,
    idempotencyKey: idempotencyKeyOf(ctx),
    generation: ctx.state.authGeneration ?? null,
  };
}

export function registerCashPaymentRoutes(api: ApiRouter, deps: { cashPayments: CashPaymentService; gateways: GatewayRegistry }) {
  // The gateways that issue each kind of reference, from the registry (the schema's enum and /openapi.json follow it).
  const issuing = (pick: (methods: readonly string[]) => boolean) => deps.gateways.all.filter((p) => pick(p.cashMethods)).map((p) => p.id);
  const withPasarela = <B extends { properties: Record<string, unknown> }>(body: B, ids: string[]): B => ({
    ...body, properties: { ...body.properties, pasarela: { ...(body.properties.pasarela as object), enum: ids } },
  });
  const cashIds = issuing((m) => m.includes('oxxo') || m.includes('paycash'));
  const speiIds = issuing((m) => m.includes('spei'));

  api.add({
    method: 'post', path: '/api/v1/payments/pagar-efectivo', auth: 'router_key', tags: ['Pagos (portal cautivo)'],
    summary: 'Pagar en efectivo en OXXO (Conekta o Mercado Pago) o Paycash (Mercado Pago): devuelve la referencia',
    description: 'Requiere `Idempotency-Key`: repetir la solicitud devuelve la misma referencia. La transacción queda `pending` '
      + 'hasta que la pasarela confirme el pago (webhook firmado o conciliación); entonces se crea el usuario hotspot y '
      + '`GET /api/v1/payments/transacciones/{transaccion_id}` devuelve las credenciales. Sin pago antes de `expira_en` queda `expired`.',
    body: withPasarela(object({
      ...REFERENCE_BODY,
      metodo: { type: 'string', enum: ['oxxo', 'paycash'], description: 'Por omisión oxxo; paycash solo con Mercado Pago' },
    }, ['nombre_cliente', 'email_cliente', 'pasarela'], {
      example: { producto_id: 12, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'conekta', metodo: 'oxxo' },
    }), cashIds),
    responses: {
      200: { description: 'Referencia emitida (o, si ya se pagó, la respuesta de una venta pagada con credenciales)', schema: answerSchema, example },
      202: { description: 'La pasarela no respondió con claridad: consulte GET /api/v1/payments/transacciones/{transaccion_id}', schema: answerSchema, example: { ...example, success: false, estado_pago: 'unknown', referencia: null } },
      400: errorResponse('La empresa no configuró esa pasarela', 'La empresa no tiene configurado Conekta'),
      402: errorResponse('La pasarela rechazó la referencia', 'No se pudo generar la referencia de pago'),
      404: errorResponse('Producto de otro router, inactivo o inexistente', 'Producto no encontrado o no disponible'),
      422: errorResponse('Datos inválidos (p. ej. monto fuera de $10–$10,000 MXN)', "Falta el encabezado 'Idempotency-Key' (de 8 a 255 caracteres [A-Za-z0-9_.:-])"),
      429: errorResponse('Demasiados intentos, o demasiadas referencias sin pagar en el router o el dispositivo (`limite_referencias`)', 'Demasiados intentos de pago desde este dispositivo. Inténtalo de nuevo en 300 segundos'),
    },
    async handler(ctx, { body }) {
      const result = await deps.cashPayments.pay(ctx.state.router!, referenceInput(ctx, body, body.metodo ?? 'oxxo'));
      ctx.status = result.status;
      ctx.body = result.body;
      return undefined;
    },
  });

  const speiExample = {
    ...example, metodo_pago: 'spei', clabe: '646180111812345678', banco: 'STP', referencia: '4321987', url_ficha_pago: null,
    instrucciones: ['Abre la app o la banca en línea de tu banco y elige «Transferir» por SPEI.', 'Da de alta la CLABE 646180111812345678 (banco STP) como cuenta destino.'],
    mensaje: 'Transfiere por SPEI desde tu banco antes de que expire. Tu acceso se activará al confirmarse la transferencia.',
  };
  api.add({
    method: 'post', path: '/api/v1/payments/pagar-spei', auth: 'router_key', tags: ['Pagos (portal cautivo)'],
    summary: 'Pagar por transferencia SPEI (Conekta o Mercado Pago): devuelve la CLABE a la que transferir',
    description: 'Requiere `Idempotency-Key`: repetir la solicitud devuelve la misma CLABE. Como `pagar-efectivo`: la transacción queda '
      + '`pending` hasta que la pasarela confirme la transferencia (webhook firmado o conciliación); entonces se crea el usuario hotspot y '
      + '`GET /api/v1/payments/transacciones/{transaccion_id}` devuelve las credenciales. Sin pago antes de `expira_en` queda `expired`. '
      + '`clabe` (18 dígitos) y `banco` vienen cuando la pasarela los da; si no, `url_ficha_pago` es la página de instrucciones de la pasarela con la CLABE.',
    body: withPasarela(object({
      ...REFERENCE_BODY,
    }, ['nombre_cliente', 'email_cliente', 'pasarela'], {
      example: { producto_id: 12, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'conekta' },
    }), speiIds),
    responses: {
      200: { description: 'CLABE emitida (o, si ya se pagó, la respuesta de una venta pagada con credenciales)', schema: answerSchema, example: speiExample },
      202: { description: 'La pasarela no respondió con claridad: consulte GET /api/v1/payments/transacciones/{transaccion_id}', schema: answerSchema, example: { ...speiExample, success: false, estado_pago: 'unknown', clabe: null } },
      400: errorResponse('La empresa no configuró esa pasarela', 'La empresa no tiene configurado Conekta'),
      402: errorResponse('La pasarela rechazó la solicitud', 'No se pudo generar la referencia de pago'),
      404: errorResponse('Producto de otro router, inactivo o inexistente', 'Producto no encontrado o no disponible'),
      422: errorResponse('Datos inválidos', "Falta el encabezado 'Idempotency-Key' (de 8 a 255 caracteres [A-Za-z0-9_.:-])"),
      429: errorResponse('Demasiados intentos', 'Demasiados intentos de pago desde este dispositivo. Intente de nuevo en 300 segundos'),
    },
    async handler(ctx, { body }) {
      const result = await deps.cashPayments.pay(ctx.state.router!, referenceInput(ctx, body, 'spei'));
      ctx.status = result.status;
      ctx.body = result.body;
      return undefined;
    },
  });
}
