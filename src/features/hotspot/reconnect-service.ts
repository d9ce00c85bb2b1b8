/**
 * Auto-reconnect: a customer who already paid logs a device in again. The
 * user must belong to a transaction of this router and the password must
 * match (the original accepted a username alone), and the access must still
 * be valid. Client input only ever becomes API words, never a script.
 */
import crypto from 'node:crypto';
import type { RouterPrincipal } from '../../platform/http/context';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { RateLimits } from '../../platform/rate-limits';
import { RouterTrapError, type HotspotClient } from '../../integrations/mikrotik';
import type { TransaccionesStore } from '../transacciones';
import { requireApiMode, type RouterTargets } from '../routers';
import { customerRouterMessage } from './router-messages';

const same = (a: string, b: string) => {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
};

export function createReconnectService(deps: {
  secrets: SecretBox; transacciones: TransaccionesStore; hotspot: HotspotClient; targets: RouterTargets; rateLimits: RateLimits;
}) {
  const { secrets, transacciones, hotspot, targets, rateLimits } = deps;

  return {
    async reconnect(principal: RouterPrincipal, input: { usuario: string; contrasena: string; mac: string; ip?: string }) {
      await rateLimits.consume('reconnectPerRouter', principal.routerId, 'Demasiadas reconexiones en este punto de acceso. Inténtalo de nuevo en {s} segundos');
      await rateLimits.consume('reconnectPerUser', `${principal.routerId}|${input.usuario}`, 'Demasiados intentos de reconexión para este usuario. Inténtalo de nuevo en {s} segundos');
      const row = await transacciones.findByHotspotUser(principal.routerId, input.usuario);
      const password = row ? secrets.open(row.hotspot_password_enc) : 'x';
      if (!row || !same(password, input.contrasena)) throw new UnauthorizedError('Usuario o contraseña incorrectos');
      if (row.estado_pago !== 'paid') throw new ForbiddenError('El pago de este acceso no está vigente');
      const expired = row.estado_hotspot === 'expired' || (row.hotspot_expira_en && new Date(row.hotspot_expira_en) <= new Date());
      if (expired) throw new ForbiddenError('El acceso expiró; compra un nuevo plan');
      if (row.estado_hotspot === 'disabled') throw new ForbiddenError('El acceso fue deshabilitado');
      if (row.estado_hotspot !== 'active') throw new ConflictError('El acceso aún se está activando; intenta en unos segundos');

      const target = await targets.load(principal.routerId);
      if (!target) throw new ConflictError('Router no disponible');
      // RADIUS mode: the device logs in on the hotspot page; the service cannot log it in from here.
      requireApiMode(target, 'Este punto de acceso usa RADIUS: la reconexión automática no está disponible. Inicie sesión con su usuario y contraseña en la página del hotspot.');
      // The original's fields beside ours: `estado` activo, `auto_conexion` conectado|no_conectado, `nueva_mac`, ...
      const base = {
        usuario: row.hotspot_usuario,
        transaccion_id: row.id,
        expira_en: row.hotspot_expira_en ? new Date(row.hotspot_expira_en).toISOString() : null,
        estado: 'activo',
        nueva_mac: input.mac,
        datos_sesion: null,
        tiempo_acumulado: null,
        tiempo_restante: null,
        primera_sesion: null,
        error_detalle: null as string | null,
        timestamp: new Date().toISOString(),
      };
      if (!input.ip) {
        return { ...base, success: false, auto_conexion: 'no_conectado', resultado: 'sin_ip', mensaje: 'Favor de ingresar sus credenciales para conectar a Internet.' };
      }
      try {
        await hotspot.loginActive(target, { user: row.hotspot_usuario, password, mac: input.mac, ip: input.ip });
      } catch (error) {
        // The router refused (e.g. uptime limit reached): report it in Spanish, never as a 500.
        if (error instanceof RouterTrapError) {
          return { ...base, success: false, auto_conexion: 'no_conectado', resultado: 'fallido', mensaje: customerRouterMessage(error.routerMessage), error_detalle: 'router_rechazo' };
        }
        throw error;
      }
      return { ...base, success: true, auto_conexion: 'conectado', resultado: 'conectado', mensaje: '¡Conexión establecida con éxito! Disfrute de Internet sin límites.' };
    },
  };
}

export type ReconnectService = ReturnType<typeof createReconnectService>;
