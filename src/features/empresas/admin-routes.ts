/** Super admin: companies, the global dashboard and per-company stats. */
import type { EmpresasService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, object, pathParams, str } from '../../platform/http/schemas';
import { adminErrors, empresaIdParam, empresaNotFound, validationError } from '../../platform/http/admin-common';
import { pageParams, searchParam, totalHeader, withTotal } from '../../platform/http/paging';
import { EMPRESA_SORTS } from './store';
import { empresaCreateBody, empresaUpdateBody, gatewayMode as mode } from './schemas';

const tags = ['Super admin: empresas'];
const nullableStr = { type: ['string', 'null'] } as const;

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

export function registerAdminEmpresasRoutes(api: ApiRouter, deps: { empresas: EmpresasService }) {
  const { empresas } = deps;
  const byId = pathParams({ empresa_id: empresaIdParam });

  api.add({
    method: 'post', path: '/admin/empresas', auth: 'super_admin', tags,
    summary: 'Crear una empresa (operador WiFi)',
    description: 'La llave privada de Conekta se guarda cifrada; las respuestas solo indican `conekta_configurado`.',
    body: empresaCreateBody,
    responses: {
      200: { description: 'Empresa creada', schema: empresaSchema, example: empresaExample },
      ...adminErrors,
      422: validationError("El campo 'contacto_email' no tiene un formato válido (email)"),
    },
    handler: (_ctx, { body }) => empresas.create(body),
  });

  api.add({
    method: 'get', path: '/admin/empresas', auth: 'super_admin', tags,
    summary: 'Listar empresas (las más recientes primero), con filtros, orden y paginación',
    description: 'Sin `limit`, todas las que cumplen los filtros (como el original). El total, sin paginar, va en la cabecera `X-Total-Count`.',
    query: object({
      activa: { type: 'boolean', description: 'Filtrar por empresas activas o inactivas' },
      q: searchParam('el nombre y el email de contacto'),
      ...pageParams(EMPRESA_SORTS),
    }),
    responses: {
      200: { description: 'Empresas (una página)', schema: { type: 'array', items: empresaSchema }, example: [empresaExample], headers: totalHeader },
      ...adminErrors,
      422: validationError("El campo 'limit' debe ser menor o igual a 500"),
    },
    handler: async (ctx, { query }) => withTotal(ctx, await empresas.list(query)),
  });

  api.add({
    method: 'get', path: '/admin/empresas/:empresa_id', auth: 'super_admin', tags,
    summary: 'Obtener una empresa',
    params: byId,
    responses: { 200: { description: 'Empresa', schema: empresaSchema, example: empresaExample }, ...adminErrors, 404: empresaNotFound },
    handler: (_ctx, { params }) => empresas.get(params.empresa_id),
  });

  api.add({
    method: 'put', path: '/admin/empresas/:empresa_id', auth: 'super_admin', tags,
    summary: 'Actualizar una empresa (parcial: los campos omitidos conservan su valor)',
    params: byId,
    body: empresaUpdateBody,
    responses: {
      200: { description: 'Empresa actualizada', schema: empresaSchema, example: { ...empresaExample, contacto_telefono: '+52 55 8765 4321', conekta_mode: 'live' } },
      ...adminErrors,
      404: empresaNotFound,
      422: validationError('Campo no permitido: \'activa\''),
    },
    handler: (_ctx, { params, body }) => empresas.update(params.empresa_id, body),
  });

  api.add({
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
}
