/**
 * The one-paste router setup (issue 22, item 6): the RouterOS script for a
 * router (company admin for its own routers, super admin for any company's),
 * and the portal's files one by one at their short-lived URLs (what the
 * script's `/tool fetch` lines download).
 */
import type { AppContext } from '../../platform/http/context';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf, looseId } from '../../platform/http/cliente-common';
import { adminErrors, empresaIdParam, routerIdParam } from '../../platform/http/admin-common';
import { DOWNLOAD_EXPIRED, PORTAL_FILE_NAMES, type RouterSetup } from './setup-service';

const description = 'Script de RouterOS 7 (con las diferencias de RouterOS 6 en comentarios) para pegar en la terminal del router: '
  + 'un solo bloque `{ … }` que primero comprueba el menú hotspot (con `:parse`) y se detiene sin cambiar nada si falta; '
  + 'pone la identidad = id del router, el walled garden (API, Conekta, Mercado Pago), descarga los archivos del portal uno por uno '
  + 'con `/tool fetch` desde enlaces que vencen en 30 minutos, y según el modo: RADIUS (`/radius add`, `use-radius=yes` con contabilidad, '
  + 'y un latido cada minuto con el token del router) o API (un grupo de usuario con lo mínimo). En modo RADIUS contiene el secreto '
  + 'RADIUS y el token del router: solo se entrega a su empresa (o al super admin). `regenerar=true` emite una API Key nueva '
  + '(revoca la actual) para `config.js`; si no, `config.js` lleva un marcador.';
const query = object({ regenerar: { type: 'boolean', default: false, description: 'Emitir una API Key nueva para config.js (revoca la actual)' } });
const scriptResponse = { description: 'El script (.rsc, texto)', contentType: 'text/plain' };
const notConfigured = errorResponse('Modo RADIUS sin RADIUS_PUBLIC_ADDRESS en el servidor', 'El modo RADIUS no está configurado en este servidor (falta RADIUS_PUBLIC_ADDRESS): avise al administrador del servicio');

function sendScript(ctx: AppContext, script: { fileName: string; body: string; apiKeyIncluded: boolean }): undefined {
  ctx.status = 200;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${script.fileName}"`);
  // It carries the router's RADIUS secret and token, and maybe a fresh API key: never kept by a cache.
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Api-Key-Incluida', script.apiKeyIncluded ? 'true' : 'false');
  ctx.body = script.body;
  return undefined;
}

export function registerRouterSetupRoutes(api: ApiRouter, deps: { routerSetup: RouterSetup }) {
  const { routerSetup } = deps;

  api.add({
    method: 'get', path: '/api/v1/admin/routers/:router_id/configuracion.rsc', auth: 'cliente_admin', tags: ['Cliente admin: routers'],
    summary: 'Script de configuración del router (se pega una vez en su terminal)',
    description,
    params: pathParams({ router_id: looseId('ID del router: RTR_ + 8 hex mayúsculas', 'RTR_A1B2C3D4') }),
    query,
    responses: {
      200: scriptResponse,
      ...clienteErrors,
      400: errorResponse('Regenerar la llave de un router inactivo', 'No se puede regenerar API key de un router inactivo'),
      404: errorResponse('El router no existe o es de otra empresa', 'Router no encontrado'),
      503: notConfigured,
    },
    handler: async (ctx, { params, query: q }) => sendScript(ctx, await routerSetup.script(empresaOf(ctx), params.router_id, { regenerar: q.regenerar === true })),
  });

  api.add({
    method: 'get', path: '/admin/empresas/:empresa_id/routers/:router_id/configuracion.rsc', auth: 'super_admin', tags: ['Super admin: routers y API Keys'],
    summary: 'Script de configuración de un router de la empresa',
    description,
    params: pathParams({ empresa_id: empresaIdParam, router_id: routerIdParam }),
    query,
    responses: {
      200: scriptResponse,
      ...adminErrors,
      400: errorResponse('Regenerar la llave de un router inactivo', 'No se puede regenerar API key de un router inactivo'),
      404: errorResponse('El router no existe o es de otra empresa', 'Router no encontrado'),
      503: notConfigured,
    },
    handler: async (ctx, { params, query: q }) => sendScript(ctx, await routerSetup.script(params.empresa_id, params.router_id, { regenerar: q.regenerar === true })),
  });

  api.add({
    method: 'get', path: '/api/v1/routers/portal/:token/:archivo', auth: 'public', tags: ['Portal cautivo'],
    summary: 'Un archivo del portal cautivo, para el /tool fetch del script de configuración',
    description: 'El token (en la ruta, para que RouterOS no tenga que escapar `?`) lo emite el script de configuración y vence en 30 minutos. '
      + '`config.js` va lleno para el router (con la API Key nueva si se pidió `regenerar=true`).',
    params: pathParams({
      token: str({ minLength: 1, maxLength: 64, description: 'Token de descarga del script de configuración' }),
      archivo: { type: 'string', enum: [...PORTAL_FILE_NAMES], description: 'Archivo del portal' },
    }),
    responses: {
      200: { description: 'El archivo (text/html, text/javascript o text/css)', contentType: 'text/*' },
      404: errorResponse('Token desconocido o vencido, o no es un archivo del portal', DOWNLOAD_EXPIRED),
    },
    async handler(ctx, { params }) {
      const file = await routerSetup.portalFile(params.token, params.archivo);
      ctx.status = 200;
      ctx.type = file.type;
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = file.body;
      return undefined;
    },
  });
}
