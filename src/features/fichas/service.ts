/**
 * Printed vouchers (fichas): batches, their hotspot users on the router,
 * voiding, and reading the routers to see which were used.
 *
 * Exactly once per voucher: each voucher has its own provisioning job (job id
 * from the voucher id) and the hotspot user's comment names the voucher, so
 * "already have user with this name" on a user whose comment is ours means an
 * earlier attempt succeeded. A router that is down keeps the job retrying with
 * the same backoff and breaker as sales; the fichas reconciler re-creates jobs
 * that were lost or gave up, so a router that comes back gets its batch.
 */
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { printableLogo } from '../../platform/images';
import type { JobQueues } from '../../platform/jobs/queues';
import { RetryLaterError } from '../../platform/jobs/errors';
import type { Logger } from '../../platform/logger';
import { HotspotClient, RouterError, type HotspotUser } from '../../integrations/mikrotik';
import type { ProductosStore } from '../productos';
import type { EmpresasStore } from '../empresas';
import type { RoutersStore, RouterTargets } from '../routers';
import type { Plan, RadiusService } from '../radius';
import { ensureHotspotUser, UnknownProfileError } from '../hotspot';
import { parseRouterDuration } from '../../integrations/mikrotik';
import { commentFor, generateCode, generatePassword, newLoteId } from './codes';
import type { Ficha, FichaLote } from './models';
import type { FichasStore, LoteFilters, LotePage, LoteSort, LoteSummary } from './store';
import { pageOf, type PageRequest } from '../../platform/http/paging';

export interface CrearLoteInput {
  producto_id: number;
  cantidad: number;
  tipo_usuario?: 'usuario_contrasena' | 'pin';
  prefijo?: string;
}

export const MAX_FICHAS_POR_LOTE = 1000;
const describe = (error: unknown) => (error instanceof RouterError ? error.detail : error instanceof Error ? error.message : String(error));


