/**
 * The routers of a cliente_admin's company: read-only data (never the password)
 * and two live operations on the device, its hotspot profiles and a connection
 * test. Router failures surface as the MikroTik module's typed errors (Spanish
 * detail, 502/503/504), bounded by the configured connect and command timeouts.
 */
import type { RoutersStore } from './store';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { ID_PATTERNS } from '../../platform/ids';
import { RouterNoSuchItemError, type HotspotClient } from '../../integrations/mikrotik';
import { requireApiMode, type LoadedRouterTarget, type RouterTargets } from './targets';
import { LATIDO_ACTIVO_MS } from './radius-service';
import type { RoutersService, RouterUpdate } from './service';
import type { RouterAddressPolicy } from '../../platform/router-address';
import { AppError } from '../../platform/errors';
import type { RadiusService } from '../radius';
import type { PruebasConteoService } from './pruebas-conteo';
export const ROUTER_NOT_FOUND = 'Router no encontrado';
export const SESION_NOT_FOUND = 'Sesión activa no encontrada en el router';
/** RouterOS item ids: `*` and hex digits. */
const ACTIVE_ID = /^\*[0-9A-Fa-f]{1,16}$/;
export const ROUTER_NOT_FOUND_COMPAT = 'Router no encontrado o no pertenece a tu empresa';

const ROUTER_ID = new RegExp(ID_PATTERNS.router);

export const ROUTER_COLUMNS = [
  'id', 'empresa_id', 'nombre', 'host', 'puerto', 'tls', 'usuario', 'ubicacion', 'activo', 'creado_en', 'actualizado_en', 'prueba',
  'modo', 'radius_direccion', 'ultimo_latido', 'direccion_compartida', 'direccion_compartida_en',
] as const;

/** Product counts per router of a company (the productos feature's store, wired in by the composition root). */
export interface ProductosPorRouter {
  countsByRouter(empresaId: string): Promise<Array<{ router_id: string; total: number; activos: number }>>;
}

/** A company admin's view of a router: no password, no `tls_insecure`. */
const toMiRouter = (row: Record<(typeof ROUTER_COLUMNS)[number], unknown>) =>
  Object.fromEntries(ROUTER_COLUMNS.map((c) => [c, row[c]])) as { [K in (typeof ROUTER_COLUMNS)[number]]: any };

/** A bounded live check of a router: never throws, says whether it answered and why not in Spanish. */
export async function checkConnection(hotspot: HotspotClient, target: Parameters<HotspotClient['testConnection']>[0], options: { respectBreaker?: boolean } = {}) {
  try {
    const result = await hotspot.testConnection(target, { bypassBreaker: !options.respectBreaker });
    return { conexion_ok: true, mensaje: 'Conexión exitosa con el router.', error: null as string | null, identity: result.identity as string | null, latency_ms: result.latency_ms as number | null };
  } catch (error) {
    const detail = error instanceof AppError ? error.detail : 'No se pudo conectar con el router';
    return { conexion_ok: false, mensaje: 'No se pudo conectar con el router.', error: detail, identity: null, latency_ms: null };
  }
}

/**
 * A RADIUS-mode router's state, from its heartbeats (it is never dialled):
 * reachable when a heartbeat came in the last LATIDO_ACTIVO_MS.
 */
export function radiusHeartbeatCheck(target: Pick<LoadedRouterTarget, 'ultimo_latido'>, now = new Date()) {
  const last = target.ultimo_latido ? new Date(target.ultimo_latido) : null;
  const ok = last !== null && now.getTime() - last.getTime() < LATIDO_ACTIVO_MS;
  return {
    conexion_ok: ok,
    mensaje: ok ? 'El router (modo RADIUS) envió su latido hace poco.' : 'El router (modo RADIUS) no ha enviado su latido en los últimos minutos.',
    error: ok ? null : last ? `Último latido: ${last.toISOString()}` : 'El router aún no ha enviado ningún latido',
    identity: null as string | null,
    latency_ms: null as number | null,
  };
}

