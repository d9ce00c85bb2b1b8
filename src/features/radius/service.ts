/**
 * Sales and vouchers of RADIUS-mode routers (issue 22 item 4): their users for
 * FreeRADIUS, and what accounting tells us back. Nothing here dials a router.
 *
 * - A user is written whole (every row replaced at once), so writing again is
 *   harmless: the provisioning job, the reconciler and a retry agree.
 * - Disabling (refund, chargeback, "bloquear") adds Auth-Type := Reject: the
 *   next login is refused, the rows stay for support. Ending (expiry, void,
 *   the sale or voucher is over) deletes the rows.
 * - A kick cannot reach a router behind NAT: the session ends when its
 *   Session-Timeout does (desconectar answers 409 modo_radius).
 */
import { ConflictError } from '../../platform/errors';
import type { Tx } from '../../platform/db/objection';
import { formatRouterDuration, parseRouterDuration } from '../../integrations/mikrotik';
import { planGroup, radiusUsername, rowsFor, type Plan, type RadiusUser } from './plan';
import type { RadiusStore, RouterModo } from './store';

export const MODO_RADIUS_DESCONECTAR =
  'El router está en modo RADIUS: el servicio no puede desconectar sesiones en el router (está detrás de NAT). '
  + 'La sesión termina cuando se acaba su tiempo; para impedir que vuelva a entrar, bloquee al usuario o reembolse la venta.';

/** A sale or voucher as the accounting sees it: its user and plan. */
export interface AccountedUser {
  routerId: string;
  user: string;
  plan: Plan;
  expiresAt: Date | null;
}

export function createRadiusService(deps: { store: RadiusStore; interimSeconds: number; now?: () => Date }) {
  const { store } = deps;
  const now = () => (deps.now ? deps.now() : new Date());

  return {
    modo: async (routerId: string): Promise<RouterModo> => (await store.routerModo(routerId)) ?? 'api',
    radiusRouters: (routerIds: readonly string[]) => store.radiusRouters(routerIds),
    router: (routerId: string) => store.router(routerId),

    /** Writes (or rewrites) a user's rows for FreeRADIUS. */
    async writeUser(user: RadiusUser): Promise<void> {
      const rows = rowsFor(user, { interimSeconds: deps.interimSeconds, now: now() });
      await store.writeUser(radiusUsername(user.routerId, user.user), { ...rows, group: planGroup(user.plan.productoId) });
    },

    /** Many users at once (a voucher batch): a few multi-row statements, in the caller's transaction if given. */
    async writeUsers(users: readonly RadiusUser[], tx?: Tx): Promise<void> {
      const at = now();
      await store.writeUsers(users.map((user) => ({
        username: radiusUsername(user.routerId, user.user), ...rowsFor(user, { interimSeconds: deps.interimSeconds, now: at }), group: planGroup(user.plan.productoId),
      })), tx);
    },

    /** The next login is refused; false when there were no rows. */
    disableUser: (routerId: string, user: string) => store.disableUser(radiusUsername(routerId, user)),

    /** The rows are gone: the sale or voucher ended. */
    endUser: (routerId: string, user: string) => store.deleteUser(radiusUsername(routerId, user)),

    /** When accounting first saw each of these users log in (only those it saw). */
    async firstLogins(routerId: string, users: readonly string[]): Promise<Map<string, Date>> {
      const seen = await store.firstStarts(users.map((u) => radiusUsername(routerId, u)));
      const prefix = `${routerId}:`;
      return new Map([...seen].map(([username, at]) => [username.slice(prefix.length), at]));
    },

    /**
     * Seconds left of a user's plan now, from its validity and what accounting
     * counted (null: no limit of time). Never below 0.
     */
    async secondsLeft(user: AccountedUser, firstLogin: Date | null): Promise<number | null> {
      const at = now().getTime();
      const bounds: number[] = [];
      if (user.expiresAt) bounds.push((user.expiresAt.getTime() - at) / 1000);
      if (user.plan.vigenciaDesde === 'primer_uso' && user.plan.vigenciaMinutos && firstLogin) {
        bounds.push((firstLogin.getTime() + user.plan.vigenciaMinutos * 60_000 - at) / 1000);
      }
      const uptime = parseRouterDuration(user.plan.limitUptime);
      if (uptime !== null) bounds.push(uptime - (await store.secondsUsed(radiusUsername(user.routerId, user.user))));
      if (bounds.length === 0) return null;
      return Math.max(0, Math.floor(Math.min(...bounds)));
    },

    /** What profile-info shows in RADIUS mode: time used (accounting), time left, online now. */
    async usage(user: AccountedUser, firstLogin: Date | null): Promise<{ usedSeconds: number; leftSeconds: number | null; online: boolean }> {
      const username = radiusUsername(user.routerId, user.user);
      const [usedSeconds, online, leftSeconds] = await Promise.all([
        store.secondsUsed(username), store.isOnline(username), this.secondsLeft(user, firstLogin),
      ]);
      return { usedSeconds, leftSeconds, online };
    },

    /** A router's open sessions, as API mode lists them from the router. */
    async activos(routerId: string) {
      const at = now().getTime();
      const prefix = `${routerId}:`;
      return (await store.openSessions(routerId)).map((s) => {
        const uptime = s.acctstarttime ? Math.max(0, Math.floor((at - new Date(s.acctstarttime).getTime()) / 1000)) : (s.acctsessiontime ?? 0);
        return {
          id: `radius-${s.radacctid}`,
          server: null,
          user: s.username.slice(prefix.length),
          address: s.framedipaddress,
          mac_address: s.callingstationid,
          login_by: 'radius',
          uptime: formatRouterDuration(uptime),
          idle_time: null,
          session_time_left: null,
          bytes_in: s.acctinputoctets,
          bytes_out: s.acctoutputoctets,
        };
      });
    },

    /** Kicking is not possible behind NAT: a Spanish 409 and nothing else happens. */
    desconectar(): never {
      throw new ConflictError(MODO_RADIUS_DESCONECTAR, { code: 'modo_radius' });
    },

    /** Closes sessions a rebooted router left open (no word for three intervals). */
    closeStaleSessions: () => store.closeStale(now(), deps.interimSeconds),
  };
}


export type RadiusService = ReturnType<typeof createRadiusService>;
