/** Super admin: routers of a company and their API key lifecycle (seed 003). */
import type { RoutersService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import type { JsonSchema } from '../../platform/http/validation';
import { adminErrors, empresaIdParam, empresaNotFound, keyIdParam, routerIdParam, routerNotFound, validationError } from '../../platform/http/admin-common';
import { routerCreateBody, routerUpdateBody } from './schemas';

const tags = ['Super admin: routers y API Keys'];
const nullableStr = { type: ['string', 'null'] } as const;
const nullableDate = { type: ['string', 'null'], format: 'date-time' } as const;

const routerExample = {
  id: 'RTR_A1B2C3D4', empresa_id: 'EMP_3A9F1C0B2D', nombre: 'Router Principal', host: '192.168.88.1', puerto: 8728, tls: false, tls_insecure: false,
  usuario: 'admin', ubicacion: 'Lobby Piso 1', activo: true, creado_en: '2025-01-15T09:00:00.123Z', actualizado_en: '2025-01-15T09:00:00.123Z',
  modo: 'api', radius_direccion: null, ultimo_latido: null, direccion_compartida: null, direccion_compartida_en: null,
};

const routerSchema = object({
  id: str({ pattern: '^RTR_[0-9A-F]{8}$' }),
  empresa_id: str(),
  nombre: str(),
  host: { ...nullableStr, description: 'null en modo radius cuando no se dio' },
  puerto: { type: 'integer' },
  tls: { type: 'boolean' },
  tls_insecure: { type: 'boolean' },
  usuario: nullableStr,
  ubicacion: nullableStr,
  activo: { type: 'boolean' },
  creado_en: dateTime,
  actualizado_en: dateTime,
  modo: { type: 'string', enum: ['api', 'radius'] },
  radius_direccion: { ...nullableStr, description: 'Modo radius: la dirección IPv4 del último latido (su dirección de cliente RADIUS)' },
  ultimo_latido: nullableDate,
  direccion_compartida: { ...nullableStr, description: 'Modo radius: dirección de un latido rechazado porque otro router la usa (CGNAT); null tras un latido aceptado' },
  direccion_compartida_en: nullableDate,
}, Object.keys(routerExample));

const apiKeyInfoSchema = object({
  key_id: str({ pattern: '^key_[0-9a-f]{16}$' }), issued_at: dateTime, expires_at: dateTime, type: { const: 'router_api_key' },
}, ['key_id', 'issued_at', 'expires_at', 'type']);
const apiKeyInfoExample = { key_id: 'key_a1b2c3d4e5f6a7b8', issued_at: '2025-01-15T09:00:00.000Z', expires_at: '2026-01-15T09:00:00.000Z', type: 'router_api_key' };
const API_KEY_EXAMPLE = 'jwt_eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiJrZXlfYTFiMmMzZDRlNWY2YTdiOCJ9.signature';

const keyRecordSchema = object({
  key_id: str(), router_id: str(), empresa_id: str(), issued_at: dateTime, expires_at: dateTime,
  revoked: { type: 'boolean' }, revoked_at: nullableDate, last_used: nullableDate, use_count: { type: 'integer', minimum: 0 },
}, ['key_id', 'router_id', 'empresa_id', 'issued_at', 'expires_at', 'revoked', 'revoked_at', 'last_used', 'use_count']);

const statusSchema = object({
  router_id: str(), has_active_key: { type: 'boolean' }, key_id: nullableStr, issued_at: nullableDate, expires_at: nullableDate,
  expires_in_days: { type: ['integer', 'null'] }, last_used: nullableDate, use_count: { type: 'integer' },
  status: { type: 'string', enum: ['active', 'no_key'] }, warning: nullableStr, recommendation: nullableStr, message: nullableStr,
  expiry_warnings: {
    type: 'array', description: 'Avisos registrados por el job diario de expiración (30, 7 y 1 días antes)',
    items: object({ threshold_days: { type: 'integer' }, days_left: { type: 'integer' }, created_at: { type: 'string', format: 'date-time' }, telegram_status: str() }),
  },
}, ['router_id', 'has_active_key', 'key_id', 'issued_at', 'expires_at', 'expires_in_days', 'last_used', 'use_count', 'status', 'warning', 'recommendation', 'message']);

export function registerAdminRoutersRoutes(api: ApiRouter, deps: { routers: RoutersService }) {
  const { routers } = deps;
  const base = '/admin/empresas/:empresa_id/routers';
  const empresaParams = pathParams({ empresa_id: empresaIdParam });
  const routerParams = pathParams({ empresa_id: empresaIdParam, router_id: routerIdParam });

  api.add({
    method: 'post', path: base, auth: 'super_admin', tags,
    summary: 'Crear un router y su API Key (la API Key completa solo se muestra en esta respuesta)',
    description: 'La empresa debe existir y estar activa. La contraseña del router se guarda cifrada; de la API Key solo se guarda su hash.',
    params: empresaParams,
    body: routerCreateBody,
    responses: {
      200: {
        description: 'Router creado con su API Key',
        schema: object({ ...(routerSchema.properties as Record<string, JsonSchema>), api_key: str({ pattern: '^jwt_' }), api_key_info: apiKeyInfoSchema },
          [...Object.keys(routerExample), 'api_key', 'api_key_info']),
        example: { ...routerExample, api_key: API_KEY_EXAMPLE, api_key_info: apiKeyInfoExample },
      },
      400: errorResponse('El empresa_id del cuerpo no coincide con la ruta, o la empresa está inactiva', 'El empresa_id del cuerpo no coincide con el de la ruta'),
      ...adminErrors,
      404: empresaNotFound,
      422: validationError("El campo 'puerto' debe ser menor o igual a 65535"),
    },
    handler: (_ctx, { params, body }) => routers.create(params.empresa_id, body),
  });

  api.add({
    method: 'get', path: base, auth: 'super_admin', tags,
    summary: 'Listar los routers de una empresa (sin API Keys ni contraseñas)',
    params: empresaParams,
    responses: {
      200: { description: 'Routers', schema: { type: 'array', items: routerSchema }, example: [routerExample] },
      ...adminErrors,
      404: empresaNotFound,
    },
    handler: (_ctx, { params }) => routers.list(params.empresa_id),
  });

  api.add({
    method: 'get', path: `${base}/:router_id`, auth: 'super_admin', tags,
    summary: 'Obtener un router de la empresa',
    params: routerParams,
    responses: { 200: { description: 'Router', schema: routerSchema, example: routerExample }, ...adminErrors, 404: routerNotFound },
    handler: (_ctx, { params }) => routers.get(params.empresa_id, params.router_id),
  });

  api.add({
    method: 'put', path: `${base}/:router_id`, auth: 'super_admin', tags,
    summary: 'Actualizar un router (parcial: los campos omitidos conservan su valor)',
    description: 'Una contraseña nueva se guarda cifrada. Cambiar el puerto a 8729 activa API-SSL salvo que se indique `tls`.',
    params: routerParams,
    body: routerUpdateBody,
    responses: {
      200: { description: 'Router actualizado', schema: routerSchema, example: { ...routerExample, host: '10.0.0.1', puerto: 8729, tls: true } },
      400: errorResponse('El empresa_id del cuerpo no coincide con la ruta', 'El empresa_id del cuerpo no coincide con el de la ruta'),
      ...adminErrors,
      404: routerNotFound,
      422: validationError("El campo 'host' no puede estar vacío"),
    },
    handler: (_ctx, { params, body }) => routers.update(params.empresa_id, params.router_id, body),
  });

  api.add({
    method: 'put', path: `${base}/:router_id/toggle-activo`, auth: 'super_admin', tags,
    summary: 'Activar o desactivar un router',
    description: 'Un router inactivo no procesa pagos: su API Key se rechaza (401) desde la siguiente petición.',
    params: routerParams,
    responses: {
      200: {
        description: 'Nuevo estado',
        schema: object({ message: str(), router_id: str(), activo: { type: 'boolean' } }, ['message', 'router_id', 'activo']),
        example: { message: 'Router desactivado correctamente', router_id: 'RTR_A1B2C3D4', activo: false },
      },
      ...adminErrors,
      404: routerNotFound,
    },
    handler: (_ctx, { params }) => routers.toggle(params.empresa_id, params.router_id),
  });

  api.add({
    method: 'post', path: `${base}/:router_id/regenerate-api-key`, auth: 'super_admin', tags,
    summary: 'Revocar la API Key actual y emitir una nueva (solo se muestra en esta respuesta)',
    params: routerParams,
    responses: {
      200: {
        description: 'API Key regenerada',
        schema: object({
          message: str(), router_id: str(), new_api_key: str({ pattern: '^jwt_' }), api_key_info: apiKeyInfoSchema, previous_key_revoked: { type: 'boolean' },
        }, ['message', 'router_id', 'new_api_key', 'api_key_info', 'previous_key_revoked']),
        example: {
          message: 'API Key regenerada exitosamente', router_id: 'RTR_A1B2C3D4', new_api_key: API_KEY_EXAMPLE,
          api_key_info: apiKeyInfoExample, previous_key_revoked: true,
        },
      },
      400: errorResponse('El router está inactivo', 'No se puede regenerar API key de un router inactivo'),
      ...adminErrors,
      404: routerNotFound,
    },
    handler: (_ctx, { params }) => routers.regenerate(params.empresa_id, params.router_id),
  });

  api.add({
    method: 'get', path: `${base}/:router_id/api-keys`, auth: 'super_admin', tags,
    summary: 'Historial de API Keys del router (la más reciente primero), con uso en vivo',
    params: routerParams,
    responses: {
      200: {
        description: 'API Keys (nunca incluye la llave ni su hash)',
        schema: { type: 'array', items: keyRecordSchema },
        example: [
          {
            key_id: 'key_0f1e2d3c4b5a6978', router_id: 'RTR_A1B2C3D4', empresa_id: 'EMP_3A9F1C0B2D', issued_at: '2025-01-15T15:00:00.000Z',
            expires_at: '2026-01-15T15:00:00.000Z', revoked: false, revoked_at: null, last_used: '2025-01-15T16:30:00.000Z', use_count: 5,
          },
          {
            key_id: 'key_a1b2c3d4e5f6a7b8', router_id: 'RTR_A1B2C3D4', empresa_id: 'EMP_3A9F1C0B2D', issued_at: '2025-01-10T09:00:00.000Z',
            expires_at: '2026-01-10T09:00:00.000Z', revoked: true, revoked_at: '2025-01-15T15:00:00.000Z', last_used: '2025-01-15T14:55:00.000Z', use_count: 87,
          },
        ],
      },
      ...adminErrors,
      404: routerNotFound,
    },
    handler: (_ctx, { params }) => routers.keys(params.empresa_id, params.router_id),
  });

  api.add({
    method: 'post', path: `${base}/:router_id/api-keys/:key_id/revoke`, auth: 'super_admin', tags,
    summary: 'Revocar una API Key concreta sin emitir otra',
    params: pathParams({ empresa_id: empresaIdParam, router_id: routerIdParam, key_id: keyIdParam }),
    responses: {
      200: {
        description: 'API Key revocada',
        schema: object({ message: str(), key_id: str(), router_id: str(), revoked_at: dateTime }, ['message', 'key_id', 'router_id', 'revoked_at']),
        example: { message: 'API Key revocada exitosamente', key_id: 'key_a1b2c3d4e5f6a7b8', router_id: 'RTR_A1B2C3D4', revoked_at: '2025-01-15T16:00:00.123Z' },
      },
      400: errorResponse('La API Key ya estaba revocada', 'La API Key ya está revocada'),
      ...adminErrors,
      404: errorResponse('La API Key no existe para este router y empresa', 'API Key no encontrada'),
    },
    handler: (_ctx, { params }) => routers.revoke(params.empresa_id, params.router_id, params.key_id),
  });

  api.add({
    method: 'get', path: `${base}/:router_id/api-key-status`, auth: 'super_admin', tags,
    summary: 'Estado de la API Key activa (no revocada y no expirada), con avisos',
    description: 'Avisa cuando la llave expira en menos de 30 días ("La API Key expira en N días") o nunca se ha usado.',
    params: routerParams,
    responses: {
      200: {
        description: 'Estado de la API Key',
        schema: statusSchema,
        example: {
          router_id: 'RTR_A1B2C3D4', has_active_key: true, key_id: 'key_0f1e2d3c4b5a6978', issued_at: '2024-01-20T10:00:00.000Z',
          expires_at: '2025-01-30T10:00:00.000Z', expires_in_days: 15, last_used: '2025-01-15T08:00:00.000Z', use_count: 1240,
          status: 'active', warning: 'La API Key expira en 15 días', recommendation: 'Considerar regenerar la API Key pronto', message: null,
        },
      },
      ...adminErrors,
      404: routerNotFound,
    },
    handler: (_ctx, { params }) => routers.keyStatus(params.empresa_id, params.router_id),
  });

  api.add({
    method: 'delete', path: `${base}/:router_id`, auth: 'super_admin', tags,
    summary: 'Eliminar un router y sus registros de API Keys (las transacciones se conservan)',
    description: 'Se rechaza mientras el router tenga productos (no eliminados).',
    params: routerParams,
    responses: {
      200: {
        description: 'Router eliminado',
        schema: object({ message: str(), router_id: str(), empresa_id: str() }, ['message', 'router_id', 'empresa_id']),
        example: { message: 'Router eliminado exitosamente', router_id: 'RTR_A1B2C3D4', empresa_id: 'EMP_3A9F1C0B2D' },
      },
      400: errorResponse('El router tiene productos', 'No se puede eliminar el router porque tiene 2 producto(s) asociado(s)'),
      ...adminErrors,
      404: routerNotFound,
    },
    handler: (_ctx, { params }) => routers.remove(params.empresa_id, params.router_id),
  });
}
