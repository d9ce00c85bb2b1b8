/**
 * The only code that reads or writes router_pruebas_dia and
 * router_pruebas_dispositivos: trials started per router and day (issue 24,
 * item 4). Days are counted in the company's time zone.
 *
 * Raw SQL where Objection has no form for it: the day in a time zone
 * (`now AT TIME ZONE zona`), an upsert that adds to a counter, and an upsert
 * that only replaces a device's row when its trial period is over (the rows it
 * returns are the trials that started).
 */
import type { Knex } from 'knex';
import { on, type Tx } from '../../platform/db/objection';
import { RouterModel, RouterPruebasDiaModel, RouterPruebaDispositivoModel } from './models';

export interface PruebasDiaRow {
  router_id: string;
  fecha: string;
  iniciadas: number;
  activas: number | null;
  activas_max: number;
  fuente: 'api' | 'latido';
  leido_en: Date | null;
  intento_en: Date;
  error: string | null;
}

/** Per router of a company: today's, this week's and this month's trials started, and its latest day row. */
export interface PruebasRouterResumen {
  router_id: string;
  nombre: string;
  modo: 'api' | 'radius';
  prueba_activa: boolean;
  hoy: number;
  semana: number;
  mes: number;
  ultima: PruebasDiaRow | null;
}

/** The longest trial period a company can set (720 h): a device row older than that counts again anyway. */
const MAX_PERIODO_HORAS = 720;

