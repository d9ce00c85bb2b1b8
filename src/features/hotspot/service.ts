/**
 * What happens on routers for a transaction: create its user (exactly one),
 * log the device in, disable it after a refund, expire it. Shared by the
 * workers and by the routes that act on hotspot users.
 *
 * Exactly one user: the name is fixed when the transaction is created and the
 * user's comment carries the transaction id, so "already have user with this
 * name" on a user whose comment is ours means an earlier attempt succeeded
 * (for instance, the connection dropped right after `add` was applied).
 */
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { Logger } from '../../platform/logger';
import { HotspotClient, RouterError, RouterTrapError, parseRouterDuration, type RouterTarget } from '../../integrations/mikrotik';
import { generateHotspotCredentials } from '../transacciones';
import type { TransaccionRow, TransaccionesStore } from '../transacciones';
import type { JobQueues } from '../../platform/jobs/queues';
import type { RouterTargets } from '../routers';
import { RetryLaterError } from '../../platform/jobs/errors';
import type { Plan, RadiusService } from '../radius';
import { ensureHotspotUser, UnknownProfileError } from './ensure-user';

const EXPIRY_BATCH = 500;

export type ProvisionResult = 'active' | 'already_done' | 'not_paid' | 'failed' | 'missing';

const describe = (error: unknown) => (error instanceof RouterError ? error.detail : error instanceof Error ? error.message : String(error));

