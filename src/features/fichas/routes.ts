/** Cliente admin: voucher batches (fichas), their printed sheet and CSV, and voiding a voucher (issue 15). */
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf, looseId, nullableString } from '../../platform/http/cliente-common';
import type { JsonSchema } from '../../platform/http/validation';
import { pageParams, totalHeader, withTotal } from '../../platform/http/paging';
import { PREFIX_PATTERN } from './codes';
import { LOTE_SORTS } from './store';
import { ESTADOS_FICHA } from './models';
import { renderLoteCsv } from './printing';
import type { PdfRenderer } from './pdf-renderer';
import type { FichasService } from './service';

const tags = ['Cliente admin: fichas'];
const base = '/api/v1/admin/fichas';

const porEstado = object(Object.fromEntries(ESTADOS_FICHA.map((e) => [e, { type: 'integer' }])), [...ESTADOS_FICHA]);
const fichaSchema = object({
  codigo: str(), contrasena: str({ description: 'Solo en lotes usuario_contrasena' }),
  estado: { type: 'string', enum: [...ESTADOS_FICHA] }, usada_en: nullableString,
  error: str({ description: 'Solo en fichas fallidas: por qué el router no la aceptó (p. ej. el perfil no existe)' }),
}, ['codigo', 'estado', 'usada_en']);
const loteFields: Record<string, JsonSchema> = {
  id: str({ example: 'LOT_3A9F1C0B2D' }), router_id: str(),
  producto: object({ id: { type: 'integer' }, nombre: str(), perfil: str(), precio: str(), moneda: str() }, ['id', 'nombre', 'perfil', 'precio', 'moneda']),
  tipo_usuario: { type: 'string', enum: ['usuario_contrasena', 'pin'] }, prefijo: nullableString, cantidad: { type: 'integer' },
  por_estado: porEstado, creado_en: dateTime,
};
const loteSchema = object(loteFields, Object.keys(loteFields));
const loteConFichas = object({ ...loteFields, fichas: { type: 'array', items: fichaSchema } }, [...Object.keys(loteFields), 'fichas']);
const loteExample = {
  id: 'LOT_3A9F1C0B2D', router_id: 'RTR_A1B2C3D4', producto: { id: 7, nombre: '1 Hora de Internet', perfil: '1hora', precio: '20.00', moneda: 'MXN' },
  tipo_usuario: 'pin', prefijo: null, cantidad: 2, por_estado: { pendiente: 2, disponible: 0, usada: 0, expirada: 0, anulada: 0, fallida: 0 },
  creado_en: '2025-01-15T09:00:00.000Z',
};
const fichasExample = [{ codigo: 'K7MX2PQR', estado: 'pendiente', usada_en: null }, { codigo: 'H4T9WR2M', estado: 'pendiente', usada_en: null }];
const loteNotFound = errorResponse('El lote no existe o es de otra empresa', 'Lote de fichas no encontrado');
const loteParams = pathParams({ lote_id: looseId('ID del lote (LOT_ + 10 hex)', 'LOT_3A9F1C0B2D') });

