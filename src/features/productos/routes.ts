/** Cliente admin: products = a MikroTik profile of one of the company's routers, at a price (issue 5 item 3). */
import type { ProductosService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import type { JsonSchema } from '../../platform/http/validation';
import { clienteErrors, empresaOf, looseId, nullableInteger, nullableString } from '../../platform/http/cliente-common';
import { productoCreateBody, productoUpdateBody } from './schemas';

export { ROS_INTERVAL_PATTERN } from './schemas';

const tags = ['Cliente admin: productos'];

const productoExample = {
  id: 7, empresa_id: 'EMP_3A9F1C0B2D', router_id: 'RTR_A1B2C3D4', perfil_mikrotik_nombre: '1hora', perfil_mikrotik_id: '*3', perfil_verificado: true,
  nombre_venta: '1 Hora de Internet', descripcion: 'Acceso ilimitado por 1 hora', imagen_url: null, precio: 20, precio_decimal: '20.00', moneda: 'MXN',
  detalles: { velocidad: '10 Mbps' }, limit_uptime: '1h', limit_bytes_total: null, vigencia_minutos: 1440,
  limite_velocidad: '2M/10M', dispositivos: 1, vigencia_desde: 'activacion', activo: true, orden_visual: 1,
  destacado: false, creado_en: '2025-01-15T09:00:00.000Z', actualizado_en: '2025-01-15T09:00:00.000Z',
};

const productoSchema = object({
  id: { type: 'integer' }, empresa_id: str(), router_id: str(), perfil_mikrotik_nombre: str(), perfil_mikrotik_id: nullableString,
  perfil_verificado: { type: 'boolean', description: 'El perfil se comprobó en el router' },
  nombre_venta: str(), descripcion: nullableString, imagen_url: nullableString,
  precio: { type: 'number', description: 'Número JSON, como en el servicio original' },
  precio_decimal: str({ pattern: '^\\d+\\.\\d{2}$', description: 'El precio exacto (decimal en texto)' }),
  moneda: { type: 'string', enum: ['MXN', 'USD', 'EUR'] }, detalles: { type: ['object', 'array'] }, limit_uptime: nullableString,
  limit_bytes_total: nullableInteger, vigencia_minutos: nullableInteger, limite_velocidad: nullableString, dispositivos: { type: 'integer', minimum: 1 },
  vigencia_desde: { type: 'string', enum: ['activacion', 'primer_uso'] }, activo: { type: 'boolean' }, orden_visual: { type: 'integer' },
  destacado: { type: 'boolean' }, creado_en: dateTime, actualizado_en: dateTime,
}, Object.keys(productoExample));

const verificacionSchema = object({ perfil_verificado: { type: 'boolean' }, mensaje: str() }, ['perfil_verificado', 'mensaje']);
const withVerificacion = {
  ...productoSchema,
  properties: { ...(productoSchema.properties as Record<string, JsonSchema>), verificacion: verificacionSchema },
  required: [...Object.keys(productoExample), 'verificacion'],
};
const verifiedExample = { ...productoExample, verificacion: { perfil_verificado: true, mensaje: 'Perfil verificado en el router' } };

const productoNotFound = errorResponse('El producto no existe, fue eliminado o es de otra empresa', 'Producto no encontrado');
const routerNotFound = errorResponse('El router no existe o es de otra empresa', 'Router no encontrado');
const params = pathParams({ producto_id: looseId('ID numérico del producto', '7') });

export function registerProductosRoutes(api: ApiRouter, deps: { productos: ProductosService }) {
  const { productos } = deps;
  const base = '/api/v1/admin/products';

  api.add({
    method: 'post', path: base, auth: 'cliente_admin', tags, status: 201,
    summary: 'Crear un producto (perfil MikroTik de un router de mi empresa, con precio)',
    description: 'Si el router responde, el perfil debe existir en él (si no, 422) y el producto queda verificado. '
      + 'Si el router no responde o está inactivo, el producto se guarda sin verificar y `verificacion.mensaje` lo explica.',
    body: productoCreateBody,
    responses: {
      201: {
        description: 'Producto creado. Con el router sin responder: `perfil_verificado: false` y `verificacion.mensaje` "No se pudo verificar el perfil en el router (...); el producto se guardó sin verificar"',
        schema: withVerificacion, example: verifiedExample,
      },
      ...clienteErrors,
      404: routerNotFound,
      422: errorResponse('Campo inválido, o el perfil no existe en el router', "El perfil '1hora' no existe en el router"),
    },
    handler: (ctx, { body }) => productos.create(empresaOf(ctx), body),
  });

  api.add({
    method: 'get', path: base, auth: 'cliente_admin', tags,
    summary: 'Listar los productos de mi empresa (no incluye los eliminados)',
    query: object({
      router_id: { type: 'string', minLength: 1, maxLength: 64, description: 'Solo los de este router (de mi empresa)' },
      activo: { type: 'boolean', description: 'Filtrar por activo' },
    }),
    responses: {
      200: { description: 'Productos', schema: { type: 'array', items: productoSchema }, example: [productoExample] },
      ...clienteErrors,
      404: routerNotFound,
    },
    handler: (ctx, { query }) => productos.list(empresaOf(ctx), query),
  });

  api.add({
    method: 'get', path: `${base}/:producto_id`, auth: 'cliente_admin', tags,
    summary: 'Obtener un producto',
    params,
    responses: { 200: { description: 'Producto', schema: productoSchema, example: productoExample }, ...clienteErrors, 404: productoNotFound },
    handler: (ctx, { params: p }) => productos.get(empresaOf(ctx), p.producto_id),
  });

  api.add({
    method: 'put', path: `${base}/:producto_id`, auth: 'cliente_admin', tags,
    summary: 'Actualizar un producto (parcial: los campos omitidos conservan su valor)',
    description: 'Cambiar el router o el perfil (o actualizar un producto aún sin verificar) vuelve a comprobar el perfil en el router.',
    params,
    body: productoUpdateBody,
    responses: {
      200: { description: 'Producto actualizado', schema: withVerificacion, example: { ...verifiedExample, precio: 25, precio_decimal: '25.00', destacado: true } },
      ...clienteErrors,
      404: productoNotFound,
      422: errorResponse('Campo inválido, o el perfil no existe en el router', "El campo 'precio' debe ser mayor que 0"),
    },
    handler: (ctx, { params: p, body }) => productos.update(empresaOf(ctx), p.producto_id, body),
  });

  api.add({
    method: 'delete', path: `${base}/:producto_id`, auth: 'cliente_admin', tags,
    summary: 'Eliminar un producto (borrado lógico: deja de venderse; las ventas lo conservan)',
    params,
    responses: {
      200: {
        description: 'Producto eliminado',
        // `producto_id` and `activo: false` are the original's answer.
        schema: object({ message: str(), id: { type: 'integer' }, producto_id: { type: 'integer' }, activo: { const: false }, eliminado_en: dateTime }, ['message', 'id', 'eliminado_en']),
        example: { message: 'Producto eliminado exitosamente', id: 7, producto_id: 7, activo: false, eliminado_en: '2025-01-20T10:00:00.000Z' },
      },
      ...clienteErrors,
      404: productoNotFound,
    },
    handler: (ctx, { params: p }) => productos.remove(empresaOf(ctx), p.producto_id),
  });

}