export function createPruebasStore(knex: Knex) {
  const dias = (tx?: Tx) => RouterPruebasDiaModel.query(on(knex, tx));
  const dispositivos = (tx?: Tx) => RouterPruebaDispositivoModel.query(on(knex, tx));
  const routers = (tx?: Tx) => RouterModel.query(on(knex, tx));

  /** The router's company and that company's day at `now`. */
  async function diaDe(routerId: string, now: Date, tx?: Tx): Promise<{ empresa_id: string; fecha: string } | undefined> {
    const { rows } = await on(knex, tx).raw<{ rows: Array<{ empresa_id: string; fecha: string }> }>(
      `SELECT r.empresa_id, to_char((?::timestamptz AT TIME ZONE e.zona_horaria)::date, 'YYYY-MM-DD') AS fecha
         FROM routers r JOIN empresas e ON e.id = r.empresa_id WHERE r.id = ?`,
      [now, routerId],
    );
    return rows[0];
  }

  /** Adds to today's row (created on the first reading of the day). */
  async function upsertDia(routerId: string, now: Date, values: {
    fuente: 'api' | 'latido'; nuevas: number; activas: number | null; error: string | null;
  }, tx?: Tx): Promise<void> {
    const dia = await diaDe(routerId, now, tx);
    if (!dia) return; // the router was deleted meanwhile
    const ok = values.error === null;
    await on(knex, tx).raw(
      `INSERT INTO router_pruebas_dia (router_id, empresa_id, fecha, iniciadas, activas, activas_max, fuente, leido_en, intento_en, error)
       VALUES (?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (router_id, fecha) DO UPDATE SET
         iniciadas = router_pruebas_dia.iniciadas + EXCLUDED.iniciadas,
         activas = CASE WHEN EXCLUDED.error IS NULL THEN EXCLUDED.activas ELSE router_pruebas_dia.activas END,
         activas_max = GREATEST(router_pruebas_dia.activas_max, EXCLUDED.activas_max),
         fuente = EXCLUDED.fuente,
         leido_en = COALESCE(EXCLUDED.leido_en, router_pruebas_dia.leido_en),
         intento_en = EXCLUDED.intento_en,
         error = EXCLUDED.error`,
      [routerId, dia.empresa_id, dia.fecha, values.nuevas, ok ? values.activas : null, values.activas ?? 0, values.fuente, ok ? now : null, now, values.error],
    );
  }

  return {
    /** API-mode active routers with the trial on: the ones the reading job dials. */
    async routersParaLeer(): Promise<Array<{ id: string; reinicio_horas: number }>> {
      const rows = await routers().select('id', 'prueba').where('modo', 'api').where('activo', true)
        .whereRaw("(prueba->>'activa')::boolean = true").orderBy('id');
      return rows.map((r) => ({ id: r.id, reinicio_horas: Number(r.prueba?.reinicio_horas ?? 24) }));
    },

    /**
     * A good API reading: `dispositivos` are the hashes of the devices whose
     * trial the router holds now. A device counts as a new trial when it has no
     * row, or its row is older than the trial period (`reinicioHoras`).
     * Resolves with how many trials started.
     */
    async registrarLectura(routerId: string, lectura: { dispositivos: string[]; activas: number; reinicioHoras: number }, now: Date): Promise<number> {
      return knex.transaction(async (trx) => {
        const tx = trx as unknown as Tx;
        let nuevas = 0;
        if (lectura.dispositivos.length > 0) {
          const { rows } = await trx.raw<{ rows: unknown[] }>(
            `INSERT INTO router_pruebas_dispositivos (router_id, dispositivo, iniciada_en)
             SELECT ?, d, ?::timestamptz FROM unnest(?::text[]) AS d
             ON CONFLICT (router_id, dispositivo) DO UPDATE SET iniciada_en = EXCLUDED.iniciada_en
               WHERE router_pruebas_dispositivos.iniciada_en <= EXCLUDED.iniciada_en - make_interval(hours => ?)
             RETURNING 1`,
            [routerId, now, lectura.dispositivos, lectura.reinicioHoras],
          );
          nuevas = rows.length;
        }
        await upsertDia(routerId, now, { fuente: 'api', nuevas, activas: lectura.activas, error: null }, tx);
        await dispositivos(tx).where('router_id', routerId)
          .where('iniciada_en', '<', new Date(now.getTime() - MAX_PERIODO_HORAS * 3600_000)).delete();
        return nuevas;
      });
    },

    /** A reading that failed: the day's counts stay, the attempt and its reason are kept. */
    async registrarFallo(routerId: string, error: string, now: Date): Promise<void> {
      await upsertDia(routerId, now, { fuente: 'api', nuevas: 0, activas: null, error });
    },

    /**
     * A RADIUS-mode router's heartbeat with its active trial sessions: a rise
     * since the last heartbeat (within `ventanaMs`) counts as trials started.
     */
    async registrarLatido(routerId: string, activas: number, now: Date, ventanaMs: number): Promise<number> {
      return knex.transaction(async (trx) => {
        const tx = trx as unknown as Tx;
        const last = await dias(tx).where('router_id', routerId).whereNotNull('leido_en')
          .orderBy('fecha', 'desc').first().forUpdate();
        const recent = last?.leido_en && now.getTime() - new Date(last.leido_en).getTime() <= ventanaMs ? last.activas ?? 0 : 0;
        const nuevas = Math.max(0, activas - recent);
        await upsertDia(routerId, now, { fuente: 'latido', nuevas, activas, error: null }, tx);
        return nuevas;
      });
    },

    /** The router's latest day row (the router read's last count). */
    async ultima(routerId: string): Promise<PruebasDiaRow | null> {
      const row = await dias().where('router_id', routerId).orderBy('fecha', 'desc').first()
        .select('router_id', knex.raw("to_char(fecha, 'YYYY-MM-DD') AS fecha"), 'iniciadas', 'activas', 'activas_max', 'fuente', 'leido_en', 'intento_en', 'error');
      return (row as unknown as PruebasDiaRow | undefined) ?? null;
    },

    /** Every router of the company with today's, this week's (from Monday) and this month's trials started, in `zona`. */
    async resumen(empresaId: string, zona: string, now: Date): Promise<PruebasRouterResumen[]> {
      const { rows } = await knex.raw<{ rows: Array<Omit<PruebasRouterResumen, 'ultima'> & { prueba: { activa?: boolean } | null }> }>(
        `WITH l AS (SELECT (?::timestamptz AT TIME ZONE ?)::date AS hoy)
         SELECT r.id AS router_id, r.nombre, r.modo, r.prueba,
                COALESCE(sum(d.iniciadas) FILTER (WHERE d.fecha = l.hoy), 0)::int AS hoy,
                COALESCE(sum(d.iniciadas) FILTER (WHERE d.fecha >= date_trunc('week', l.hoy)::date), 0)::int AS semana,
                COALESCE(sum(d.iniciadas) FILTER (WHERE d.fecha >= date_trunc('month', l.hoy)::date), 0)::int AS mes
           FROM l CROSS JOIN routers r
           LEFT JOIN router_pruebas_dia d ON d.router_id = r.id AND d.fecha >= LEAST(date_trunc('week', l.hoy), date_trunc('month', l.hoy))::date AND d.fecha <= l.hoy
          WHERE r.empresa_id = ?
          GROUP BY r.id, r.nombre, r.modo, r.prueba, r.creado_en
          ORDER BY r.creado_en, r.id`,
        [now, zona, empresaId],
      );
      const latest = await knex.raw<{ rows: PruebasDiaRow[] }>(
        `SELECT DISTINCT ON (router_id) router_id, to_char(fecha, 'YYYY-MM-DD') AS fecha, iniciadas, activas, activas_max, fuente, leido_en, intento_en, error
           FROM router_pruebas_dia WHERE empresa_id = ? ORDER BY router_id, fecha DESC`,
        [empresaId],
      );
      const byRouter = new Map(latest.rows.map((r) => [r.router_id, r]));
      return rows.map(({ prueba, ...r }) => ({ ...r, prueba_activa: prueba?.activa === true, ultima: byRouter.get(r.router_id) ?? null }));
    },
  };
}

export type PruebasStore = ReturnType<typeof createPruebasStore>;