export function createHotspotService(deps: {
  secrets: SecretBox;
  transacciones: TransaccionesStore;
  hotspot: HotspotClient;
  targets: RouterTargets;
  logger: Logger;
  jobs: JobQueues;
  /** True while the router's circuit breaker fails every call fast. */
  circuitOpen?: (routerId: string) => boolean;
  /** RADIUS-mode routers: users for FreeRADIUS instead of the router's API. */
  radius: RadiusService;
  /** Wakes the requests waiting for a transaction (signals). */
  publish?: (transaccionId: string) => Promise<void>;
}) {
  const { secrets, transacciones, hotspot, targets, logger, radius } = deps;

  /** What the sale sold, as FreeRADIUS and the router's profile need it. */
  const planOf = (row: TransaccionRow): Plan => ({
    productoId: row.producto_id, perfil: row.perfil_mikrotik_nombre, limitUptime: row.limit_uptime, vigenciaMinutos: row.vigencia_minutos,
    limiteVelocidad: row.limite_velocidad ?? null, dispositivos: row.dispositivos ?? 1, vigenciaDesde: row.vigencia_desde ?? 'activacion',
  });

  /** When the validity ends, counted from now; null when it counts from the first login (or there is none). */
  const expiryFromActivation = (row: TransaccionRow): Date | null =>
    row.vigencia_minutos && row.vigencia_desde !== 'primer_uso' ? new Date(Date.now() + row.vigencia_minutos * 60_000) : null;

  /**
   * RADIUS mode: the sale's user is rows for FreeRADIUS (no router is dialled),
   * then active, as in API mode. Refunded meanwhile: the rows are disabled.
   */
  async function provisionRadius(row: TransaccionRow): Promise<ProvisionResult> {
    const router = await radius.router(row.router_id);
    if (!router) return fail(row, 'El router ya no existe');
    if (!router.activo) return fail(row, 'El router está inactivo');
    const expiresAt = expiryFromActivation(row);
    await radius.writeUser({
      routerId: row.router_id, user: row.hotspot_usuario, password: secrets.open(row.hotspot_password_enc) ?? '', plan: planOf(row), expiresAt,
    });
    const active = await transacciones.transition(row.id, {
      event: 'usuario_activo', from: ['provisioning'], requirePago: ['paid'],
      set: { hotspot_expira_en: expiresAt, ultimo_error: null },
    });
    if (!active) {
      await radius.disableUser(row.router_id, row.hotspot_usuario);
      await transacciones.transition(row.id, {
        event: 'usuario_deshabilitado', from: ['provisioning'], requirePago: ['refunded', 'charged_back'],
        detail: { motivo: 'reembolsado durante el aprovisionamiento' },
      });
      return 'not_paid';
    }
    return 'active';
  }

  async function fail(row: TransaccionRow, reason: string): Promise<ProvisionResult> {
    await transacciones.transition(row.id, {
      event: 'aprovisionamiento_fallido', from: ['pending', 'provisioning'],
      set: { ultimo_error: reason }, detail: { motivo: reason },
    });
    logger.warn({ trx: row.id, router: row.router_id, reason }, 'provisioning failed');
    return 'failed';
  }

  /** Logs the device in when the sale asked for it; the row as it is then. */
  async function autoLogin(row: TransaccionRow, target: RouterTarget): Promise<TransaccionRow> {
    if (!row.conexion_automatica) return row;
    let result: { estado: string; mensaje: string };
    if (!row.cliente_mac || !row.cliente_ip) {
      result = { estado: 'omitida', mensaje: 'No se recibieron la MAC y la IP del dispositivo' };
    } else {
      try {
        await hotspot.loginActive(target, {
          user: row.hotspot_usuario, password: secrets.open(row.hotspot_password_enc), mac: row.cliente_mac, ip: row.cliente_ip,
        });
        result = { estado: 'conectado', mensaje: 'Dispositivo conectado automáticamente' };
      } catch (error) {
        result = { estado: 'fallido', mensaje: 'No se pudo conectar automáticamente; inicia sesión con tus credenciales' };
        await transacciones.event(row.id, 'auto_conexion_fallida', { motivo: describe(error) });
      }
    }
    await transacciones.update(row.id, { auto_conexion: JSON.stringify(result) });
    return { ...row, auto_conexion: result };
  }

  /** Disables the transaction's user on its router, if it is ours; absent is fine. */
  async function disableOnRouter(row: TransaccionRow, target: RouterTarget): Promise<void> {
    const user = await hotspot.findUserByName(target, row.hotspot_usuario);
    if (user && user.comment === row.id) {
      if (!user.disabled) await hotspot.disableUser(target, user.id);
      await hotspot.removeActiveByUser(target, row.hotspot_usuario);
    }
  }

  return {
    autoLogin,

    /**
     * Creates the paid sale's user, once. The guarded `provisioning` move comes
     * first and returns the row (the row is read only when it did not apply, to
     * say why); with `routerId` (the job's payload) an open circuit is seen
     * before anything is written. `settled` receives the row as this attempt
     * left it when the user became active (the provisioning signal carries it).
     */
    async provision(id: string, options: { finalAttempt: boolean; routerId?: string; settled?: (row: TransaccionRow) => void }): Promise<ProvisionResult> {
      // A router whose circuit is open would fail at once: wait for the next
      // attempt without writing anything (offline routers must stay cheap).
      const openCircuit = (routerId: string) => !options.finalAttempt && deps.circuitOpen?.(routerId);
      let routerId = options.routerId;
      if (!routerId) {
        // A job from before the payload named its router: read the row first.
        const row = await transacciones.get(id);
        if (!row) return 'missing';
        routerId = row.router_id;
      }
      if (openCircuit(routerId)) throw new RetryLaterError('router fuera de línea (circuito abierto)');
      const row = await transacciones.transition(id, {
        event: 'aprovisionando', from: ['pending', 'provisioning', 'failed'], requirePago: ['paid'], increment: ['intentos_aprovisionamiento'],
      });
      if (!row) {
        const current = await transacciones.get(id);
        if (!current) return 'missing';
        return current.estado_pago !== 'paid' ? 'not_paid' : 'already_done';
      }

      const target = await targets.load(row.router_id);
      if (target?.modo === 'radius') return provisionRadius(row);
      if (!target) return fail(row, 'El router ya no existe');
      if (!target.activo) return fail(row, 'El router está inactivo');

      try {
        const ensured = await ensureHotspotUser(hotspot, target, {
          name: row.hotspot_usuario, password: secrets.open(row.hotspot_password_enc) ?? '', plan: planOf(row), comment: row.id,
          limitBytesTotal: row.limit_bytes_total,
        });
        if (ensured.outcome === 'already_existed') {
          await transacciones.event(id, 'usuario_ya_existia', { router_user_id: ensured.routerUserId });
        } else if (ensured.outcome === 'name_taken') {
          // Someone else's user holds the name (created by hand on the router):
          // give this sale fresh credentials and try again; the portal polls for them.
          const fresh = generateHotspotCredentials(row.tipo_usuario);
          await transacciones.update(id, { hotspot_usuario: fresh.usuario, hotspot_password_enc: secrets.seal(fresh.contrasena) });
          await transacciones.event(id, 'usuario_renombrado', { motivo: 'el nombre ya existía en el router' });
          throw new RetryLaterError('nombre de usuario ocupado en el router; se generaron credenciales nuevas');
        }
      } catch (error) {
        if (error instanceof RetryLaterError) throw error;
        if (error instanceof UnknownProfileError) {
          // Permanent: recorded as failed, and the job fails now instead of spending its attempts.
          await fail(row, error.detail);
          throw error;
        }
        if (error instanceof RouterTrapError) return fail(row, error.detail);
        const reason = describe(error);
        await transacciones.update(id, { ultimo_error: reason });
        await transacciones.event(id, 'router_no_disponible', { motivo: reason });
        if (options.finalAttempt) return fail(row, reason);
        throw new RetryLaterError(reason);
      }

      const expiresAt = expiryFromActivation(row);
      const active = await transacciones.transition(id, {
        event: 'usuario_activo', from: ['provisioning'], requirePago: ['paid'],
        set: { hotspot_expira_en: expiresAt, ultimo_error: null },
      });
      if (!active) {
        // Refunded or charged back while we were creating it: the user we just
        // made must not stay enabled, whatever the disable job already did.
        await disableOnRouter(row, target);
        await transacciones.transition(id, {
          event: 'usuario_deshabilitado', from: ['provisioning'], requirePago: ['refunded', 'charged_back'],
          detail: { motivo: 'reembolsado durante el aprovisionamiento' },
        });
        return 'not_paid';
      }
      options.settled?.(await autoLogin(active, target));
      return 'active';
    },

    /**
     * Right after a sale is paid: a RADIUS-mode sale is written for FreeRADIUS
     * here (no router to wait for) and the waiting requests are woken. False
     * for an API-mode sale, or when writing failed: the job does it then.
     */
    async provisionInline(paid: TransaccionRow): Promise<boolean> {
      const id = paid.id;
      // The router's mode from the targets (cached per auth generation): an API-mode sale costs no read here.
      const target = await targets.load(paid.router_id).catch(() => null);
      if (target?.modo !== 'radius') return false;
      try {
        const result = await this.provision(id, { finalAttempt: false, routerId: paid.router_id });
        if (result === 'failed') return true; // recorded; the operator retries it like any failed provisioning
        return result !== 'missing';
      } catch (error) {
        logger.warn({ trx: id, err: { message: describe(error) } }, 'RADIUS user not written inline; the job will do it');
        return false;
      } finally {
        await deps.publish?.(id).catch(() => undefined);
      }
    },

    /** After a refund or chargeback. */
    async disable(id: string): Promise<'disabled' | 'skipped'> {
      const row = await transacciones.get(id);
      if (!row || !['refunded', 'charged_back'].includes(row.estado_pago)) return 'skipped';
      if (['disabled', 'expired'].includes(row.estado_hotspot)) return 'skipped';
      // Provisioning, failed or active: an `add` may have reached the router, so
      // look there (a provisioning job finishing later disables its own user too).
      if (row.estado_hotspot !== 'pending') {
        if ((await radius.modo(row.router_id)) === 'radius') {
          await radius.disableUser(row.router_id, row.hotspot_usuario);
        } else {
          const target = await targets.load(row.router_id);
          if (target) await disableOnRouter(row, target); // connection errors propagate: retried
        }
      }
      const moved = await transacciones.transition(id, {
        event: 'usuario_deshabilitado', from: ['pending', 'provisioning', 'failed', 'active'], detail: { motivo: row.estado_pago },
      });
      return moved ? 'disabled' : 'skipped';
    },

    /** When the product's validity ends: expired only once the router confirmed it. */
    async expire(id: string): Promise<'expired' | 'skipped'> {
      const row = await transacciones.get(id);
      if (!row || row.estado_hotspot !== 'active' || !row.hotspot_expira_en || new Date(row.hotspot_expira_en) > new Date()) return 'skipped';
      if ((await radius.modo(row.router_id)) === 'radius') {
        await radius.endUser(row.router_id, row.hotspot_usuario); // the sale is over: its rows go
      } else {
        const target = await targets.load(row.router_id);
        if (target) await disableOnRouter(row, target);
      }
      const moved = await transacciones.transition(id, { event: 'usuario_expirado', from: ['active'] });
      return moved ? 'expired' : 'skipped';
    },

    /**
     * A primer_uso sale seen logging in for the first time gets its
     * validity's end, so the expiry sweep ends it like any other. RADIUS mode
     * reads accounting (the radius-accounting job); API mode reads the router's
     * users (their uptime: the first login is taken as now − uptime, never
     * earlier than it was), on the expiry sweep's schedule.
     */
    async recordFirstLogins(modo: 'api' | 'radius', limit = EXPIRY_BATCH): Promise<number> {
      const waiting = await transacciones.activePrimerUsoSinInicio(limit);
      const radiusRouters = new Set(await radius.radiusRouters([...new Set(waiting.map((w) => w.router_id))]));
      let marked = 0;
      const byRouter = new Map<string, typeof waiting>();
      for (const w of waiting) {
        if (radiusRouters.has(w.router_id) === (modo === 'radius')) byRouter.set(w.router_id, [...(byRouter.get(w.router_id) ?? []), w]);
      }
      for (const [routerId, pendientes] of byRouter) {
        let seen: Map<string, Date>;
        if (modo === 'radius') {
          seen = await radius.firstLogins(routerId, pendientes.map((t) => t.hotspot_usuario));
        } else {
          const target = await targets.load(routerId);
          if (!target?.activo) continue;
          try {
            const users = await hotspot.listUsers(target);
            const names = new Set(pendientes.map((t) => t.hotspot_usuario));
            seen = new Map();
            for (const u of users) {
              const uptime = parseRouterDuration(u.uptime) ?? 0;
              if (names.has(u.name) && uptime > 0) seen.set(u.name, new Date(Date.now() - uptime * 1000));
            }
          } catch (error) {
            logger.debug({ router: routerId, err: { message: describe(error) } }, 'first logins not read; next sweep');
            continue;
          }
        }
        for (const transaccion of pendientes) {
          const at = seen.get(transaccion.hotspot_usuario);
          if (!at) continue;
          const expiresAt = transaccion.vigencia_minutos ? new Date(at.getTime() + transaccion.vigencia_minutos * 60_000) : null;
          if (await transacciones.markPrimerUso(transaccion.id, at, expiresAt)) marked++;
        }
      }
      return marked;
    },

    /** "Bloquear": the user of an active sale is refused at its next login (RADIUS) or disabled on the router (API). */
    async block(id: string): Promise<'disabled' | 'skipped'> {
      const row = await transacciones.get(id);
      if (!row || row.estado_hotspot !== 'active') return 'skipped';
      if ((await radius.modo(row.router_id)) === 'radius') {
        await radius.disableUser(row.router_id, row.hotspot_usuario);
      } else {
        const target = await targets.load(row.router_id);
        if (target) await disableOnRouter(row, target);
      }
      const moved = await transacciones.transition(id, { event: 'usuario_deshabilitado', from: ['active'], detail: { motivo: 'bloqueado' } });
      return moved ? 'disabled' : 'skipped';
    },

    /** The periodic sweep: an expiry job for every active user whose validity has ended. */
    async enqueueDueExpiries(now = new Date()): Promise<number> {
      const due = await transacciones.activeExpiredBy(now, EXPIRY_BATCH);
      for (const id of due) await deps.jobs.enqueue('expire-user', { transaccionId: id }, { replaceFinished: true });
      return due.length;
    },
  };
}

export type HotspotService = ReturnType<typeof createHotspotService>;
