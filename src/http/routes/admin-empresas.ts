/** Super admin: companies, the global dashboard and per-company stats. */
import type { DashboardService } from '../../services/dashboard-service';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../../services/dashboard-service';
import type { EmpresaCreate, EmpresasService, EmpresaUpdate } from '../../services/empresas-service';
import type { ApiRouter } from '../api-router';
import { dateTime, email, object, pathParams, str } from '../schemas';
import type { JsonSchema } from '../validation';
import { adminErrors, empresaIdParam, empresaNotFound, line, optionalLine, secretText, validationError } from './admin-common';

const tags = ['Super admin: empresas'];
const mode: JsonSchema = { type: 'string', enum: ['test', 'live'] };
const nullableStr: JsonSchema = { type: ['string', 'null'] };

const empresaFields: Record<string, JsonSchema> = {
  nombre: line(200, { description: 'Nombre comercial de la empresa' }),
  contacto_email: { ...email, description: 'Correo de contacto principal' },
  contacto_telefono: optionalLine(40, { description: 'Teléfono de contacto' }),
  conekta_private_key: secretText(255, { description: 'Llave privada de Conekta (puede ser provisional). Se guarda cifrada y nunca se devuelve.' }),
  conekta_public_key: line(255, { description: 'Llave pública de Conekta (puede ser provisional)' }),
  conekta_mode: { ...mode, description: 'Modo de Conekta: "test" o "live"' },
  telegram_bot_token: { ...secretText(255), type: ['string', 'null'], description: 'Token del bot de Telegram para avisos (opcional). Se guarda cifrado.' },
  telegram_chat_id: optionalLine(64, { description: 'Chat de Telegram que recibe los avisos (opcional)' }),
};

const empresaExample = {
  id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza Central', contacto_email: 'contacto@wifiplaza.mx', contacto_telefono: '+52 55 1234 5678',
  activa: true, creada_en: '2025-01-15T09:00:00.000Z', actualizada_en: '2025-01-15T09:00:00.000Z',
  conekta_configurado: true, conekta_public_key: 'key_test_default_pub', conekta_mode: 'test',
  mercado_pago_configurado: false, mp_public_key: null, mp_mode: 'test', telegram_configurado: false, telegram_chat_id: null,
};

export const empresaSchema = object({
  id: str({ pattern: '^EMP_[0-9A-F]{10}$' }),
  nombre: str(),
  contacto_email: str(),
  contacto_telefono: nullableStr,
  activa: { type: 'boolean' },
  creada_en: dateTime,
  actualizada_en: dateTime,
  conekta_configurado: { type: 'boolean', description: 'true si hay llave privada de Conekta guardada (la llave nunca se devuelve)' },
  conekta_public_key: nullableStr,
  conekta_mode: mode,
  mercado_pago_configurado: { type: 'boolean' },
  mp_public_key: nullableStr,
  mp_mode: mode,
  telegram_configurado: { type: 'boolean' },
  telegram_chat_id: nullableStr,
}, Object.keys(empresaExample));

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

export function registerAdminEmpresasRoutes(api: ApiRouter, deps: { empresas: EmpresasService; dashboard: DashboardService }) {
  const { empresas, dashboard } = deps;
  const byId = pathParams({ empresa_id: empresaIdParam });

  api.add<EmpresaCreate>({
    method: 'post', path: '/admin/empresas', auth: 'super_admin', tags,
    summary: 'Crear una empresa (operador WiFi)',
    description: 'La llave privada de Conekta se guarda cifrada; las respuestas solo indican `conekta_configurado`.',
    body: object(empresaFields, ['nombre', 'contacto_email', 'conekta_private_key', 'conekta_public_key', 'conekta_mode'], {
      example: {
        nombre: 'WiFi Plaza Central', contacto_email: 'contacto@wifiplaza.mx', contacto_telefono: '+52 55 1234 5678',
        conekta_private_key: 'key_test_default', conekta_public_key: 'key_test_default_pub', conekta_mode: 'test',
      },
    }),
    responses: {
      200: { description: 'Empresa creada', schema: empresaSchema, example: empresaExample },
      ...adminErrors,
      422: validationError("El campo 'contacto_email' no tiene un formato válido (email)"),
    },
    handler: (_ctx, { body }) => empresas.create(body),
  });

  api.add<unknown, { activa?: boolean }>({
    method: 'get', path: '/admin/empresas', auth: 'super_admin', tags,
    summary: 'Listar empresas (las más recientes primero)',
    query: object({ activa: { type: 'boolean', description: 'Filtrar por empresas activas o inactivas' } }),
    responses: {
      200: { description: 'Empresas', schema: { type: 'array', items: empresaSchema }, example: [empresaExample] },
      ...adminErrors,
    },
    handler: (_ctx, { query }) => empresas.list(query),
  });

  api.add<unknown, unknown, { empresa_id: string }>({
    method: 'get', path: '/admin/empresas/:empresa_id', auth: 'super_admin', tags,
    summary: 'Obtener una empresa',
    params: byId,
    responses: { 200: { description: 'Empresa', schema: empresaSchema, example: empresaExample }, ...adminErrors, 404: empresaNotFound },
    handler: (_ctx, { params }) => empresas.get(params.empresa_id),
  });

  api.add<EmpresaUpdate, unknown, { empresa_id: string }>({
    method: 'put', path: '/admin/empresas/:empresa_id', auth: 'super_admin', tags,
    summary: 'Actualizar una empresa (parcial: los campos omitidos conservan su valor)',
    params: byId,
    body: object(empresaFields, [], { example: { contacto_telefono: '+52 55 8765 4321', conekta_mode: 'live' } }),
    responses: {
      200: { description: 'Empresa actualizada', schema: empresaSchema, example: { ...empresaExample, contacto_telefono: '+52 55 8765 4321', conekta_mode: 'live' } },
      ...adminErrors,
      404: empresaNotFound,
      422: validationError('Campo no permitido: \'activa\''),
    },
    handler: (_ctx, { params, body }) => empresas.update(params.empresa_id, body),
  });

  api.add<unknown, unknown, { empresa_id: string }>({
    method: 'put', path: '/admin/empresas/:empresa_id/toggle-activo', auth: 'super_admin', tags,
    summary: 'Activar o desactivar una empresa',
    description: 'Al desactivarla, todas las API Keys de sus routers se rechazan (401) desde la siguiente petición.',
    params: byId,
    responses: {
      200: {
        description: 'Nuevo estado',
        schema: object({ message: str(), empresa_id: str(), activa: { type: 'boolean' } }, ['message', 'empresa_id', 'activa']),
        example: { message: 'Empresa desactivada correctamente', empresa_id: 'EMP_3A9F1C0B2D', activa: false },
      },
      ...adminErrors,
      404: empresaNotFound,
    },
    handler: (_ctx, { params }) => empresas.toggle(params.empresa_id),
  });

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

  api.add<unknown, unknown, { empresa_id: string }>({
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
