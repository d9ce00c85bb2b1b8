/**
 * RADIUS mode (issue 22, item 3): the routers' heartbeat, and rotating a
 * RADIUS-mode router's secret and token (company admin and super admin).
 */
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf, looseId, nullableString } from '../../platform/http/cliente-common';
import { adminErrors, empresaIdParam, routerIdParam, routerNotFound } from '../../platform/http/admin-common';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import type { AppContext } from '../../platform/http/context';
import type { RadiusRoutersService } from './radius-service';
import type { RoutersService } from './service';
import { ROUTER_NOT_FOUND } from './mis-routers-service';

const tags = ['Routers en modo RADIUS'];

const rotarBody = object({
  secreto: { type: 'boolean', description: 'Generar un secreto RADIUS nuevo (por omisión true)' },
  token: { type: 'boolean', description: 'Generar un token de router nuevo para el latido (por omisión true)' },
}, [], { example: { secreto: true, token: false } });

const rotarResponse = {
  description: 'Credenciales nuevas: configúrelas en el router (el script de configuración las incluye). Las anteriores dejan de valer.',
  schema: object({ message: str(), router_id: str(), radius_secret: nullableString, router_token: nullableString }, ['message', 'router_id', 'radius_secret', 'router_token']),
  example: { message: 'Credenciales RADIUS regeneradas', router_id: 'RTR_A1B2C3D4', radius_secret: 'k3Vq9ZxT...', router_token: null },
};

const noRadius = errorResponse('El router no está en modo RADIUS', 'El router no está en modo RADIUS');

export function registerRadiusRoutersRoutes(api: ApiRouter, deps: { radiusRouters: RadiusRoutersService; routers: Pick<RoutersService, 'locate'> }) {
  const { radiusRouters } = deps;

  api.add({
    method: 'post', path: '/api/v1/routers/latido', auth: 'public', tags,
    summary: 'Latido de un router en modo RADIUS: registra la dirección desde la que llega como su dirección de cliente RADIUS',
    description: 'Con `Authorization: Bearer <token del router>` (el token de su script de configuración; la API Key del portal no sirve). '
      + 'La dirección de origen de esta petición pasa a ser la del router para el servidor RADIUS en pocos segundos, sin reiniciarlo; '
      + 'el router la conserva hasta que informe otra. Debe llegar por IPv4 (use la URL IPv4 del script). Si otro router en modo RADIUS '
      + 'usa esa dirección y envió su latido en los últimos 10 minutos (CGNAT del proveedor), la respuesta es 409 `direccion_compartida` y '
      + 'ese otro router la conserva. '
      + '`pruebas_activas` (opcional, en la URL): cuántas sesiones de la prueba gratuita del router están en línea; el script de configuración lo envía '
      + 'y el tablero cuenta como pruebas iniciadas cada aumento entre latidos.',
    query: object({
      pruebas_activas: { type: 'integer', minimum: 0, maximum: 100_000, description: 'Sesiones de prueba gratuita en línea (login-by=trial)' },
    }),
    responses: {
      200: {
        description: 'Latido registrado',
        schema: object({ message: str(), router_id: str(), direccion: str(), ultimo_latido: dateTime }, ['message', 'router_id', 'direccion', 'ultimo_latido']),
        example: { message: 'Latido registrado', router_id: 'RTR_A1B2C3D4', direccion: '201.141.10.20', ultimo_latido: '2026-12-07T04:00:00.000Z' },
      },
      400: errorResponse('El latido llegó por IPv6', 'El latido llegó por IPv6: ...'),
      401: errorResponse('Sin token de router, o no es el token de un router en modo RADIUS', 'Token de router inválido'),
      403: errorResponse('El router está inactivo', 'El router está inactivo'),
      409: errorResponse('Otro router en modo RADIUS usa esta dirección (code: direccion_compartida)', 'Otro router de este servicio ya usa la dirección pública ...'),
    },
    handler: (ctx: AppContext, { query }) => radiusRouters.latido(ctx.get('authorization') || undefined, ctx.ip, new Date(), { pruebasActivas: query.pruebas_activas }),
  });

  const rotar = async (ctx: AppContext, empresaId: string, routerId: string, body: { secreto?: boolean; token?: boolean }, notFound: string) => {
    const which = { secreto: body.secreto ?? true, token: body.token ?? true };
    if (!which.secreto && !which.token) throw new ValidationError('Indique qué regenerar: secreto, token o ambos', 'secreto');
    let router;
    try {
      router = await deps.routers.locate(empresaId, routerId);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError(notFound);
      throw error;
    }
    if (router.modo !== 'radius') throw new ConflictError('El router no está en modo RADIUS');
    ctx.set('Cache-Control', 'no-store');
    const rotated = await radiusRouters.rotar(router.id, which);
    return { message: 'Credenciales RADIUS regeneradas', ...rotated };
  };

  api.add({
    method: 'post', path: '/api/v1/admin/routers/:router_id/radius/rotar', auth: 'cliente_admin', tags,
    summary: 'Regenerar el secreto RADIUS y/o el token del latido de mi router (modo RADIUS)',
    params: pathParams({ router_id: looseId('ID del router: RTR_ + 8 hex mayúsculas', 'RTR_A1B2C3D4') }),
    body: rotarBody,
    responses: {
      200: rotarResponse,
      ...clienteErrors,
      404: errorResponse('El router no existe o es de otra empresa', ROUTER_NOT_FOUND),
      409: noRadius,
      422: errorResponse('Nada que regenerar', 'Indique qué regenerar: secreto, token o ambos'),
    },
    handler: (ctx, { params, body }) => rotar(ctx, empresaOf(ctx), params.router_id, body ?? {}, ROUTER_NOT_FOUND),
  });

  api.add({
    method: 'post', path: '/admin/empresas/:empresa_id/routers/:router_id/radius/rotar', auth: 'super_admin', tags,
    summary: 'Regenerar el secreto RADIUS y/o el token del latido de un router (modo RADIUS)',
    params: pathParams({ empresa_id: empresaIdParam, router_id: routerIdParam }),
    body: rotarBody,
    responses: {
      200: rotarResponse,
      ...adminErrors,
      404: routerNotFound,
      409: noRadius,
      422: errorResponse('Nada que regenerar', 'Indique qué regenerar: secreto, token o ambos'),
    },
    handler: (ctx, { params, body }) => rotar(ctx, params.empresa_id, params.router_id, body ?? {}, 'Router no encontrado o no pertenece a la empresa'),
  });
}