/** The connection check of any router: dialled in api mode, from its heartbeats in radius mode. Never throws. */
export async function probeRouter(hotspot: HotspotClient, target: LoadedRouterTarget, options: { respectBreaker?: boolean } = {}) {
  return target.modo === 'radius' ? radiusHeartbeatCheck(target) : checkConnection(hotspot, target, options);
}

export function createMisRoutersService(deps: {
  store: RoutersStore; productos: ProductosPorRouter; hotspot: HotspotClient; targets: RouterTargets; routers: Pick<RoutersService, 'update'>;
  /** The router address rule (ROUTER_ALLOWED_NETWORKS), to say why a router saved before it is not dialled. */
  addresses?: Pick<RouterAddressPolicy, 'check'>;
  /** RADIUS-mode routers: online sessions from accounting; no kicks (issue 22). */
  radius?: Pick<RadiusService, 'modo' | 'activos' | 'desconectar'>;
  /** The router's last count of trials started (issue 24, item 4): read from the table, never from the router. */
  pruebasConteo?: Pick<PruebasConteoService, 'ultima'>;
}) {
  const { store, hotspot, targets } = deps;

  /** True for a RADIUS-mode router of the company (404 when it is not the company's). */
  async function isRadius(empresaId: string, routerId: string): Promise<boolean> {
    if (!deps.radius) return false;
    await load(empresaId, routerId);
    return (await deps.radius.modo(routerId)) === 'radius';
  }

  async function load(empresaId: string, routerId: string) {
    const row = ROUTER_ID.test(routerId) ? await store.find(empresaId, routerId) : undefined;
    if (!row) throw new NotFoundError(ROUTER_NOT_FOUND);
    return toMiRouter(row);
  }

  /** The decrypted target of an active router of the company. */
  async function activeTarget(empresaId: string, routerId: string) {
    const target = ROUTER_ID.test(routerId) ? await targets.load(routerId) : null;
    if (!target || target.empresa_id !== empresaId) throw new NotFoundError(ROUTER_NOT_FOUND);
    if (!target.activo) throw new BadRequestError('El router está inactivo');
    return target;
  }

  /** An active router of the company that may be dialled (api mode); a RADIUS-mode one is a 409 modo_radius. */
  async function dialTarget(empresaId: string, routerId: string) {
    return requireApiMode(await activeTarget(empresaId, routerId));
  }

  return {
    async list(empresaId: string) {
      const [routers, productos] = await Promise.all([
        store.listByEmpresa(empresaId),
        deps.productos.countsByRouter(empresaId),
      ]);
      const byRouter = new Map(productos.map((p) => [p.router_id, p]));
      return routers.map((r) => ({
        ...toMiRouter(r),
        productos: { total: byRouter.get(r.id)?.total ?? 0, activos: byRouter.get(r.id)?.activos ?? 0 },
      }));
    },

    /** One router, with `aviso_direccion`: why it is not dialled when its address is outside the allowed networks. */
    async get(empresaId: string, routerId: string) {
      const router = await load(empresaId, routerId);
      const aviso = deps.addresses && router.host ? await deps.addresses.check(String(router.host), 1000) : null;
      const pruebas = deps.pruebasConteo ? { pruebas_conteo: await deps.pruebasConteo.ultima(routerId) } : {};
      return { ...router, aviso_direccion: aviso ? `El servicio no contacta este router: ${aviso}` : null, ...pruebas };
    },

    /** The original's GET /api/v1/admin/mi-empresa/routers. */
    async listCompat(empresaId: string) {
      const routers = (await store.listByEmpresa(empresaId)).map(toMiRouter);
      return { empresa_id: empresaId, total: routers.length, routers };
    },

    /**
     * The company admin fixes its own router (name, location, host, port, API
     * user and password; the password sealed, never returned), then the new
     * settings are tried on the device, bounded by the router timeouts: the
     * answer says whether it worked. An omitted port keeps its value (the
     * original reset it to 8728).
     */
    async updateOwn(empresaId: string, routerId: string, body: RouterUpdate) {
      if (!ROUTER_ID.test(routerId)) throw new NotFoundError(ROUTER_NOT_FOUND_COMPAT);
      let updated;
      try {
        updated = await deps.routers.update(empresaId, routerId, body);
      } catch (error) {
        if (error instanceof NotFoundError) throw new NotFoundError(ROUTER_NOT_FOUND_COMPAT);
        throw error;
      }
      const target = await targets.load(routerId);
      const check = target?.activo
        ? await probeRouter(hotspot, target)
        : { conexion_ok: false, mensaje: 'El router está inactivo: no se probó la conexión.', error: null, identity: null, latency_ms: null };
      return { message: 'Router actualizado correctamente', router: toMiRouter(updated as never), ...check };
    },

    /**
     * A bounded check of a router just created or changed (issue 23.8): whether its
     * address and API credentials work, in Spanish; never throws (the router is saved either way).
     * A RADIUS-mode router is never dialled: its heartbeats answer.
     */
    async probe(routerId: string) {
      const target = await targets.load(routerId);
      const check = !target
        ? { conexion_ok: false, mensaje: 'Router no encontrado: no se probó la conexión.', error: null }
        : !target.activo
          ? { conexion_ok: false, mensaje: 'El router está inactivo: no se probó la conexión.', error: null }
          : await probeRouter(hotspot, target);
      return { conexion_ok: check.conexion_ok, mensaje: check.mensaje, error: check.error };
    },

    /** The hotspot user profiles configured on the device, read live. */
    async profiles(empresaId: string, routerId: string) {
      const target = await dialTarget(empresaId, routerId);
      return hotspot.listProfiles(target);
    },

    /** The hotspot sessions online on the device right now, read live (`/ip/hotspot/active/print`). */
    async activos(empresaId: string, routerId: string) {
      // RADIUS mode: open sessions from accounting.
      if (await isRadius(empresaId, routerId)) return deps.radius!.activos(routerId);
      const target = await dialTarget(empresaId, routerId);
      const sessions = await hotspot.listActive(target);
      return sessions.map((s) => ({
        id: s.id, server: s.server, user: s.user, address: s.address, mac_address: s.mac_address, login_by: s.login_by,
        uptime: s.uptime, idle_time: s.idle_time, session_time_left: s.session_time_left, bytes_in: s.bytes_in, bytes_out: s.bytes_out,
      }));
    },

    /** Logs one session out (`/ip/hotspot/active/remove`); the user can log in again. */
    async desconectar(empresaId: string, routerId: string, sessionId: string) {
      if (await isRadius(empresaId, routerId)) deps.radius!.desconectar();
      const target = await dialTarget(empresaId, routerId);
      if (!ACTIVE_ID.test(sessionId)) throw new NotFoundError(SESION_NOT_FOUND);
      try {
        await hotspot.removeActive(target, sessionId.toUpperCase());
      } catch (error) {
        if (error instanceof RouterNoSuchItemError) throw new NotFoundError(SESION_NOT_FOUND);
        throw error;
      }
      return { message: 'Sesión desconectada', router_id: target.id, id: sessionId.toUpperCase() };
    },

    /** An explicit check by the operator (it tries even when the circuit is open). */
    async testConnection(empresaId: string, routerId: string) {
      const target = await dialTarget(empresaId, routerId);
      const result = await hotspot.testConnection(target);
      const row = await load(empresaId, routerId);
      const perfiles = await hotspot.listProfiles(target).then((p) => p.length, () => null);
      return {
        // The original's fields beside ours.
        router: { id: row.id, nombre: row.nombre, host: row.host, puerto: row.puerto, activo: row.activo },
        perfiles_encontrados: perfiles,
        router_name: result.identity,
        error: null,
        timestamp: new Date().toISOString(),
        success: true,
        router_id: target.id,
        message: 'Conexión exitosa con el router',
        identity: result.identity,
        version: result.version,
        board_name: result.board_name,
        uptime: result.uptime,
        latency_ms: result.latency_ms,
      };
    },
  };
}

export type MisRoutersService = ReturnType<typeof createMisRoutersService>;
