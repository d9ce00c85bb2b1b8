import type { ReconnectService } from './reconnect-service';
import type { ProfileInfoService } from './profile-info-service';
import { ValidationError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, nonEmpty, object, str } from '../../platform/http/schemas';
import { MAC_PATTERN, normalizeMac } from '../../platform/mac';

const mac = { type: 'string', pattern: MAC_PATTERN, example: 'AA:BB:CC:DD:EE:FF' };
const ip = { type: ['string', 'null'], anyOf: [{ format: 'ipv4' }, { maxLength: 0 }], example: '10.5.50.23' };

function need(value: string | undefined, field: string): string {
  if (value === undefined) throw new ValidationError(`El campo '${field}' es obligatorio`, field);
  return value;
}

export function registerHotspotRoutes(api: ApiRouter, deps: { reconnect: ReconnectService; profileInfo: ProfileInfoService }) {
  api.add({
    method: 'post', path: '/api/v1/hotspot/auto-reconnect', auth: 'router_key', tags: ['Portal cautivo'],
    summary: 'Reconectar un dispositivo con credenciales hotspot ya compradas',
    description: 'Acepta los nombres del servicio original (`username`, `password`, `current_mac`, `current_ip`; `stored_mac` y `current_ssid` se ignoran). '
      + 'A diferencia del original, la contraseña es obligatoria: un nombre de usuario solo no conecta ningún dispositivo.',
    body: object({
      usuario: nonEmpty(64, { example: 'k7mx2pq' }),
      contrasena: nonEmpty(64, { example: 'h4t9wr2mcx' }),
      mac_cliente: mac,
      ip_cliente: ip,
      username: nonEmpty(64),
      password: nonEmpty(64),
      current_mac: mac,
      current_ip: ip,
      stored_mac: { type: ['string', 'null'], maxLength: 64 },
      current_ssid: { type: ['string', 'null'], maxLength: 64 },
    }, [], { example: { usuario: 'k7mx2pq', contrasena: 'h4t9wr2mcx', mac_cliente: 'AA:BB:CC:DD:EE:FF', ip_cliente: '10.5.50.23' } }),
    responses: {
      200: {
        description: 'Resultado de la conexión (success=false si el router la rechazó)',
        schema: object({
          success: { type: 'boolean' }, estado: str(), auto_conexion: { type: 'string', enum: ['conectado', 'no_conectado'] }, resultado: str(), mensaje: str(),
          usuario: str(), transaccion_id: str(), expira_en: { type: ['string', 'null'] }, nueva_mac: str(), datos_sesion: { type: ['object', 'null'] },
          tiempo_acumulado: { type: ['string', 'null'] }, tiempo_restante: { type: ['string', 'null'] }, primera_sesion: { type: ['boolean', 'null'] },
          error_detalle: { type: ['string', 'null'] }, timestamp: str(),
        }),
        example: {
          success: true, estado: 'activo', auto_conexion: 'conectado', resultado: 'conectado', mensaje: '¡Conexión establecida con éxito! Disfrute de Internet sin límites.',
          usuario: 'k7mx2pq', transaccion_id: 'TRX_0A1B2C3D4E5F', expira_en: null, nueva_mac: 'AA:BB:CC:DD:EE:FF', datos_sesion: null,
          tiempo_acumulado: null, tiempo_restante: null, primera_sesion: null, error_detalle: null, timestamp: '2025-01-15T16:30:00.000Z',
        },
      },
      401: errorResponse('Credenciales que no son de este router', 'Usuario o contraseña incorrectos'),
      403: errorResponse('Acceso expirado o deshabilitado', 'El acceso expiró; compra un nuevo plan'),
      409: errorResponse('Aún activándose', 'El acceso aún se está activando; intenta en unos segundos'),
      429: errorResponse('Demasiados intentos', 'Demasiados intentos de reconexión para este usuario. Inténtalo de nuevo en 600 segundos'),
    },
    handler: (ctx, { body }) => {
      const macValue = need(body.mac_cliente ?? body.current_mac, 'mac_cliente');
      return deps.reconnect.reconnect(ctx.state.router!, {
        usuario: need(body.usuario ?? body.username, 'usuario'),
        contrasena: need(body.contrasena ?? body.password, 'contrasena'),
        mac: normalizeMac(macValue)!, // the schema already checked it is a MAC
        ip: (body.ip_cliente ?? body.current_ip) || undefined,
      });
    },
  });

  api.add({
    method: 'post', path: '/api/v1/hotspot/user/profile-info', auth: 'router_key', tags: ['Portal cautivo'],
    summary: 'Plan, límite y tiempo usado y restante de un usuario hotspot de este router (leído del router)',
    description: 'Solo para ventas de este router y con su contraseña (un usuario PIN puede omitirla, como en el original). '
      + 'Responde siempre 200 con `estado`: ok, credenciales_invalidas, inactivo, expirado, router_inactivo o error. Nunca devuelve contraseñas.',
    body: object({
      username: nonEmpty(64, { example: 'k7mx2pq' }),
      password: { type: ['string', 'null'], maxLength: 64, example: 'h4t9wr2mcx' },
    }, ['username'], { example: { username: 'k7mx2pq', password: 'h4t9wr2mcx' } }),
    responses: {
      200: {
        description: 'Información del usuario (siempre 200, como el original: `estado` dice el resultado)',
        schema: object({
          success: { type: 'boolean' },
          estado: { type: 'string', enum: ['ok', 'credenciales_invalidas', 'router_inactivo', 'empresa_inactiva', 'error'] },
          username: { type: ['string', 'null'] }, tipo_usuario: { type: ['string', 'null'] }, profile: { type: ['string', 'null'] },
          limit_uptime: { type: ['string', 'null'] }, datos_completos: { type: ['object', 'null'] },
          mensaje: str(), error_detalle: { type: ['string', 'null'] }, timestamp: str(),
          tiempo_usado: { type: ['string', 'null'] }, tiempo_restante: { type: ['string', 'null'] },
        }, ['success', 'estado', 'mensaje'], { additionalProperties: true }),
        example: {
          success: true, estado: 'ok', username: 'k7mx2pq', tipo_usuario: 'usuario_contrasena', profile: 'plan-1h', mac_cookie_timeout: null,
          mac_authentication: false, disabled: false, comment: 'TRX_0A1B2C3D4E5F', limit_uptime: '1h',
          datos_completos: { name: 'k7mx2pq', profile: 'plan-1h', 'limit-uptime': '1h', uptime: '10m', 'bytes-in': 1024, 'bytes-out': 2048, disabled: false, comment: 'TRX_0A1B2C3D4E5F' },
          mensaje: 'Información de tu plan.', error_detalle: null, timestamp: '2025-01-15T16:30:00.000Z', plan: '1 hora', transaccion_id: 'TRX_0A1B2C3D4E5F',
          tiempo_usado: '10m', tiempo_restante: '50m', tiempo_usado_segundos: 600, tiempo_restante_segundos: 3000, expira_en: null, conectado: true,
        },
      },
      429: errorResponse('Demasiados intentos', 'Demasiados intentos para este usuario. Inténtalo de nuevo en 600 segundos'),
    },
    handler: (ctx, { body }) => deps.profileInfo.info(ctx.state.router!, body),
  });
}
