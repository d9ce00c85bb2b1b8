/** Captive portal (router API key): the catalog of THIS router and a check of the key (issue 5 item 4, issue 4 item 3). */
import type { CatalogoService } from './catalogo-service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { looseId, nullableInteger, nullableString, portalErrors } from '../../platform/http/cliente-common';
import { validarEmpresaRouterBody } from './schemas';

const tags = ['Portal cautivo'];

const itemExample = {
  id: 7, router_id: 'RTR_A1B2C3D4', perfil_mikrotik_id: '*3', perfil_mikrotik_nombre: '1hora', nombre_venta: '1 Hora de Internet',
  descripcion: 'Acceso ilimitado por 1 hora', imagen_url: null, precio: 20, precio_decimal: '20.00', moneda: 'MXN', detalles: { velocidad: '10 Mbps' },
  limit_uptime: '1h', limit_bytes_total: null, vigencia_minutos: 1440, limite_velocidad: '2M/10M', dispositivos: 1, vigencia_desde: 'activacion', destacado: true, orden_visual: 1, creado_en: '2025-01-15T09:00:00.000Z',
};
const itemSchema = object({
  id: { type: 'integer', description: 'Úselo como producto_id al pagar' }, router_id: str(), perfil_mikrotik_id: nullableString,
  perfil_mikrotik_nombre: str(), nombre_venta: str(), descripcion: nullableString, imagen_url: nullableString,
  precio: { type: 'number', description: 'Número JSON, como en el servicio original' },
  precio_decimal: str({ pattern: '^\\d+\\.\\d{2}$', description: 'Decimal exacto en texto' }), moneda: { type: 'string', enum: ['MXN', 'USD', 'EUR'] },
  detalles: { type: ['object', 'array'] }, limit_uptime: nullableString, limit_bytes_total: nullableInteger, vigencia_minutos: nullableInteger,
  limite_velocidad: nullableString, dispositivos: { type: 'integer', minimum: 1, description: 'Dispositivos simultáneos' },
  vigencia_desde: { type: 'string', enum: ['activacion', 'primer_uso'], description: 'La vigencia cuenta desde la activación o desde el primer uso' },
  destacado: { type: 'boolean' }, orden_visual: { type: 'integer' }, creado_en: dateTime,
}, Object.keys(itemExample));

const noDisponible = errorResponse('El producto no existe, es de otro router, está inactivo o fue eliminado', 'Producto no encontrado o no disponible');

export function registerCatalogoRoutes(api: ApiRouter, deps: { catalogo: CatalogoService }) {
  const { catalogo } = deps;

  api.add({
    method: 'get', path: '/api/v1/catalogo_perfiles_venta', auth: 'router_key', tags,
    summary: 'Catálogo de productos a la venta en este router',
    description: 'Solo productos activos y no eliminados del router de la API Key, ordenados: destacados primero, luego `orden_visual` y `id`.',
    responses: {
      200: { description: 'Productos ([] si no hay)', schema: { type: 'array', items: itemSchema }, example: [itemExample] },
      ...portalErrors,
    },
    handler: (ctx) => catalogo.list(ctx.state.router!, ctx.state.authGeneration ?? null),
  });

  api.add({
    method: 'get', path: '/api/v1/catalogo_perfiles_venta/:producto_id', auth: 'router_key', tags,
    summary: 'Un producto del catálogo de este router',
    params: pathParams({ producto_id: looseId('ID numérico del producto', '7') }),
    responses: { 200: { description: 'Producto', schema: itemSchema, example: itemExample }, ...portalErrors, 404: noDisponible },
    handler: (ctx, { params }) => catalogo.get(ctx.state.router!, params.producto_id),
  });

  api.add({
    method: 'post', path: '/api/v1/routers/validar-empresa-router', auth: 'router_key', tags,
    summary: 'Validar la API Key del portal y probar la conexión con su router',
    description: 'Con `empresa_id` y/o `router_id` en el cuerpo comprueba además que la API Key sea de esa empresa y ese router. '
      + 'Una API Key inválida, revocada, expirada o de un router/empresa inactivos es 401. Con una API Key válida se prueba la conexión con el router '
      + '(acotada por MIKROTIK_CONNECT_TIMEOUT_MS): `conexion_ok`, y `estado` activo o router_inactivo (no respondió).',
    body: validarEmpresaRouterBody,
    responses: {
      200: {
        description: 'Resultado de la validación',
        schema: object({
          success: { type: 'boolean' }, estado: { type: 'string', enum: ['activo', 'router_inactivo', 'empresa_inactiva'] },
          conexion_ok: { type: 'boolean' }, mensaje_conexion: nullableString, error_detalle: nullableString, timestamp: dateTime,
          valido: { type: 'boolean' }, empresa_valida: { type: 'boolean' }, router_valido: { type: 'boolean' }, mensaje: str(),
          empresa: object({ id: str(), nombre: str(), activa: { type: 'boolean' } }),
          router: object({ id: str(), nombre: str(), ubicacion: nullableString, activo: { type: 'boolean' } }),
          api_key: object({ key_id: str(), expires_at: dateTime }),
        }, ['valido', 'empresa_valida', 'router_valido', 'mensaje', 'empresa', 'router', 'api_key']),
        example: {
          success: true, estado: 'activo', conexion_ok: true, error_detalle: null, timestamp: '2025-01-15T16:30:00.000Z',
          valido: true, empresa_valida: true, router_valido: true, mensaje: 'La API Key es válida para esta empresa y este router',
          empresa: { id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza', activa: true },
          router: { id: 'RTR_A1B2C3D4', nombre: 'Router Principal', ubicacion: 'Lobby', activo: true },
          api_key: { key_id: 'key_a1b2c3d4e5f6a7b8', expires_at: '2026-01-15T09:00:00.000Z' },
        },
      },
      ...portalErrors,
      422: errorResponse('Cuerpo inválido', "Campo no permitido: 'foo'"),
    },
    handler: (ctx, { body }) => catalogo.validarEmpresaRouter(ctx.state.router!, body),
  });
}