export function registerFichasRoutes(api: ApiRouter, deps: { fichas: FichasService; pdf: PdfRenderer }) {
  const { fichas } = deps;

  api.add({
    method: 'post', path: `${base}/lotes`, auth: 'cliente_admin', tags, status: 201,
    summary: 'Crear un lote de fichas (usuarios hotspot creados por adelantado en el router del producto)',
    description: 'Las fichas nacen `pendiente` y pasan a `disponible` cuando el router las tiene (si el router está apagado, en cuanto vuelva). '
      + 'Códigos de 8 caracteres sin caracteres parecidos (sin 0/O ni 1/l/I), únicos en el router. '
      + '`tipo_usuario` `pin` (por omisión): se entra solo con el código; `usuario_contrasena`: código y contraseña.',
    body: object({
      producto_id: { type: 'integer', minimum: 1, example: 7 },
      cantidad: { type: 'integer', example: 50, description: 'De 1 a 1000' },
      tipo_usuario: { type: 'string', enum: ['usuario_contrasena', 'pin'] },
      prefijo: { type: 'string', pattern: PREFIX_PATTERN, description: 'Opcional, hasta 6 caracteres del mismo alfabeto (mayúsculas sin O/I/L, dígitos 2-9)', example: 'PZ' },
    }, ['producto_id', 'cantidad'], { example: { producto_id: 7, cantidad: 50, tipo_usuario: 'pin' } }),
    responses: {
      201: { description: 'Lote creado', schema: loteConFichas, example: { ...loteExample, fichas: fichasExample } },
      ...clienteErrors,
      404: errorResponse('El producto no existe, está inactivo o es de otra empresa', 'Producto no encontrado o no disponible'),
      422: errorResponse('Campo inválido (p. ej. más de 1000 fichas)', "El campo 'cantidad' debe estar entre 1 y 1000 fichas por lote"),
    },
    handler: (ctx, { body }) => fichas.crearLote(empresaOf(ctx), body, ctx.state.user?.id ?? null),
  });

  api.add({
    method: 'get', path: `${base}/lotes`, auth: 'cliente_admin', tags,
    summary: 'Listar los lotes de fichas de mi empresa, con cuántas fichas hay en cada estado, con filtros, orden y paginación',
    description: 'Sin `limit`, los 100 más recientes (como hasta ahora). El total de lotes que cumplen los filtros va en la cabecera `X-Total-Count`.',
    query: object({
      router_id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_]+$', description: 'Solo lotes de este router', example: 'RTR_A1B2C3D4' },
      tipo_usuario: { type: 'string', enum: ['usuario_contrasena', 'pin'], description: 'Solo lotes de este tipo' },
      ...pageParams(LOTE_SORTS),
    }),
    responses: {
      200: { description: 'Lotes (una página)', schema: { type: 'array', items: loteSchema }, example: [loteExample], headers: totalHeader },
      ...clienteErrors,
      404: errorResponse('El router no existe o es de otra empresa', 'Router no encontrado'),
      422: errorResponse('Parámetro inválido', "El campo 'limit' debe ser menor o igual a 500"),
    },
    handler: async (ctx, { query }) => withTotal(ctx, await fichas.listarLotes(empresaOf(ctx), query)),
  });

  api.add({
    method: 'get', path: `${base}/lotes/:lote_id`, auth: 'cliente_admin', tags,
    summary: 'Un lote con el estado de cada ficha',
    params: loteParams,
    responses: { 200: { description: 'Lote', schema: loteConFichas, example: { ...loteExample, fichas: fichasExample } }, ...clienteErrors, 404: loteNotFound },
    handler: (ctx, { params }) => fichas.obtenerLote(empresaOf(ctx), params.lote_id),
  });

  api.add({
    method: 'get', path: `${base}/lotes/:lote_id/pdf`, auth: 'cliente_admin', tags,
    summary: 'Hoja A4 lista para imprimir y recortar (21 fichas por página, con QR de acceso)',
    description: 'El QR abre la página de acceso del hotspot (`routers.hotspot_login_url`, por omisión HOTSPOT_LOGIN_URL = http://10.5.50.1/login) con el código ya escrito. Las fichas anuladas no se imprimen.',
    params: loteParams,
    responses: {
      200: { description: 'application/pdf', contentType: 'application/pdf' }, ...clienteErrors, 404: loteNotFound,
      503: errorResponse('Otras hojas se están generando (reintente tras Retry-After)', 'Se están generando otras hojas de fichas. Intente de nuevo en unos segundos.'),
    },
    async handler(ctx, { params }) {
      const batch = await fichas.paraImprimir(empresaOf(ctx), params.lote_id);
      ctx.status = 200;
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', `inline; filename="fichas-${batch.lote.id}.pdf"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await deps.pdf.render(batch);
      return undefined;
    },
  });

  api.add({
    method: 'get', path: `${base}/lotes/:lote_id/csv`, auth: 'cliente_admin', tags,
    summary: 'El lote en CSV (código, contraseña, estado, plan, precio, URL de acceso)',
    params: loteParams,
    responses: { 200: { description: 'text/csv', contentType: 'text/csv' }, ...clienteErrors, 404: loteNotFound },
    async handler(ctx, { params }) {
      const batch = await fichas.paraImprimir(empresaOf(ctx), params.lote_id);
      ctx.status = 200;
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="fichas-${batch.lote.id}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = renderLoteCsv(batch);
      return undefined;
    },
  });

  api.add({
    method: 'post', path: `${base}/:codigo/anular`, auth: 'cliente_admin', tags,
    summary: 'Anular una ficha: deja de servir y se deshabilita en el router (si está apagado, en cuanto vuelva)',
    params: pathParams({ codigo: looseId('Código de la ficha', 'K7MX2PQR') }),
    responses: {
      200: {
        description: 'Ficha anulada',
        schema: object({
          message: str(),
          fichas: { type: 'array', items: object({ codigo: str(), lote_id: str(), estado: str(), en_router: str() }, ['codigo', 'lote_id', 'estado']) },
        }, ['message', 'fichas']),
        example: { message: 'Ficha anulada', fichas: [{ codigo: 'K7MX2PQR', lote_id: 'LOT_3A9F1C0B2D', estado: 'anulada', en_router: 'deshabilitada' }] },
      },
      ...clienteErrors,
      404: errorResponse('La ficha no existe o es de otra empresa', 'Ficha no encontrada'),
    },
    handler: (ctx, { params }) => fichas.anular(empresaOf(ctx), params.codigo.trim().toUpperCase()),
  });
}
