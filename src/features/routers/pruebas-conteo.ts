/**
 * Trials started, where the router reports them (issue 24, item 4): what the
 * router's own trial login is worth to the company.
 *
 * - API mode: the `pruebas-routers` job (workers/schedules.ts) reads every
 *   active router with the trial on, a few at a time, as background work
 *   (never a paid sale's slot), bounded by the pool's timeouts and breaker:
 *   the devices whose trial the router holds (dynamic `T-<MAC>` users) and the
 *   trial sessions online. A device counts once per trial period.
 * - RADIUS mode: the heartbeat carries the trial sessions online
 *   (`pruebas_activas`); a rise since the last heartbeat counts as trials
 *   started (a lower bound: one ending while another starts within the same
 *   minute is not seen).
 * - The dashboard and the router read only read the table: a slow or dead
 *   router never slows them. A count whose last reading failed, or that is
 *   older than three readings, is `desconocido`.
 */
import crypto from 'node:crypto';
import type { HotspotTrialClient } from '../../integrations/mikrotik';
import type { Logger } from '../../platform/logger';
import type { PruebasDiaRow, PruebasStore } from './pruebas-store';
import type { RouterTargets } from './targets';
import { LATIDO_ACTIVO_MS } from './radius-service';

/** How a router's count reads on the dashboard and the router read. */
export interface PruebasConteo {
  /** 'ok': read recently; 'desconocido': the last reading failed, is stale, or there was none. */
  estado: 'ok' | 'desconocido';
  /** Trials started today (company's time zone), as far as counted. */
  hoy: number;
  /** Trial sessions online at the last good reading; null when unknown. */
  activas: number | null;
  /** 'api': read from the router; 'latido': carried by its heartbeat (RADIUS mode, a lower bound); null: never read. */
  fuente: 'api' | 'latido' | null;
  leido_en: string | null;
  /** Why the count is unknown, in Spanish; null when it is known. */
  detalle: string | null;
}

export const pruebasConteoSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['estado', 'hoy', 'activas', 'fuente', 'leido_en', 'detalle'],
  properties: {
    estado: { type: 'string', enum: ['ok', 'desconocido'] },
    hoy: { type: 'integer', description: 'Pruebas gratis iniciadas hoy (zona horaria de la empresa)' },
    activas: { type: ['integer', 'null'], description: 'Sesiones de prueba en línea en la última lectura; null si no se sabe' },
    fuente: { type: ['string', 'null'], enum: ['api', 'latido', null], description: "'api': leído del router; 'latido': informado por el latido (modo RADIUS, cota inferior)" },
    leido_en: { type: ['string', 'null'], format: 'date-time' },
    detalle: { type: ['string', 'null'], description: 'Por qué el conteo es desconocido' },
  },
} as const;

export const PRUEBAS_CONTEO_EXAMPLE: PruebasConteo = { estado: 'ok', hoy: 7, activas: 2, fuente: 'api', leido_en: '2026-01-20T18:05:00.000Z', detalle: null };

/** The device as stored: sha256 of router id and MAC, never the MAC. */
export const dispositivoHash = (routerId: string, mac: string) =>
  crypto.createHash('sha256').update(`${routerId}:${mac.toUpperCase()}`).digest('hex');