export function createFichasService(deps: {
  config: Config;
  store: FichasStore;
  productos: Pick<ProductosStore, 'find'>;
  empresas: Pick<EmpresasStore, 'findRef'>;
  routers: Pick<RoutersStore, 'hotspotLoginUrl' | 'find'>;
  secrets: SecretBox;
  jobs: JobQueues;
  hotspot: HotspotClient;
  /** The client voucher jobs use: background lane of the router's slots, behind paid sales (issue 21). Default `hotspot`. */
  jobHotspot?: HotspotClient;
  targets: RouterTargets;
  logger: Logger;
  circuitOpen?: (routerId: string) => boolean;
  /** The company's logo (PNG/JPEG/WebP bytes), if it uploaded one. */
  logo?: (empresaId: string) => Promise<{ contentType: string; data: Buffer } | null>;
  /** RADIUS-mode routers: vouchers are rows for FreeRADIUS, usable at once, used when accounting says so. */
  radius: RadiusService;
}) {
  const { config, store, secrets, jobs, hotspot, targets, logger, radius } = deps;
  const jobHotspot = deps.jobHotspot ?? hotspot;
  const jobOf = (f: Pick<Ficha, 'id' | 'empresa_id' | 'router_id'>) => ({ fichaId: String(f.id), empresaId: f.empresa_id, routerId: f.router_id });

  /**
   * A voucher's plan. It has no sale to be activated by: its validity always
   * counts from its first login (Expire-After).
   */
  const planOf = (lote: FichaLote): Plan => ({
    productoId: lote.producto_id, perfil: lote.perfil_mikrotik_nombre, limitUptime: lote.limit_uptime, vigenciaMinutos: lote.vigencia_minutos ?? null,
    limiteVelocidad: lote.limite_velocidad ?? null, dispositivos: lote.dispositivos ?? 1, vigenciaDesde: 'primer_uso',
  });

  /** RADIUS mode: the voucher's rows for FreeRADIUS, then `disponible` (a voided one gets no rows). */
  async function provisionRadius(ficha: Ficha, lote: FichaLote): Promise<'disponible' | 'voided'> {
    await radius.writeUser({
      routerId: ficha.router_id, user: ficha.codigo, plan: planOf(lote), expiresAt: null,
      password: lote.tipo_usuario === 'pin' ? ficha.codigo : secrets.open(ficha.contrasena_enc) ?? '',
    });
    const moved = await store.transition(ficha.id, ['pendiente'], 'disponible', { ultimo_error: null });
    if (moved) return 'disponible';
    const now = await store.getFicha(ficha.id);
    if (now?.estado === 'anulada') await radius.endUser(ficha.router_id, ficha.codigo);
    return 'voided';
  }

  function fichaView(ficha: Ficha, lote: Pick<FichaLote, 'tipo_usuario'>) {
    return {
      codigo: ficha.codigo,
      ...(lote.tipo_usuario === 'usuario_contrasena' ? { contrasena: secrets.open(ficha.contrasena_enc) } : {}),
      estado: ficha.estado,
      ...(ficha.estado === 'fallida' ? { error: ficha.ultimo_error ?? 'El router no aceptó la ficha' } : {}),
      usada_en: ficha.usada_en ? new Date(ficha.usada_en).toISOString() : null,
    };
  }

  function loteView(lote: LoteSummary) {
    return {
      id: lote.id,
      router_id: lote.router_id,
      producto: { id: lote.producto_id, nombre: lote.producto_nombre, perfil: lote.perfil_mikrotik_nombre, precio: lote.precio, moneda: lote.moneda },
      tipo_usuario: lote.tipo_usuario,
      prefijo: lote.prefijo,
      cantidad: lote.cantidad,
      por_estado: lote.por_estado,
      creado_en: new Date(lote.creado_en).toISOString(),
    };
  }

  async function enqueueProvision(ficha: Pick<Ficha, 'id' | 'empresa_id' | 'router_id'>, replaceFinished = false) {
    await jobs.enqueue('provision-ficha', jobOf(ficha), { replaceFinished }).catch((error: Error) =>
      logger.warn({ ficha: ficha.id, err: { message: error.message } }, 'voucher provisioning not enqueued; the reconciler will pick it up'));
  }

  async function loteOf(empresaId: string, loteId: string): Promise<LoteSummary> {
    const lote = /^LOT_[0-9A-F]{10}$/.test(loteId) ? await store.getLote(empresaId, loteId) : null;
    if (!lote) throw new NotFoundError('Lote de fichas no encontrado');
    return lote;
  }

  /** Disables a voucher's user on its router and logs out its sessions; absent or not ours is fine. */
  async function disableOnRouter(ficha: Ficha & { lote: FichaLote }, hotspot = deps.hotspot): Promise<void> {
    const target = await targets.load(ficha.router_id);
    if (!target) return;
    const user = await hotspot.findUserByName(target, ficha.codigo);
    if (user && user.comment === commentFor(ficha.lote_id, ficha.codigo)) {
      if (!user.disabled) await hotspot.disableUser(target, user.id);
      await hotspot.removeActiveByUser(target, ficha.codigo);
    }
  }

  return {
    async crearLote(empresaId: string, input: CrearLoteInput, creadoPor: number | null) {
      if (!Number.isInteger(input.cantidad) || input.cantidad < 1 || input.cantidad > MAX_FICHAS_POR_LOTE) {
        throw new ValidationError(`El campo 'cantidad' debe estar entre 1 y ${MAX_FICHAS_POR_LOTE} fichas por lote`, 'cantidad');
      }
      const producto = await deps.productos.find(empresaId, input.producto_id);
      if (!producto || !producto.activo) throw new NotFoundError('Producto no encontrado o no disponible');
      const tipo = input.tipo_usuario ?? 'pin';
      const prefijo = input.prefijo ?? null;
      // RADIUS mode: nothing to dial, so the batch and its FreeRADIUS rows are written together, usable at once.
      const radiusMode = (await radius.modo(producto.router_id)) === 'radius';
      for (let attempt = 0; attempt < 5; attempt++) {
        const codes = new Set<string>();
        while (codes.size < input.cantidad) codes.add(generateCode(prefijo));
        const passwords = new Map([...codes].map((codigo) => [codigo, tipo === 'pin' ? codigo : generatePassword()]));
        const lote = {
          id: newLoteId(), empresa_id: empresaId, router_id: producto.router_id, producto_id: producto.id,
          producto_nombre: producto.nombre_venta, perfil_mikrotik_nombre: producto.perfil_mikrotik_nombre,
          limit_uptime: producto.limit_uptime, limit_bytes_total: producto.limit_bytes_total, precio: producto.precio, moneda: producto.moneda,
          vigencia_minutos: producto.vigencia_minutos, limite_velocidad: producto.limite_velocidad, dispositivos: producto.dispositivos,
          vigencia_desde: producto.vigencia_desde,
          tipo_usuario: tipo, prefijo, cantidad: input.cantidad, creado_por: creadoPor,
        };
        const result = await store.insertLote(
          lote,
          [...passwords].map(([codigo, clave]) => ({ codigo, contrasena_enc: tipo === 'usuario_contrasena' ? secrets.seal(clave) : null })),
          config.fichas.maxPendientesPorEmpresa,
          radiusMode ? {
            disponibles: true,
            alsoWrite: (tx, fichas) => {
              const plan = planOf({ ...lote, creado_en: new Date() });
              return radius.writeUsers(fichas.map((f) => ({ routerId: f.router_id, user: f.codigo, password: passwords.get(f.codigo)!, plan, expiresAt: null })), tx);
            },
          } : {},
        );
        if (result === 'codigo_repetido') continue; // a code already on this router: draw the batch again
        if ('limite' in result) {
          throw new ValidationError(
            `Tu empresa ya tiene ${result.pendientes} fichas pendientes de crear en los routers; el máximo es ${result.limite}. `
            + 'Espera a que se creen (o anula las que no vayas a usar) antes de pedir otro lote',
            'cantidad', { code: 'limite_fichas' },
          );
        }
        if (radiusMode) {
          const view = { ...result.lote, por_estado: { pendiente: 0, disponible: result.fichas.length, usada: 0, expirada: 0, anulada: 0, fallida: 0 } };
          return { ...loteView(view), fichas: result.fichas.map((f) => fichaView(f, view)) };
        }
        // One round trip for the whole batch; if Redis fails now, the reconciler enqueues them later.
        await jobs.enqueueMany('provision-ficha', result.fichas.map(jobOf)).catch((error: Error) =>
          logger.warn({ lote: result.lote.id, err: { message: error.message } }, 'voucher provisioning not enqueued; the reconciler will pick it up'));
        const view = { ...result.lote, por_estado: { pendiente: result.fichas.length, disponible: 0, usada: 0, expirada: 0, anulada: 0, fallida: 0 } };
        return { ...loteView(view), fichas: result.fichas.map((f) => fichaView(f, view)) };
      }
      throw new Error('could not draw unique voucher codes');
    },

    /** A page of batches (the 100 newest without `limit`) and how many match. */
    async listarLotes(empresaId: string, query: LoteFilters & PageRequest<LoteSort> = {}) {
      // Another company's router is not a filter an admin may use: 404, as for sales.
      if (query.router_id && !(await deps.routers.find(empresaId, query.router_id))) throw new NotFoundError('Router no encontrado');
      const page = await store.listLotes(empresaId, { router_id: query.router_id, tipo_usuario: query.tipo_usuario }, pageOf(query, { sort: 'creado_en', limit: 100 }) as LotePage);
      return { rows: page.rows.map(loteView), total: page.total };
    },

    async obtenerLote(empresaId: string, loteId: string) {
      const lote = await loteOf(empresaId, loteId);
      const fichas = await store.fichasDeLote(lote.id);
      return { ...loteView(lote), fichas: fichas.map((f) => fichaView(f, lote)) };
    },

    /** What a printed sheet or a CSV needs: the batch, its vouchers (with passwords), the company and where the QR points. */
    async paraImprimir(empresaId: string, loteId: string) {
      const lote = await loteOf(empresaId, loteId);
      const [fichas, empresa, loginUrl, logo] = await Promise.all([
        store.fichasDeLote(lote.id), deps.empresas.findRef(empresaId), deps.routers.hotspotLoginUrl(lote.router_id),
        deps.logo ? deps.logo(empresaId).catch(() => null) : null,
      ]);
      return {
        lote,
        // Re-decoded by the bounded decoder into a small flat PNG (pdfkit's own decoder never sees stored bytes); unreadable: no logo.
        empresa: { nombre: empresa?.nombre ?? '', logo: logo ? await printableLogo(Buffer.from(logo.data)) : null },
        loginUrl: loginUrl ?? config.fichas.defaultLoginUrl,
        fichas: fichas.map((f) => ({ ...fichaView(f, lote), contrasenaRouter: lote.tipo_usuario === 'pin' ? f.codigo : secrets.open(f.contrasena_enc) ?? '' })),
      };
    },

    /** Voids every voucher of the company with this code and disables it on the router (or leaves that to a job if the router is down). */
    async anular(empresaId: string, codigo: string) {
      const matches = /^[A-Z0-9]{1,32}$/.test(codigo) ? await store.fichasPorCodigo(empresaId, codigo) : [];
      if (matches.length === 0) throw new NotFoundError('Ficha no encontrada');
      const out = [];
      for (const ficha of matches) {
        const moved = await store.transition(ficha.id, ['pendiente', 'disponible', 'usada', 'fallida'], 'anulada');
        const current = moved ?? ficha;
        let enRouter = moved ? 'deshabilitada' : 'sin_cambios';
        if (moved && (await radius.modo(ficha.router_id)) === 'radius') {
          // The voucher is over: its rows go, and the next login is refused.
          await radius.endUser(ficha.router_id, ficha.codigo);
        } else if (moved && ficha.estado === 'fallida') {
          enRouter = 'no_creada'; // the router never took it: nothing to disable, no job in flight
        } else if (moved && ficha.estado !== 'pendiente') {
          const full = (await store.getFicha(ficha.id))!;
          try {
            await disableOnRouter(full);
          } catch (error) {
            enRouter = 'pendiente';
            logger.warn({ ficha: ficha.id, err: { message: describe(error) } }, 'voucher not disabled yet; a job will retry');
            await jobs.enqueue('void-ficha', jobOf(ficha)).catch(() => undefined);
          }
        } else if (moved) {
          // Not on the router yet (or an add is in flight): the provisioning job disables what it creates.
          enRouter = 'no_creada';
          await jobs.enqueue('void-ficha', jobOf(ficha)).catch(() => undefined);
        }
        out.push({ codigo: current.codigo, lote_id: current.lote_id, estado: moved ? 'anulada' : current.estado, en_router: enRouter });
      }
      return { message: 'Ficha anulada', fichas: out };
    },

    /** Job: creates one voucher's hotspot user on its router, exactly once. */
    async provision(id: string, options: { finalAttempt: boolean }): Promise<string> {
      const ficha = await store.getFicha(id);
      if (!ficha) return 'missing';
      if (ficha.estado !== 'pendiente') return 'already_done';
      if (!options.finalAttempt && deps.circuitOpen?.(ficha.router_id)) throw new RetryLaterError('router fuera de línea (circuito abierto)');
      // The router's row says its mode too: one read for both.
      const target = await targets.load(ficha.router_id);
      if (target?.modo === 'radius') return provisionRadius(ficha, ficha.lote);
      if (!target || !target.activo) {
        await store.recordAttempt(id, 'El router no existe o está inactivo');
        throw new RetryLaterError('router inactivo');
      }
      const { lote } = ficha;
      const comment = commentFor(ficha.lote_id, ficha.codigo);
      try {
        const ensured = await ensureHotspotUser(jobHotspot, target, {
          name: ficha.codigo, password: lote.tipo_usuario === 'pin' ? ficha.codigo : secrets.open(ficha.contrasena_enc) ?? '',
          plan: planOf(lote), comment, limitBytesTotal: lote.limit_bytes_total,
        });
        if (ensured.outcome === 'name_taken') {
          // Someone else's user holds the code: this voucher (not printed yet, still pendiente) gets a new one.
          const renamed = await store.renombrar(id, generateCode(lote.prefijo), ficha.contrasena_enc);
          await store.recordAttempt(id, 'el código ya existía en el router; se generó otro');
          throw new RetryLaterError(renamed ? 'código ocupado en el router; se generó otro' : 'código ocupado en el router');
        }
      } catch (error) {
        if (error instanceof RetryLaterError) throw error;
        if (error instanceof UnknownProfileError) {
          // Permanent, as for a sale: the voucher is `fallida` with the reason, and the job fails now
          // (the reconciler only takes `pendiente` vouchers, so nothing retries it in a loop).
          await store.transition(id, ['pendiente'], 'fallida', { ultimo_error: error.detail });
          await store.recordAttempt(id, error.detail);
          throw error;
        }
        // The router is down or refused something else: keep the voucher pending and retrying.
        await store.recordAttempt(id, describe(error));
        throw new RetryLaterError(describe(error));
      }
      const moved = await store.transition(id, ['pendiente'], 'disponible', { ultimo_error: null });
      if (!moved) {
        // Voided while we were creating it: the user we just made must not stay enabled.
        const now = await store.getFicha(id);
        if (now?.estado === 'anulada') await disableOnRouter(now, jobHotspot);
        return 'voided';
      }
      return 'disponible';
    },

    /** Job: a voided voucher's user is disabled on the router (retried while the router is down). */
    async voidOnRouter(id: string): Promise<string> {
      const ficha = await store.getFicha(id);
      if (!ficha || ficha.estado !== 'anulada') return 'skipped';
      if ((await radius.modo(ficha.router_id)) === 'radius') {
        await radius.endUser(ficha.router_id, ficha.codigo);
        return 'disabled';
      }
      try {
        await disableOnRouter(ficha, jobHotspot);
      } catch (error) {
        throw new RetryLaterError(describe(error));
      }
      return 'disabled';
    },

    /** Reconciler: pending vouchers whose job was lost or gave up get it again. */
    async reconcile(now = new Date()): Promise<number> {
      const stale = await store.pendientesEstancadas(new Date(now.getTime() - config.jobs.staleAfterMs));
      let n = 0;
      for (const ficha of stale) {
        const job = await jobs.queues.fichas.getJob(`provision-ficha-${ficha.id}`);
        if (!job || (await job.isFailed()) || (await job.isCompleted())) {
          await enqueueProvision(ficha, true);
          n++;
        }
      }
      if (n > 0) logger.info({ fichas: n }, 'voucher reconciliation');
      return n;
    },

    /**
     * Periodic: reads each router's hotspot users (and active sessions) and
     * marks vouchers used (uptime or bytes > 0, or online now) and used up
     * (their limit reached). A router that does not answer is read next time.
     */
    async markUsage(now = new Date()): Promise<{ usadas: number; expiradas: number; routers_sin_respuesta: number }> {
      const result = { usadas: 0, expiradas: 0, routers_sin_respuesta: 0 };
      const all = await store.routersConFichasVigentes();
      const radiusRouters = new Set(await radius.radiusRouters(all));
      for (const routerId of all) {
        if (radiusRouters.has(routerId)) continue; // read from accounting (markRadiusUsage), never dialled
        if (deps.circuitOpen?.(routerId)) { result.routers_sin_respuesta++; continue; }
        const target = await targets.load(routerId);
        if (!target || !target.activo) continue;
        let users: HotspotUser[];
        let online: Set<string>;
        try {
          users = await jobHotspot.listUsers(target);
          online = new Set((await jobHotspot.listActive(target)).map((s) => s.user));
        } catch (error) {
          result.routers_sin_respuesta++;
          logger.debug({ router: routerId, err: { message: describe(error) } }, 'voucher usage not read');
          continue;
        }
        const byName = new Map(users.map((u) => [u.name, u]));
        for (const ficha of await store.vigentesDeRouter(routerId)) {
          const user = byName.get(ficha.codigo);
          if (!user || user.comment !== commentFor(ficha.lote_id, ficha.codigo)) continue;
          const uptime = parseRouterDuration(user.uptime) ?? 0;
          const bytes = (user.bytes_in ?? 0) + (user.bytes_out ?? 0);
          const used = uptime > 0 || bytes > 0 || online.has(ficha.codigo);
          if (ficha.estado === 'disponible' && used) {
            if (await store.transition(ficha.id, ['disponible'], 'usada', { usada_en: now } as Partial<Ficha>)) result.usadas++;
          }
          const limitUptime = parseRouterDuration(ficha.limit_uptime);
          const limitBytes = ficha.limit_bytes_total ? Number(ficha.limit_bytes_total) : null;
          const usedUp = (limitUptime !== null && uptime >= limitUptime) || (limitBytes !== null && bytes >= limitBytes);
          if (usedUp && !online.has(ficha.codigo)) {
            const set = ficha.estado === 'disponible' ? { usada_en: now } : {};
            if (await store.transition(ficha.id, ['disponible', 'usada'], 'expirada', set as Partial<Ficha>)) result.expiradas++;
          }
        }
      }
      return result;
    },

    /**
     * RADIUS mode, from accounting (the radius-accounting job): a voucher whose
     * user started a session is `usada` (at its first Start); one whose uptime
     * or validity from first login is used up is `expirada` and its rows go.
     */
    async markRadiusUsage(): Promise<{ usadas: number; expiradas: number }> {
      const result = { usadas: 0, expiradas: 0 };
      const routers = await radius.radiusRouters(await store.routersConFichasVigentes());
      for (const routerId of routers) {
        const fichas = await store.deRouterEnEstados(routerId, ['disponible', 'usada']);
        const firsts = await radius.firstLogins(routerId, fichas.map((f) => f.codigo));
        for (const ficha of fichas) {
          const first = firsts.get(ficha.codigo) ?? (ficha.usada_en ? new Date(ficha.usada_en) : null);
          if (!first) continue;
          let estado = ficha.estado;
          if (estado === 'disponible' && await store.transition(ficha.id, ['disponible'], 'usada', { usada_en: first } as Partial<Ficha>)) {
            result.usadas++;
            estado = 'usada';
          }
          const plan = planOf(ficha.lote);
          if (!plan.vigenciaMinutos && parseRouterDuration(plan.limitUptime) === null) continue;
          const left = await radius.secondsLeft({ routerId, user: ficha.codigo, plan, expiresAt: null }, first);
          if (left === 0 && await store.transition(ficha.id, [estado], 'expirada')) {
            await radius.endUser(routerId, ficha.codigo);
            result.expiradas++;
          }
        }
      }
      return result;
    },

    ingresosEfectivo: (empresaId: string) => store.ingresosEfectivo(empresaId),
  };
}

export type FichasService = ReturnType<typeof createFichasService>;
