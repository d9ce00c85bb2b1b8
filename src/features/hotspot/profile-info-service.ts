/**
 * POST /api/v1/hotspot/user/profile-info: how much time a customer has left,
 * read from the router (the original's endpoint, issue 13).
 *
 * Only a sale of THIS router answers, and only with its password (a PIN user,
 * whose 12-digit PIN is both name and password, may omit it, as in the
 * original). The answer never carries a password (the original returned the
 * router's record with it) and always has the original's fields. A router
 * that cannot be reached says so (`error`), instead of the original's
 * `credenciales_invalidas`.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { RouterPrincipal } from '../../platform/http/context';
import type { RateLimits } from '../../platform/rate-limits';
import type { HotspotClient } from '../../integrations/mikrotik';
import { formatRouterDuration, parseRouterDuration } from '../../integrations/mikrotik';
import type { RouterTargets } from '../routers';
import type { TransaccionesStore } from '../transacciones';
import type { RadiusService } from '../radius';


const same = (a: string, b: string) =>
  crypto.timingSafeEqual(crypto.createHash('sha256').update(a).digest(), crypto.createHash('sha256').update(b).digest());

export interface ProfileInfoInput {
  username: string;
  password?: string | null;
}

export function createProfileInfoService(deps: {
  secrets: SecretBox; hotspot: HotspotClient; targets: RouterTargets; rateLimits?: RateLimits;
  /** The sale of this router with that hotspot user (the transacciones feature's query, wired by the composition root). */
  findByUser(routerId: string, usuario: string): Promise<Awaited<ReturnType<TransaccionesStore['get']>>>;
  /** RADIUS-mode routers: time used and left from accounting, never the router. */
  radius?: Pick<RadiusService, 'router' | 'usage'>;
}) {
  const { secrets, hotspot, targets } = deps;

  return {
    async info(principal: RouterPrincipal, input: ProfileInfoInput) {
      const username = input.username.trim();
      if (deps.rateLimits) {
        await deps.rateLimits.consume('reconnectPerUser', `${principal.routerId}|${username}`, 'Demasiados intentos para este usuario. Inténtalo de nuevo en {s} segundos');
      }
      const timestamp = new Date().toISOString();
      const base = {
        username, tipo_usuario: 'usuario_contrasena' as 'usuario_contrasena' | 'pin', profile: null as string | null, mac_cookie_timeout: null,
        mac_authentication: false, disabled: false, comment: null as string | null, limit_uptime: null as string | null,
        datos_completos: null as Record<string, unknown> | null, error_detalle: null as string | null, timestamp,
        plan: null as string | null, transaccion_id: null as string | null, tiempo_usado: null as string | null, tiempo_restante: null as string | null,
        tiempo_usado_segundos: null as number | null, tiempo_restante_segundos: null as number | null, expira_en: null as string | null,
        conectado: false,
      };
      const row = await deps.findByUser(principal.routerId, username);
      const password = (input.password ?? '').trim();
      const pinWithoutPassword = row?.tipo_usuario === 'pin' && password === '';
      const valid = row && (pinWithoutPassword || same(secrets.open(row.hotspot_password_enc) ?? '\u0000', password));
      if (!row || !valid) {
        return { ...base, success: false, estado: 'credenciales_invalidas', mensaje: 'Usuario o contraseña incorrectos.' };
      }
      const known = {
        ...base,
        tipo_usuario: row.tipo_usuario,
        plan: row.producto_nombre,
        transaccion_id: row.id,
        profile: row.perfil_mikrotik_nombre,
        limit_uptime: row.limit_uptime,
        expira_en: row.hotspot_expira_en ? new Date(row.hotspot_expira_en).toISOString() : null,
      };
      if (row.estado_pago !== 'paid' || row.estado_hotspot !== 'active') {
        const mensaje = row.estado_hotspot === 'expired' || row.estado_hotspot === 'disabled'
          ? 'Este acceso ya no está vigente. Puedes comprar un nuevo plan.'
          : row.estado_pago === 'paid' ? 'Tu acceso se está activando. Intenta de nuevo en unos segundos.' : 'El pago de este acceso aún no está confirmado.';
        return { ...known, success: false, estado: row.estado_hotspot === 'expired' ? 'expirado' : 'inactivo', disabled: row.estado_hotspot === 'disabled', mensaje };
      }
      const radiusRouter = deps.radius ? await deps.radius.router(principal.routerId) : undefined;
      if (radiusRouter?.modo === 'radius') {
        if (!radiusRouter.activo) return { ...known, success: false, estado: 'router_inactivo', mensaje: 'El punto de acceso no está activo en este momento.' };
        const plan = {
          productoId: row.producto_id, perfil: row.perfil_mikrotik_nombre, limitUptime: row.limit_uptime, vigenciaMinutos: row.vigencia_minutos,
          limiteVelocidad: row.limite_velocidad ?? null, dispositivos: row.dispositivos ?? 1, vigenciaDesde: row.vigencia_desde ?? 'activacion',
        };
        const use = await deps.radius!.usage(
          { routerId: principal.routerId, user: username, plan, expiresAt: row.hotspot_expira_en ? new Date(row.hotspot_expira_en) : null },
          row.primer_uso_en ? new Date(row.primer_uso_en) : null,
        );
        return {
          ...known,
          success: true,
          estado: 'ok',
          tiempo_usado: formatRouterDuration(use.usedSeconds),
          tiempo_usado_segundos: use.usedSeconds,
          tiempo_restante: use.leftSeconds === null ? null : formatRouterDuration(use.leftSeconds),
          tiempo_restante_segundos: use.leftSeconds,
          conectado: use.online,
          mensaje: use.leftSeconds === 0 ? 'Ya usaste todo el tiempo de este plan.' : 'Información de tu plan.',
        };
      }
      const target = await targets.load(principal.routerId);
      if (!target?.activo) return { ...known, success: false, estado: 'router_inactivo', mensaje: 'El punto de acceso no está activo en este momento.' };
      let user;
      let sessions;
      try {
        [user, sessions] = await Promise.all([hotspot.findUserByName(target, username), hotspot.listActive(target, { user: username })]);
      } catch {
        return { ...known, success: false, estado: 'error', mensaje: 'No pudimos consultar el punto de acceso. Intenta de nuevo en unos momentos.', error_detalle: 'router_no_disponible' };
      }
      if (!user) return { ...known, success: false, estado: 'expirado', mensaje: 'Este acceso ya no existe en el punto de acceso.' };
      const limitSeconds = parseRouterDuration(user.limit_uptime ?? row.limit_uptime);
      const usedSeconds = parseRouterDuration(user.uptime) ?? 0;
      const left = limitSeconds === null ? null : Math.max(0, limitSeconds - usedSeconds);
      return {
        ...known,
        success: true,
        estado: 'ok',
        profile: user.profile ?? row.perfil_mikrotik_nombre,
        disabled: user.disabled,
        comment: user.comment,
        limit_uptime: user.limit_uptime ?? row.limit_uptime,
        // The router's record, never its password (it is not even read).
        datos_completos: {
          name: user.name, profile: user.profile, 'limit-uptime': user.limit_uptime, uptime: user.uptime,
          'bytes-in': user.bytes_in, 'bytes-out': user.bytes_out, disabled: user.disabled, comment: user.comment,
        },
        tiempo_usado: formatRouterDuration(usedSeconds),
        tiempo_usado_segundos: usedSeconds,
        tiempo_restante: left === null ? null : formatRouterDuration(left),
        tiempo_restante_segundos: left,
        conectado: sessions.length > 0,
        mensaje: left === 0 ? 'Ya usaste todo el tiempo de este plan.' : 'Información de tu plan.',
      };
    },
  };
}

export type ProfileInfoService = ReturnType<typeof createProfileInfoService>;
