/** Cliente admin: the company's sales with filters and keyset pagination, and one sale with its history (issue 5 item 5). */
import { ESTADOS_HOTSPOT, ESTADOS_PAGO, type VentasService } from './ventas-service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import type { JsonSchema } from '../../platform/http/validation';
import type { VentasExportService } from './ventas-export';
import { clienteErrors, empresaOf, looseId, nullableDateTime, nullableString } from '../../platform/http/cliente-common';
import { ventasExportQuery, ventasListQuery } from './schemas';
import type { GatewayRegistry } from '../../integrations/gateways';

const tags = ['Cliente admin: ventas'];

const itemExample = {
  id: 'TRX_0A1B2C3D4E5F', router_id: 'RTR_A1B2C3D4', producto_id: 7, producto_nombre: '1 Hora de Internet', perfil_mikrotik_nombre: '1hora',
  gateway: 'conekta', gateway_id: 'ord_2tUigJ8DgBhbp6w5F', monto: 20, monto_decimal: '20.00', transaccion_id: 'ord_2tUigJ8DgBhbp6w5F', moneda: 'MXN', cliente_nombre: 'Ana López',
  cliente_email: 'ana@example.com', cliente_telefono: null, cliente_mac: 'AA:BB:CC:DD:EE:FF', cliente_ip: '10.5.50.23', tipo_usuario: 'usuario_contrasena',
  hotspot_usuario: 'k7mwp2q', hotspot_expira_en: '2025-01-16T10:00:00.000Z', estado_pago: 'paid', estado_hotspot: 'active', decline_code: null,
  decline_message: null, intentos_aprovisionamiento: 1, ultimo_error: null, requiere_revision: null, creado_en: '2025-01-15T10:00:00.000Z',
  actualizado_en: '2025-01-15T10:00:02.000Z', pagado_en: '2025-01-15T10:00:01.000Z', activado_en: '2025-01-15T10:00:02.000Z',
  creada_en: '2025-01-15T10:00:00.000Z',
};

/** A sale as the list and the detail show it; `gateway` is one of the registry's gateways. */
const itemSchemaFor = (gatewayIds: readonly string[]): JsonSchema => ({
  type: 'object',
  properties: {
    id: str(), router_id: str(), producto_id: { type: 'integer' }, producto_nombre: str(), perfil_mikrotik_nombre: str(),
    gateway: { type: 'string', enum: [...gatewayIds] }, gateway_id: nullableString,
    monto: { type: 'number', description: 'Número JSON, como en el servicio original' }, monto_decimal: str({ pattern: '^\\d+\\.\\d{2}$' }),
    transaccion_id: str({ description: 'Id del gateway (o el nuestro si aún no tiene), como en el original' }), creada_en: dateTime,
    moneda: str(), cliente_nombre: str(), cliente_email: str(), cliente_telefono: nullableString, cliente_mac: nullableString,
    cliente_ip: nullableString, tipo_usuario: str(), hotspot_usuario: str(), hotspot_expira_en: nullableDateTime,
    estado_pago: { type: 'string', enum: [...ESTADOS_PAGO] }, estado_hotspot: { type: 'string', enum: [...ESTADOS_HOTSPOT] },
    decline_code: nullableString, decline_message: nullableString, intentos_aprovisionamiento: { type: 'integer' }, ultimo_error: nullableString,
    requiere_revision: { ...nullableString, description: 'Motivo por el que la venta espera revisión manual (la respuesta del gateway no coincide)' },
    creado_en: dateTime, actualizado_en: dateTime, pagado_en: nullableDateTime, activado_en: nullableDateTime,
    metodo_pago: { type: 'string', enum: ['tarjeta', 'oxxo', 'paycash', 'spei'], description: 'Tarjeta, efectivo en tienda (OXXO / Paycash) o transferencia SPEI' },
    referencia_pago: { ...nullableString, description: 'Referencia de pago en tienda, o de la transferencia SPEI' },
    referencia_expira_en: { ...nullableDateTime, description: 'Vencimiento de la referencia o de la CLABE (efectivo y SPEI)' },
  },
  required: Object.keys(itemExample),
});

