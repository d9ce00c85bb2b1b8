/**
 * Sales figures for the dashboards, summed in PostgreSQL (money as numeric,
 * returned as a decimal string).
 *
 * Raw knex on `transacciones`: its Objection model and store belong to the
 * transacciones feature, which is being moved to them by its owner; these
 * aggregates move there (and this file goes) once that store offers them.
 */
import type { Knex } from 'knex';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../transacciones';
import { centsToDecimalString, toCents } from '../../platform/money';

export interface VentasStats {
  transacciones: { total: number; por_estado_pago: Record<string, number>; por_estado_hotspot: Record<string, number> };
  /** Paid sales only (refunded and charged back money is not revenue). */
  ingresos: Record<string, { total: string; transacciones: number }>;
}

/** One period's figures; money per currency as decimal strings. */
export interface PeriodoVentas {
  /** When the period starts (midnight in the company's zone), as an instant. */
  desde: string;
  ingresos_tarjeta: Record<string, string>;
  ingresos_efectivo: Record<string, string>;
  /** Paid SPEI bank transfers (issue 24), apart from card and cash. */
  ingresos_spei: Record<string, string>;
  /** Paid sales. */
  ventas: number;
  declinadas: number;
  aprovisionamientos_fallidos: number;
  /** Printed vouchers first used in the period (their price is in ingresos_efectivo). */
  fichas_usadas: number;
}

export interface PeriodosVentas {
  periodos: { hoy: PeriodoVentas; semana: PeriodoVentas; mes: PeriodoVentas };
  /** The last 30 days (today included), oldest first, days in the company's zone. */
  ingresos_diarios: Array<{ fecha: string; total: Record<string, string>; ventas: number }>;
}

/** Which sales were paid in cash (OXXO, Paycash); printed vouchers (fichas) are cash too and are added apart. SPEI is counted on its own. */
const CASH_SQL = "t.metodo_pago IN ('oxxo', 'paycash')";
const CARD_SQL = "t.metodo_pago = 'tarjeta'";
const SPEI_SQL = "t.metodo_pago = 'spei'";

