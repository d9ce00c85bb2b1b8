/** Cliente admin: the company's routers, their hotspot profiles read live, and a connection test (issue 4 item 3). */
import type { MisRoutersService } from './mis-routers-service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf, looseId, nullableInteger, nullableString } from '../../platform/http/cliente-common';

const tags = ['Cliente admin: routers'];

const routerExample = {
  id: 'RTR_A1B2C3D4', empresa_id: 'EMP_3A9F1C0B2D', nombre: 'Router Principal', host: '192.168.88.1', puerto: 8728, tls: false,
  usuario: 'api', ubicacion: 'Lobby Piso 1', activo: true, creado_en: '2025-01-15T09:00:00.000Z', actualizado_en: '2025-01-15T09:00:00.000Z',
};
const routerSchema = object({
  id: str(), empresa_id: str(), nombre: str(), host: str(), puerto: { type: 'integer' }, tls: { type: 'boolean' }, usuario: str(),
  ubicacion: nullableString, activo: { type: 'boolean' }, creado_en: dateTime, actualizado_en: dateTime,
}, Object.keys(routerExample));
const routerListSchema = {
  ...routerSchema,
  properties: { ...(routerSchema.properties as object), productos: object({ total: { type: 'integer' }, activos: { type: 'integer' } }) },
  required: [...Object.keys(routerExample), 'productos'],
};

const profileExample = {
  id: '*3', name: '1hora', session_timeout: '1h', idle_timeout: 'none', keepalive_timeout: '2m', shared_users: 1, rate_limit: '2M/5M',
  address_list: null, address_pool: null, mac_cookie_timeout: '3d', add_mac_cookie: true, status_autorefresh: '1m', transparent_proxy: true,
  open_status_page: 'always', incoming_filter: null, outgoing_filter: null, parent_queue: null, is_default: false,
};
const nullableBool = { type: ['boolean', 'null'] };
const profileSchema = object({
  id: str({ description: 'Id RouterOS del perfil (*N)' }), name: str({ description: 'Úselo como perfil_mikrotik_nombre' }),
  session_timeout: nullableString, idle_timeout: nullableString, keepalive_timeout: nullableString,
  shared_users: { ...nullableInteger, description: 'null = ilimitado' }, rate_limit: nullableString, address_list: nullableString,
  address_pool: nullableString, mac_cookie_timeout: nullableString, add_mac_cookie: nullableBool, status_autorefresh: nullableString,
  transparent_proxy: nullableBool, open_status_page: nullableString, incoming_filter: nullableString, outgoing_filter: nullableString,
  parent_queue: nullableString, is_default: { type: 'boolean' },
}, Object.keys(profileExample));

const routerNotFound = errorResponse('El router no existe o es de otra empresa', 'Router no encontrado');
const routerErrors = {
  400: errorResponse('El router está inactivo', 'El router está inactivo'),
  404: routerNotFound,
  502: errorResponse('El router rechazó la conexión o las credenciales', 'No se pudo conectar con el router: conexión rechazada'),
  503: errorResponse('El router falló varias veces seguidas; se reintentará en unos segundos', 'El router no responde; se reintentará en unos segundos'),
  504: errorResponse('El router no respondió a tiempo', 'No se pudo conectar con el router: tiempo de espera agotado'),
};

export function registerAdminRoutersMikrotikRoutes(api: ApiRouter, deps: { misRouters: MisRoutersService }) {
  const { misRouters } = deps;
  const base = '/api/v1/admin/routers';
  const params = pathParams({ router_id: looseId('ID del router: RTR_ + 8 hex mayúsculas', 'RTR_A1B2C3D4') });

  api.add({
    method: 'get', path: base, auth: 'cliente_admin', tags,
    summary: 'Routers de mi empresa (nunca su contraseña)',
    responses: {
      200: { description: 'Routers', schema: { type: 'array', items: routerListSchema }, example: [{ ...routerExample, productos: { total: 3, activos: 2 } }] },
      ...clienteErrors,
    },
    handler: (ctx) => misRouters.list(empresaOf(ctx)),
  });

  api.add({
    method: 'get', path: `${base}/:router_id`, auth: 'cliente_admin', tags,
    summary: 'Un router de mi empresa',
    params,
    responses: { 200: { description: 'Router', schema: routerSchema, example: routerExample }, ...clienteErrors, 404: routerNotFound },
    handler: (ctx, { params: p }) => misRouters.get(empresaOf(ctx), p.router_id),
  });

  api.add({
    method: 'get', path: `${base}/:router_id/mikrotik-profiles`, auth: 'cliente_admin', tags,
    summary: 'Perfiles hotspot configurados en el router (consulta en vivo)',
    description: 'Se conecta al router con los tiempos máximos configurados. Use `name` como perfil_mikrotik_nombre al crear productos.',
    params,
    responses: {
      200: { description: 'Perfiles', schema: { type: 'array', items: profileSchema }, example: [profileExample] },
      ...clienteErrors,
      ...routerErrors,
    },
    handler: (ctx, { params: p }) => misRouters.profiles(empresaOf(ctx), p.router_id),
  });

  api.add({
    method: 'get', path: `${base}/:router_id/test-connection`, auth: 'cliente_admin', tags,
    summary: 'Probar la conexión con el router',
    description: 'Prueba explícita: se intenta aunque el router haya fallado hace poco. Un fallo responde con el estado y el motivo del error del router.',
    params,
    responses: {
      200: {
        description: 'Conexión correcta',
        schema: object({
          success: { const: true }, router_id: str(), message: str(), identity: str(), version: nullableString, board_name: nullableString,
          uptime: nullableString, latency_ms: { type: 'integer' },
        }, ['success', 'router_id', 'message', 'identity', 'version', 'board_name', 'uptime', 'latency_ms']),
        example: {
          success: true, router_id: 'RTR_A1B2C3D4', message: 'Conexión exitosa con el router', identity: 'MikroTik-Lobby', version: '7.18',
          board_name: 'hAP ac2', uptime: '3d4h', latency_ms: 42,
        },
      },
      ...clienteErrors,
      ...routerErrors,
    },
    handler: (ctx, { params: p }) => misRouters.testConnection(empresaOf(ctx), p.router_id),
  });
}