export function registerVentasRoutes(api: ApiRouter, deps: { ventas: VentasService; ventasExport: VentasExportService; gateways: GatewayRegistry }) {
  const { ventas, ventasExport } = deps;
  const itemSchema = itemSchemaFor(deps.gateways.all.map((p) => p.id));
  const base = '/api/v1/admin/mi-empresa/transacciones';

  api.add({
    method: 'get', path: base, auth: 'cliente_admin', tags,
    summary: 'Ventas de mi empresa, con filtros y paginación por cursor (más recientes primero)',
    description: 'Paginación estable: pida la página siguiente con `cursor=<next_cursor>`; `next_cursor` es null en la última. '
      + 'Las ventas nuevas no desplazan ni repiten filas. Fechas: `YYYY-MM-DD` (UTC; `hasta` incluye todo el día) o fecha-hora ISO 8601.',
    query: ventasListQuery,
    responses: {
      200: {
        description: 'Una página de ventas',
        schema: object({
          transacciones: { type: 'array', items: itemSchema },
          next_cursor: { type: ['string', 'null'] },
          limit: { type: 'integer' },
          offset: { type: ['integer', 'null'] },
          total: { type: ['integer', 'null'], description: 'Ventas que cumplen los filtros (null en una página pedida con cursor)' },
          empresa_id: str(),
        }, ['transacciones', 'next_cursor', 'limit', 'offset', 'total', 'empresa_id']),
        example: { transacciones: [itemExample], next_cursor: 'WyIyMDI1LTAxLTE1VDEwOjAwOjAwLjEyMzQ1NloiLCJUUlhfMEExQjJDM0Q0RTVGIl0', limit: 50, offset: 0, total: 1, empresa_id: 'EMP_3A9F1C0B2D' },
      },
      ...clienteErrors,
      404: errorResponse('El router del filtro es de otra empresa', 'Router no encontrado'),
      422: errorResponse('Filtro o cursor inválido', "El campo 'limit' debe ser menor o igual a 200"),
    },
    handler: (ctx, { query }) => ventas.list(empresaOf(ctx), query),
  });

  // Before `/:transaccion_id`, which would otherwise take "export.csv" for an id.
  api.add({
    method: 'get', path: `${base}/export.csv`, auth: 'cliente_admin', tags,
    summary: 'Exportar las ventas de mi empresa a CSV (mismos filtros que la lista)',
    description: 'Todas las ventas que cumplen los filtros, de la más reciente a la más antigua, enviadas mientras se leen (sin límite de filas). '
      + 'UTF-8 con BOM (Excel), separado por comas, fechas en la zona horaria de la empresa y en UTC. Las celdas que una hoja de cálculo '
      + 'ejecutaría como fórmula (empiezan con = + - @) llevan un apóstrofo delante. Sin contraseñas hotspot ni datos de tarjeta.',
    query: ventasExportQuery,
    responses: {
      200: { description: 'CSV (UTF-8 con BOM), como descarga', contentType: 'text/csv' },
      ...clienteErrors,
      404: errorResponse('El router del filtro es de otra empresa', 'Router no encontrado'),
      422: errorResponse('Filtro inválido', "El campo 'desde' no puede ser posterior a 'hasta'"),
    },
    handler: async (ctx, { query }) => {
      const csv = await ventasExport.csv(empresaOf(ctx), query);
      ctx.status = 200;
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="${csv.fileName}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = csv.stream;
      return undefined;
    },
  });

  api.add({
    method: 'get', path: `${base}/:transaccion_id`, auth: 'cliente_admin', tags,
    summary: 'Una venta con su historial de eventos',
    description: 'Incluye la contraseña hotspot del cliente (credencial del cliente del operador); nunca secretos de las pasarelas.',
    params: pathParams({ transaccion_id: looseId('ID de la transacción: TRX_ + 12 hex mayúsculas', 'TRX_0A1B2C3D4E5F') }),
    responses: {
      200: {
        description: 'Venta y eventos (el más antiguo primero)',
        schema: {
          type: 'object',
          properties: {
            ...(itemSchema.properties as Record<string, JsonSchema>),
            hotspot_password: nullableString,
            eventos: {
              type: 'array',
              items: object({ tipo: str(), de: nullableString, a: nullableString, detalle: { type: ['object', 'null'] }, creado_en: dateTime }),
            },
          },
          required: [...Object.keys(itemExample), 'hotspot_password', 'eventos'],
        },
        example: {
          ...itemExample,
          empresa_id: 'EMP_3A9F1C0B2D',
          hotspot_password: 'x4k9mp2rtw',
          eventos: [
            { tipo: 'creada', de: null, a: null, detalle: { gateway: 'conekta', monto: '20.00', moneda: 'MXN' }, creado_en: '2025-01-15T10:00:00.000Z' },
            { tipo: 'pago_aprobado', de: 'pending', a: 'paid', detalle: {}, creado_en: '2025-01-15T10:00:01.000Z' },
          ],
        },
      },
      ...clienteErrors,
      404: errorResponse('La venta no existe o es de otra empresa', 'Transacción no encontrada'),
    },
    handler: (ctx, { params }) => ventas.get(empresaOf(ctx), params.transaccion_id),
  });
}
