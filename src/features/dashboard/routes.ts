/** Super admin: the global dashboard and per-company stats. */
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, object, pathParams, str } from '../../platform/http/schemas';
import type { JsonSchema } from '../../platform/http/validation';
import { adminErrors, empresaIdParam, empresaNotFound } from '../../platform/http/admin-common';
import type { DashboardService } from './service';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../transacciones';

const tags = ['Super admin: empresas'];

const countMap = (keys: readonly string[]) => object(Object.fromEntries(keys.map((k) => [k, { type: 'integer' }])), [...keys]);
const ingresosSchema: JsonSchema = {
  type: 'object',
  description: 'Ingresos de transacciones pagadas (estado_pago = paid) por moneda; total como decimal en texto',
  additionalProperties: object({ total: str({ pattern: '^\\d+\\.\\d{2}$' }), transacciones: { type: 'integer' } }, ['total', 'transacciones']),
};
const alertaSchema = object({
  key_id: str(), router_id: str(), router_nombre: str(), empresa_id: str(), empresa_nombre: str(),
  threshold_days: { type: 'integer' }, days_left: { type: 'integer' }, expires_at: dateTime, revoked: { type: 'boolean' },
  telegram_status: str(), created_at: dateTime,
});
const transaccionesSchema = object({ total: { type: 'integer' }, por_estado_pago: countMap(ESTADOS_PAGO), por_estado_hotspot: countMap(ESTADOS_HOTSPOT) });

const zeroes = (keys: readonly string[], extra: Record<string, number> = {}) => ({ ...Object.fromEntries(keys.map((k) => [k, 0])), ...extra });
const alertaExample = {
  key_id: 'key_a1b2c3d4e5f6a7b8', router_id: 'RTR_A1B2C3D4', router_nombre: 'Router Principal', empresa_id: 'EMP_3A9F1C0B2D',
  empresa_nombre: 'WiFi Plaza Central', threshold_days: 30, days_left: 29, expires_at: '2026-01-15T09:00:00.000Z', revoked: false,
  telegram_status: 'sent', created_at: '2025-12-17T06:00:00.000Z',
};
const transaccionesExample = {
  total: 12,
  por_estado_pago: zeroes(ESTADOS_PAGO, { paid: 10, declined: 2 }),
  por_estado_hotspot: zeroes(ESTADOS_HOTSPOT, { active: 10, pending: 2 }),
};

export function registerDashboardRoutes(api: ApiRouter, deps: { dashboard: DashboardService }) {
  const { dashboard } = deps;
  const byId = pathParams({ empresa_id: empresaIdParam });
  api.add({
    method: 'get', path: '/admin/dashboard', auth: 'super_admin', tags,
    summary: 'Tablero global: empresas, routers, usuarios, transacciones, ingresos y API Keys',
    responses: {
      200: {
        description: 'Estadísticas globales',
        schema: object({
          estadisticas: object({
            total_empresas: { type: 'integer' }, empresas_activas: { type: 'integer' }, empresas_inactivas: { type: 'integer' },
            total_routers: { type: 'integer' }, routers_activos: { type: 'integer' }, routers_inactivos: { type: 'integer' },
            total_usuarios: { type: 'integer' }, usuarios_activos: { type: 'integer' },
            usuarios_super_admin: { type: 'integer' }, usuarios_cliente_admin: { type: 'integer' },
          }),
          transacciones: transaccionesSchema,
          ingresos: ingresosSchema,
          api_keys: object({ activas: { type: 'integer' }, por_expirar_30_dias: { type: 'integer' } }),
          alertas_api_keys: { type: 'array', items: alertaSchema, description: 'Últimos avisos de expiración de API Keys' },
          timestamp: dateTime,
        }),
        example: {
          estadisticas: {
            total_empresas: 3, empresas_activas: 2, empresas_inactivas: 1, total_routers: 5, routers_activos: 4, routers_inactivos: 1,
            total_usuarios: 4, usuarios_activos: 4, usuarios_super_admin: 1, usuarios_cliente_admin: 3,
          },
          transacciones: transaccionesExample,
          ingresos: { MXN: { total: '1500.00', transacciones: 10 } },
          api_keys: { activas: 5, por_expirar_30_dias: 1 },
          alertas_api_keys: [alertaExample],
          timestamp: '2025-12-17T12:00:00.000Z',
        },
      },
      ...adminErrors,
    },
    handler: () => dashboard.global(),
  });

  api.add({
    method: 'get', path: '/admin/empresas/:empresa_id/stats', auth: 'super_admin', tags,
    summary: 'Estadísticas de una empresa',
    params: byId,
    responses: {
      200: {
        description: 'Estadísticas de la empresa',
        schema: object({
          empresa: object({ id: str(), nombre: str(), activa: { type: 'boolean' }, creada_en: dateTime, contacto_email: str() }),
          estadisticas: object({
            total_routers: { type: 'integer' }, routers_activos: { type: 'integer' }, routers_inactivos: { type: 'integer' },
            total_usuarios_admin: { type: 'integer' }, api_keys_activas: { type: 'integer' }, api_keys_por_expirar_30_dias: { type: 'integer' },
            total_productos: { type: 'integer' }, productos_activos: { type: 'integer' },
          }),
          transacciones: transaccionesSchema,
          ingresos: ingresosSchema,
          alertas_api_keys: { type: 'array', items: alertaSchema },
          timestamp: dateTime,
        }),
        example: {
          empresa: { id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza Central', activa: true, creada_en: '2025-01-15T09:00:00.000Z', contacto_email: 'contacto@wifiplaza.mx' },
          estadisticas: {
            total_routers: 2, routers_activos: 2, routers_inactivos: 0, total_usuarios_admin: 1, api_keys_activas: 2,
            api_keys_por_expirar_30_dias: 0, total_productos: 4, productos_activos: 3,
          },
          transacciones: transaccionesExample,
          ingresos: { MXN: { total: '1500.00', transacciones: 10 } },
          alertas_api_keys: [],
          timestamp: '2025-12-17T12:00:00.000Z',
        },
      },
      ...adminErrors,
      404: empresaNotFound,
    },
    handler: (_ctx, { params }) => dashboard.empresa(params.empresa_id),
  });
}
