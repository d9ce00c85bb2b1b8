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
import type { RouterTargets } from './targets';
export const ROUTER_NOT_FOUND = 'Router no encontrado';
export const SESION_NOT_FOUND = 'Sesión activa no encontrada en el router';
/** RouterOS item ids: `*` and hex digits. */
const ACTIVE_ID = /^\*[0-9A-Fa-f]{1,16}$/;

const ROUTER_ID = new RegExp(ID_PATTERNS.router);

export const ROUTER_COLUMNS = [
  'id', 'empresa_id', 'nombre', 'host', 'puerto', 'tls', 'usuario', 'ubicacion', 'activo', 'creado_en', 'actualizado_en',
] as const;

/** Product counts per router of a company (the productos feature's store, wired in by the composition root). */
export interface ProductosPorRouter {
  countsByRouter(empresaId: string): Promise<Array<{ router_id: string; total: number; activos: number }>>;
}

/** A company admin's view of a router: no password, no `tls_insecure`. */
const toMiRouter = (row: Record<(typeof ROUTER_COLUMNS)[number], unknown>) =>
  Object.fromEntries(ROUTER_COLUMNS.map((c) => [c, row[c]])) as { [K in (typeof ROUTER_COLUMNS)[number]]: any };

export function createMisRoutersService(deps: { store: RoutersStore; productos: ProductosPorRouter; hotspot: HotspotClient; targets: RouterTargets }) {
  const { store, hotspot, targets } = deps;

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

    async get(empresaId: string, routerId: string) {
      return load(empresaId, routerId);
    },

    /** The hotspot user profiles configured on the device, read live. */
    async profiles(empresaId: string, routerId: string) {
      const target = await activeTarget(empresaId, routerId);
      return hotspot.listProfiles(target);
    },

    /** The hotspot sessions online on the device right now, read live (`/ip/hotspot/active/print`). */
    async activos(empresaId: string, routerId: string) {
      const target = await activeTarget(empresaId, routerId);
      const sessions = await hotspot.listActive(target);
      return sessions.map((s) => ({
        id: s.id, server: s.server, user: s.user, address: s.address, mac_address: s.mac_address, login_by: s.login_by,
        uptime: s.uptime, idle_time: s.idle_time, session_time_left: s.session_time_left, bytes_in: s.bytes_in, bytes_out: s.bytes_out,
      }));
    },

    /** Logs one session out (`/ip/hotspot/active/remove`); the user can log in again. */
    async desconectar(empresaId: string, routerId: string, sessionId: string) {
      const target = await activeTarget(empresaId, routerId);
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
      const target = await activeTarget(empresaId, routerId);
      const result = await hotspot.testConnection(target);
      return {
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
