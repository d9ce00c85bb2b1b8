/**
 * Cliente admin: operations on one router of the company (issue 16): its online
 * hotspot sessions read live, kicking one, and the captive portal download.
 */
import type { MisRoutersService } from './mis-routers-service';
import type { PortalDownloads } from './portal-download';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf, looseId, nullableInteger, nullableString } from '../../platform/http/cliente-common';

const tags = ['Cliente admin: routers'];

const sessionExample = {
  id: '*1A', server: 'hotspot1', user: 'k7mwp2q', address: '10.5.50.23', mac_address: 'AA:BB:CC:DD:EE:FF', login_by: 'http-chap',
  uptime: '12m30s', idle_time: '0s', session_time_left: '47m30s', bytes_in: 1048576, bytes_out: 5242880,
};
const sessionSchema = object({
  id: str({ description: 'Id RouterOS de la sesión (*N): úselo para desconectarla' }), server: nullableString, user: str(),
  address: nullableString, mac_address: nullableString, login_by: nullableString, uptime: nullableString, idle_time: nullableString,
  session_time_left: nullableString, bytes_in: nullableInteger, bytes_out: nullableInteger,
}, Object.keys(sessionExample));

const routerErrors = {
  400: errorResponse('El router está inactivo', 'El router está inactivo'),
  404: errorResponse('El router no existe o es de otra empresa', 'Router no encontrado'),
  502: errorResponse('El router rechazó la conexión o las credenciales', 'No se pudo conectar con el router: conexión rechazada'),
  503: errorResponse('El router falló varias veces seguidas; se reintentará en unos segundos', 'El router no responde; se reintentará en unos segundos'),
  504: errorResponse('El router no respondió a tiempo', 'No se pudo conectar con el router: tiempo de espera agotado'),
};

export function registerRouterOperacionesRoutes(api: ApiRouter, deps: { misRouters: MisRoutersService; portalDownloads: PortalDownloads }) {
  const { misRouters, portalDownloads } = deps;
  const base = '/api/v1/admin/routers';
  const routerParam = { router_id: looseId('ID del router: RTR_ + 8 hex mayúsculas', 'RTR_A1B2C3D4') };

  api.add({
    method: 'get', path: `${base}/:router_id/activos`, auth: 'cliente_admin', tags,
    summary: 'Sesiones hotspot en línea en el router (consulta en vivo)',
    description: 'Lee `/ip/hotspot/active/print` del router con los tiempos máximos configurados. Un router que no responde es 502/504. '
      + 'Un router en modo RADIUS no se consulta: las sesiones abiertas salen de la contabilidad RADIUS (aparecen al Start y se van al Stop); '
      + '`id` es `radius-<n>`, `login_by` es `radius`.',
    params: pathParams(routerParam),
    responses: {
      200: { description: 'Sesiones activas', schema: { type: 'array', items: sessionSchema }, example: [sessionExample] },
      ...clienteErrors,
      ...routerErrors,
    },
    handler: (ctx, { params }) => misRouters.activos(empresaOf(ctx), params.router_id),
  });

  api.add({
    method: 'post', path: `${base}/:router_id/activos/:id/desconectar`, auth: 'cliente_admin', tags,
    summary: 'Desconectar una sesión hotspot',
    description: 'Quita la sesión (`/ip/hotspot/active/remove`): el dispositivo tiene que volver a iniciar sesión; el usuario no se borra.',
    params: pathParams({ ...routerParam, id: str({ minLength: 1, maxLength: 20, description: 'Id de la sesión (*N), URL-encoded: %2A1A', example: '*1A' }) }),
    responses: {
      200: {
        description: 'Sesión desconectada',
        schema: object({ message: str(), router_id: str(), id: str() }, ['message', 'router_id', 'id']),
        example: { message: 'Sesión desconectada', router_id: 'RTR_A1B2C3D4', id: '*1A' },
      },
      ...clienteErrors,
      ...routerErrors,
      404: errorResponse('El router no es de la empresa, o la sesión ya no existe en el router', 'Sesión activa no encontrada en el router'),
      409: errorResponse(
        'Router en modo RADIUS (`code: "modo_radius"`): detrás de NAT no se puede desconectar; la sesión termina cuando se acaba su tiempo. Nada cambia.',
        'El router está en modo RADIUS: el servicio no puede desconectar sesiones en el router (está detrás de NAT). La sesión termina cuando se acaba su tiempo; para impedir que vuelva a entrar, bloquee al usuario o reembolse la venta.',
      ),
    },
    handler: (ctx, { params }) => misRouters.desconectar(empresaOf(ctx), params.router_id, params.id),
  });

  api.add({
    method: 'get', path: `${base}/:router_id/portal.zip`, auth: 'cliente_admin', tags,
    summary: 'Descargar el portal cautivo del router (.zip con config.js ya lleno)',
    description: 'Los archivos de `portal/` con `config.js` lleno para este router (`apiBaseUrl` = PUBLIC_BASE_URL, `mode: live`), '
      + '`walled-garden.rsc` con las líneas para el router y `LEEME.txt`. `config.js` trae la API Key actual del router (el portal funciona tal '
      + 'como viene, desde cualquier origen); con `regenerar=true` se emite una nueva (la anterior queda revocada) y va en su lugar. Una llave '
      + 'emitida antes de que el servidor guardara las llaves solo existe como huella: entonces `config.js` lleva un marcador y la cabecera '
      + '`X-Api-Key-Incluida: false` lo avisa hasta la siguiente regeneración; `X-Api-Key-Origen` dice `nueva`, `actual` o `ninguna`. `X-Walled-Garden` trae las líneas del walled garden (URL-encoded, separadas por salto de línea).',
    params: pathParams(routerParam),
    query: object({ regenerar: { type: 'boolean', default: false, description: 'Emitir una API Key nueva (revoca la actual)' } }),
    responses: {
      200: { description: 'El portal: zip con portal/, walled-garden.rsc y LEEME.txt', contentType: 'application/zip' },
      ...clienteErrors,
      400: errorResponse('Regenerar la llave de un router inactivo', 'No se puede regenerar API key de un router inactivo'),
      404: errorResponse('El router no existe o es de otra empresa', 'Router no encontrado'),
    },
    handler: async (ctx, { params, query }) => {
      const zip = await portalDownloads.download(empresaOf(ctx), params.router_id, { regenerar: query.regenerar === true });
      ctx.status = 200;
      ctx.set('Content-Type', 'application/zip');
      ctx.set('Content-Disposition', `attachment; filename="${zip.fileName}"`);
      // It may carry a fresh key: never kept by a cache.
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Api-Key-Incluida', zip.apiKeyIncluded ? 'true' : 'false');
      ctx.set('X-Api-Key-Origen', zip.apiKey); // nueva | actual | ninguna
      if (!zip.apiKeyIncluded) {
        ctx.set('X-Aviso', encodeURIComponent('config.js no trae la API Key (esta llave se emitió antes de que el servidor la guardara): péguela o descargue con regenerar=true'));
      }
      ctx.set('X-Walled-Garden', encodeURIComponent(zip.walledGarden.join('\n')));
      ctx.body = zip.stream;
      return undefined;
    },
  });
}