export function createVentasStatsStore(knex: Knex) {
  const scoped = (empresaId?: string) => {
    const query = knex('transacciones');
    if (empresaId) query.where('empresa_id', empresaId);
    return query;
  };

  return {
    /** Counts by payment and hotspot state, and paid revenue per currency: of a company, or of the platform. */
    async ventas(scope: { empresaId?: string } = {}): Promise<VentasStats> {
      const [byPago, byHotspot, revenue] = await Promise.all([
        scoped(scope.empresaId).select('estado_pago').count<{ estado_pago: string; count: string }[]>('* as count').groupBy('estado_pago'),
        scoped(scope.empresaId).select('estado_hotspot').count<{ estado_hotspot: string; count: string }[]>('* as count').groupBy('estado_hotspot'),
        scoped(scope.empresaId).where('estado_pago', 'paid')
          .select('moneda', knex.raw('round(sum(monto), 2)::text as total'), knex.raw('count(*)::int as transacciones'))
          .groupBy('moneda').orderBy('moneda') as unknown as Promise<Array<{ moneda: string; total: string; transacciones: number }>>,
      ]);
      const porEstadoPago = Object.fromEntries(ESTADOS_PAGO.map((e) => [e, 0])) as Record<string, number>;
      for (const row of byPago) porEstadoPago[row.estado_pago] = Number(row.count ?? 0);
      const porEstadoHotspot = Object.fromEntries(ESTADOS_HOTSPOT.map((e) => [e, 0])) as Record<string, number>;
      for (const row of byHotspot) porEstadoHotspot[row.estado_hotspot] = Number(row.count ?? 0);
      return {
        transacciones: {
          total: Object.values(porEstadoPago).reduce((a, b) => a + b, 0),
          por_estado_pago: porEstadoPago,
          por_estado_hotspot: porEstadoHotspot,
        },
        ingresos: Object.fromEntries(revenue.map((r) => [r.moneda, { total: r.total, transacciones: Number(r.transacciones ?? 0) }])),
      };
    },

    /**
     * Today, this week (from Monday) and this month, and revenue per day for the
     * last 30 days, with days counted in `zona` (an IANA name PostgreSQL knows)
     * and a sale placed in the day it was created (as the sales list filters).
     * Raw SQL: the period bounds (`date_trunc` on the local wall clock, back to
     * an instant with AT TIME ZONE) and the day series have no Objection form.
     * Both scans use the (empresa_id, creado_en) index.
     */
    async periodos(empresaId: string, zona: string, now: Date = new Date()): Promise<PeriodosVentas> {
      const bounds = `
        WITH local AS (SELECT (?::timestamptz AT TIME ZONE ?) AS l),
        p AS (
          SELECT 'hoy' AS periodo, date_trunc('day', l) AT TIME ZONE ? AS desde FROM local
          UNION ALL SELECT 'semana', date_trunc('week', l) AT TIME ZONE ? FROM local
          UNION ALL SELECT 'mes', date_trunc('month', l) AT TIME ZONE ? FROM local
        )`;
      const boundBindings = [now, zona, zona, zona, zona];
      const [periods, totals, daily, fichas, fichasDaily] = await Promise.all([
        knex.raw<{ rows: Array<{ periodo: string; desde: Date }> }>(`${bounds} SELECT periodo, desde FROM p`, boundBindings),
        knex.raw<{ rows: Array<{ periodo: string; moneda: string | null; tarjeta: string | null; efectivo: string | null; spei: string | null; ventas: number; declinadas: number; fallidas: number }> }>(
          `${bounds}
           SELECT p.periodo, t.moneda,
                  round(sum(t.monto) FILTER (WHERE t.estado_pago = 'paid' AND ${CARD_SQL}), 2)::text AS tarjeta,
                  round(sum(t.monto) FILTER (WHERE t.estado_pago = 'paid' AND ${CASH_SQL}), 2)::text AS efectivo,
                  round(sum(t.monto) FILTER (WHERE t.estado_pago = 'paid' AND ${SPEI_SQL}), 2)::text AS spei,
                  (count(*) FILTER (WHERE t.estado_pago = 'paid'))::int AS ventas,
                  (count(*) FILTER (WHERE t.estado_pago = 'declined'))::int AS declinadas,
                  (count(*) FILTER (WHERE t.estado_hotspot = 'failed'))::int AS fallidas
             FROM p JOIN transacciones t ON t.empresa_id = ? AND t.creado_en >= p.desde AND t.creado_en <= ?::timestamptz
            GROUP BY p.periodo, t.moneda`,
          [...boundBindings, empresaId, now],
        ),
        knex.raw<{ rows: Array<{ fecha: string; moneda: string | null; total: string | null; ventas: number }> }>(
          `WITH local AS (SELECT date_trunc('day', ?::timestamptz AT TIME ZONE ?) AS hoy),
           dias AS (SELECT generate_series(hoy - interval '29 days', hoy, interval '1 day') AS dia FROM local)
           SELECT to_char(d.dia, 'YYYY-MM-DD') AS fecha, t.moneda,
                  round(sum(t.monto), 2)::text AS total, count(t.id)::int AS ventas
             FROM dias d
             LEFT JOIN transacciones t ON t.empresa_id = ? AND t.estado_pago = 'paid'
                  AND t.creado_en >= (d.dia AT TIME ZONE ?) AND t.creado_en < ((d.dia + interval '1 day') AT TIME ZONE ?)
                  AND t.creado_en <= ?::timestamptz
            GROUP BY d.dia, t.moneda
            ORDER BY d.dia, t.moneda`,
          [now, zona, empresaId, zona, zona, now],
        ),
        // Printed vouchers: cash taken at the counter, counted when the voucher was first used.
        knex.raw<{ rows: Array<{ periodo: string; moneda: string; total: string; fichas: number }> }>(
          `${bounds}
           SELECT p.periodo, l.moneda, round(sum(l.precio), 2)::text AS total, count(*)::int AS fichas
             FROM p JOIN fichas f ON f.empresa_id = ? AND f.usada_en >= p.desde AND f.usada_en <= ?::timestamptz AND f.estado IN ('usada', 'expirada')
             JOIN fichas_lotes l ON l.id = f.lote_id
            GROUP BY p.periodo, l.moneda`,
          [...boundBindings, empresaId, now],
        ),
        knex.raw<{ rows: Array<{ fecha: string; moneda: string; total: string }> }>(
          `SELECT to_char(date_trunc('day', f.usada_en AT TIME ZONE ?), 'YYYY-MM-DD') AS fecha, l.moneda, round(sum(l.precio), 2)::text AS total
             FROM fichas f JOIN fichas_lotes l ON l.id = f.lote_id
            WHERE f.empresa_id = ? AND f.estado IN ('usada', 'expirada') AND f.usada_en <= ?::timestamptz
              AND f.usada_en >= (date_trunc('day', ?::timestamptz AT TIME ZONE ?) - interval '29 days') AT TIME ZONE ?
            GROUP BY 1, l.moneda`,
          [zona, empresaId, now, now, zona, zona],
        ),
      ]);
      const periodos = Object.fromEntries(periods.rows.map((r) => [r.periodo, {
        desde: new Date(r.desde).toISOString(), ingresos_tarjeta: {}, ingresos_efectivo: {}, ingresos_spei: {}, ventas: 0, declinadas: 0, aprovisionamientos_fallidos: 0, fichas_usadas: 0,
      } as PeriodoVentas])) as PeriodosVentas['periodos'];
      for (const r of totals.rows) {
        const f = periodos[r.periodo as keyof PeriodosVentas['periodos']];
        if (r.moneda && r.tarjeta !== null) f.ingresos_tarjeta[r.moneda] = r.tarjeta;
        if (r.moneda && r.efectivo !== null) f.ingresos_efectivo[r.moneda] = r.efectivo;
        if (r.moneda && r.spei !== null) f.ingresos_spei[r.moneda] = r.spei;
        f.ventas += Number(r.ventas);
        f.declinadas += Number(r.declinadas);
        f.aprovisionamientos_fallidos += Number(r.fallidas);
      }
      const addMoney = (into: Record<string, string>, moneda: string, amount: string) => {
        // Decimal strings added as integer cents: never through floats.
        into[moneda] = centsToDecimalString(toCents(into[moneda] ?? '0') + toCents(amount));
      };
      for (const r of fichas.rows) {
        const f = periodos[r.periodo as keyof PeriodosVentas['periodos']];
        addMoney(f.ingresos_efectivo, r.moneda, r.total);
        f.fichas_usadas += Number(r.fichas);
      }
      const byDay = new Map<string, { fecha: string; total: Record<string, string>; ventas: number }>();
      for (const r of daily.rows) {
        const day = byDay.get(r.fecha) ?? { fecha: r.fecha, total: {}, ventas: 0 };
        if (r.moneda && r.total !== null) day.total[r.moneda] = r.total;
        day.ventas += Number(r.ventas);
        byDay.set(r.fecha, day);
      }
      for (const r of fichasDaily.rows) {
        const day = byDay.get(r.fecha);
        if (day) addMoney(day.total, r.moneda, r.total);
      }
      return { periodos, ingresos_diarios: [...byDay.values()] };
    },
  };
}

export type VentasStatsStore = ReturnType<typeof createVentasStatsStore>;
