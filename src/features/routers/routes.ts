/** Cliente admin: the company's routers, their hotspot profiles read live, and a connection test (issue 4 item 3). */
import type { MisRoutersService } from './mis-routers-service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf, looseId, nullableInteger, nullableString } from '../../platform/http/cliente-common';
import { host, line, optionalLine, port, secretText } from '../../platform/http/admin-common';
import { ValidationError } from '../../platform/errors';
import { PRUEBA_EXAMPLE, pruebaReadSchema, pruebaSchema } from './prueba';
import { PRUEBAS_CONTEO_EXAMPLE, pruebasConteoSchema } from './pruebas-conteo';

const tags = ['Cliente admin: routers'];

const routerExample = {
  id: 'RTR_A1B2C3D4', empresa_id: 'EMP_3A9F1C0B2D', nombre: 'Router Principal', host: 'router.hotelplaza.mx', puerto: 8728, tls: false,
  usuario: 'api', ubicacion: 'Lobby Piso 1', activo: true, creado_en: '2025-01-15T09:00:00.000Z', actualizado_en: '2025-01-15T09:00:00.000Z',
  modo: 'api', radius_direccion: null, ultimo_latido: null, direccion_compartida: null, direccion_compartida_en: null,
  prueba: PRUEBA_EXAMPLE,
};
const routerSchema = object({
  id: str(), empresa_id: str(), nombre: str(), host: nullableString, puerto: { type: 'integer' }, tls: { type: 'boolean' }, usuario: nullableString,
  ubicacion: nullableString, activo: { type: 'boolean' }, creado_en: dateTime, actualizado_en: dateTime, prueba: pruebaReadSchema,
  modo: { type: 'string', enum: ['api', 'radius'], description: "'radius': el router pregunta al servidor RADIUS; el servicio nunca se conecta a su API" },
  radius_direccion: { ...nullableString, description: 'Modo radius: dirección IPv4 del último latido' },
  ultimo_latido: { ...nullableString, format: 'date-time' },
  direccion_compartida: { ...nullableString, description: 'Modo radius: dirección de un latido rechazado porque otro router de este servicio la usa (CGNAT); null tras un latido aceptado' },
  direccion_compartida_en: { ...nullableString, format: 'date-time' },
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
  409: errorResponse('El router está en modo RADIUS: el servicio no se conecta a su API (code: modo_radius)', 'Este router está en modo RADIUS: ...'),
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
    description: '`aviso_direccion` dice, en español, por qué el servicio no contacta el router cuando su dirección está en una red '
      + 'no permitida (ROUTER_ALLOWED_NETWORKS); null si no hay nada que avisar. '
      + '`pruebas_conteo`: el último conteo de pruebas gratis iniciadas hoy (leído del router por un trabajo periódico, o de su latido en modo RADIUS); '
      + '`estado: desconocido` cuando la última lectura falló o es antigua.',
    params,
    responses: {
      200: {
        description: 'Router',
        schema: { ...routerSchema, properties: { ...(routerSchema.properties as object), aviso_direccion: nullableString, pruebas_conteo: pruebasConteoSchema } },
        example: { ...routerExample, aviso_direccion: null, pruebas_conteo: PRUEBAS_CONTEO_EXAMPLE },
      },
      ...clienteErrors, 404: routerNotFound,
    },
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
          router: { type: 'object' }, perfiles_encontrados: nullableInteger, router_name: str(), error: nullableString, timestamp: dateTime,
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

  // The original's paths for the company's own routers (issue 13).
  const compatNotFound = errorResponse('El router no existe o es de otra empresa', 'Router no encontrado o no pertenece a tu empresa');
  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa/routers', auth: 'cliente_admin', tags,
    summary: 'Routers de mi empresa (forma del servicio original; nunca su contraseña)',
    responses: {
      200: {
        description: 'Routers',
        schema: object({ empresa_id: str(), total: { type: 'integer' }, routers: { type: 'array', items: routerSchema } }, ['empresa_id', 'total', 'routers']),
        example: { empresa_id: 'EMP_3A9F1C0B2D', total: 1, routers: [routerExample] },
      },
      ...clienteErrors,
    },
    handler: (ctx) => misRouters.listCompat(empresaOf(ctx)),
  });

  api.add({
    method: 'put', path: '/api/v1/admin/mi-empresa/routers/:router_id', auth: 'cliente_admin', tags,
    summary: 'Corregir mi router: nombre, ubicación, host, puerto y credenciales de la API (se prueba la conexión)',
    description: 'Parcial: un campo omitido conserva su valor (también el puerto). La contraseña (`password`, o `password_encrypted` como la llamaba '
      + 'el original) se guarda cifrada y nunca se devuelve. Después de guardar se prueba la conexión con los tiempos máximos del router: '
      + '`conexion_ok` dice si funcionó y `error` por qué no.',
    params,
    body: object({
      nombre: line(120, { example: 'Router Lobby' }),
      host,
      puerto: port,
      usuario: line(100, { example: 'api' }),
      password: secretText(255),
      password_encrypted: secretText(255, { description: 'Nombre del servicio original para la contraseña (se recibe en claro y se cifra aquí)' }),
      ubicacion: optionalLine(255, { example: 'Lobby Piso 1' }),
      modo: { type: 'string', enum: ['api', 'radius'], description: "'api' o 'radius' (routers detrás de NAT: sin host, usuario ni contraseña)" },
      prueba: pruebaSchema,
    }, [], { example: { host: 'wifi.hotelplaza.mx', puerto: 8728, usuario: 'api', password: 'nueva-clave' } }),
    responses: {
      200: {
        description: 'Router guardado y resultado de la prueba de conexión',
        schema: object({
          message: str(), router: routerSchema, conexion_ok: { type: 'boolean' }, mensaje: str(), error: nullableString,
          identity: nullableString, latency_ms: nullableInteger,
        }, ['message', 'router', 'conexion_ok', 'mensaje', 'error']),
        example: {
          message: 'Router actualizado correctamente', router: routerExample, conexion_ok: true, mensaje: 'Conexión exitosa con el router.', error: null,
          identity: 'MikroTik-Lobby', latency_ms: 12,
        },
      },
      ...clienteErrors,
      404: compatNotFound,
      422: errorResponse('Campo inválido o no permitido', "Campo no permitido: 'empresa_id'"),
    },
    handler: (ctx, { params: p, body }) => {
      const { password_encrypted: legacy, ...rest } = body;
      if (legacy !== undefined && rest.password !== undefined && legacy !== rest.password) {
        throw new ValidationError("Envíe 'password' o 'password_encrypted', no ambos", 'password');
      }
      return misRouters.updateOwn(empresaOf(ctx), p.router_id, { ...rest, ...(legacy !== undefined && rest.password === undefined ? { password: legacy } : {}) });
    },
  });
}