export function createPruebasConteo(deps: {
  store: PruebasStore;
  trial: Pick<HotspotTrialClient, 'readTrials'>;
  targets: RouterTargets;
  logger?: Logger;
  /** How often the job reads (a count older than three readings is unknown). */
  everyMs: number;
  /** Routers read at once. */
  concurrency?: number;
  circuitOpen?: (routerId: string) => boolean;
}) {
  const { store } = deps;

  function conteo(row: PruebasDiaRow | null, hoy: string | null, now: Date): PruebasConteo {
    if (!row) return { estado: 'desconocido', hoy: 0, activas: null, fuente: null, leido_en: null, detalle: 'Aún no hay lecturas de este router.' };
    const staleMs = row.fuente === 'latido' ? LATIDO_ACTIVO_MS : 3 * deps.everyMs;
    const leido = row.leido_en ? new Date(row.leido_en) : null;
    const fresh = leido !== null && now.getTime() - leido.getTime() <= staleMs;
    const ok = row.error === null && fresh;
    const detalle = ok ? null
      : row.error !== null ? `El router no respondió a la última lectura (${new Date(row.intento_en).toISOString()}).`
        : row.fuente === 'latido' ? 'El router (modo RADIUS) no ha enviado su latido en los últimos minutos.'
          : 'No hay una lectura reciente del router.';
    return {
      estado: ok ? 'ok' : 'desconocido',
      hoy: hoy === null || row.fecha === hoy ? row.iniciadas : 0,
      activas: ok ? row.activas : null,
      fuente: row.fuente,
      leido_en: leido ? leido.toISOString() : null,
      detalle,
    };
  }

  async function leerUno(router: { id: string; reinicio_horas: number }, now: Date): Promise<'ok' | 'fallo' | 'omitido'> {
    if (deps.circuitOpen?.(router.id)) {
      await store.registrarFallo(router.id, 'circuito abierto', now);
      return 'fallo';
    }
    const target = await deps.targets.load(router.id);
    if (!target || !target.activo || target.modo !== 'api') return 'omitido';
    try {
      const lectura = await deps.trial.readTrials(target);
      await store.registrarLectura(router.id, {
        dispositivos: lectura.devices.map((mac) => dispositivoHash(router.id, mac)), activas: lectura.active, reinicioHoras: router.reinicio_horas,
      }, now);
      return 'ok';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.logger?.debug({ router: router.id, err: { message } }, 'trials not read');
      await store.registrarFallo(router.id, message.slice(0, 200), now);
      return 'fallo';
    }
  }

  return {
    /** The job: reads every API-mode router with the trial on, `concurrency` at a time. */
    async leer(now = new Date()): Promise<{ leidos: number; sin_respuesta: number }> {
      const queue = await store.routersParaLeer();
      const result = { leidos: 0, sin_respuesta: 0 };
      const worker = async () => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          const outcome = await leerUno(r, now);
          if (outcome === 'ok') result.leidos++;
          else if (outcome === 'fallo') result.sin_respuesta++;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
      return result;
    },

    /** A RADIUS-mode heartbeat carried `pruebas_activas`. */
    latido(routerId: string, activas: number, now = new Date()): Promise<number> {
      return store.registrarLatido(routerId, activas, now, 2 * LATIDO_ACTIVO_MS);
    },

    /** The router read's last count. */
    async ultima(routerId: string, now = new Date()): Promise<PruebasConteo> {
      return conteo(await store.ultima(routerId), null, now);
    },

    /**
     * The company dashboard's `pruebas`: totals for today, the week and the
     * month, and per router (with its state). Reads the table only.
     */
    async resumen(empresaId: string, zona: string, now = new Date()) {
      const rows = await store.resumen(empresaId, zona, now);
      const hoy = new Intl.DateTimeFormat('en-CA', { timeZone: zona, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
      const routers = rows.map((r) => {
        const c = conteo(r.ultima, hoy, now);
        return {
          router_id: r.router_id, nombre: r.nombre, modo: r.modo, prueba_activa: r.prueba_activa,
          hoy: r.hoy, semana: r.semana, mes: r.mes,
          activas: c.activas, estado: c.estado, fuente: c.fuente, leido_en: c.leido_en, detalle: c.detalle,
        };
      });
      // Routers without the trial and never counted say nothing about the totals.
      const counted = routers.filter((r) => r.prueba_activa || r.fuente !== null);
      return {
        hoy: routers.reduce((a, r) => a + r.hoy, 0),
        semana: routers.reduce((a, r) => a + r.semana, 0),
        mes: routers.reduce((a, r) => a + r.mes, 0),
        completo: counted.every((r) => r.estado === 'ok'),
        routers,
      };
    },
  };
}

export type PruebasConteoService = ReturnType<typeof createPruebasConteo>;
