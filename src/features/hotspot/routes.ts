import type { ReconnectService } from './reconnect-service';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, nonEmpty, object, str } from '../../platform/http/schemas';
import { MAC_PATTERN, normalizeMac } from '../../platform/mac';


export function registerHotspotRoutes(api: ApiRouter, deps: { reconnect: ReconnectService }) {
  api.add<{ usuario: string; contrasena: string; mac_cliente: string; ip_cliente: string }>({
    method: 'post', path: '/api/v1/hotspot/auto-reconnect', auth: 'router_key', tags: ['Portal cautivo'],
    summary: 'Reconectar un dispositivo con credenciales hotspot ya compradas',
    body: object({
      usuario: nonEmpty(64, { example: 'k7mx2pq' }),
      contrasena: nonEmpty(64, { example: 'h4t9wr2mcx' }),
      mac_cliente: { type: 'string', pattern: MAC_PATTERN, example: 'AA:BB:CC:DD:EE:FF' },
      ip_cliente: { type: 'string', format: 'ipv4', example: '10.5.50.23' },
    }, ['usuario', 'contrasena', 'mac_cliente', 'ip_cliente']),
    responses: {
      200: {
        description: 'Resultado de la conexión (success=false si el router la rechazó)',
        schema: object({ success: { type: 'boolean' }, estado: str(), auto_conexion: { type: 'boolean' }, mensaje: str(), usuario: str(), transaccion_id: str(), expira_en: { type: ['string', 'null'] } }),
        example: { success: true, estado: 'conectado', auto_conexion: true, mensaje: 'Dispositivo reconectado', usuario: 'k7mx2pq', transaccion_id: 'TRX_0A1B2C3D4E5F', expira_en: null },
      },
      401: errorResponse('Credenciales que no son de este router', 'Usuario o contraseña incorrectos'),
      403: errorResponse('Acceso expirado o deshabilitado', 'El acceso expiró; compra un nuevo plan'),
      409: errorResponse('Aún activándose', 'El acceso aún se está activando; intenta en unos segundos'),
      429: errorResponse('Demasiados intentos', 'Demasiados intentos de reconexión para este usuario. Intente de nuevo en 600 segundos'),
    },
    handler: (ctx, { body }) => deps.reconnect.reconnect(ctx.state.router!, {
      usuario: body.usuario, contrasena: body.contrasena, mac: normalizeMac(body.mac_cliente)!, ip: body.ip_cliente,
    }),
  });
}
