/**
 * Sales figures for the dashboards, summed in PostgreSQL (money as numeric,
 * returned as a decimal string). The sales' sums come from the transacciones
 * feature's stats store (the one code that aggregates `transacciones`); this
 * store adds the printed vouchers used in each period and shapes the answer.
 */
import type { Knex } from 'knex';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO, type SalesStatsStore } from '../transacciones';
import { periodBoundsCte } from '../../platform/db/periods';
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

export function createVentasStatsStore(knex: Knex, sales: SalesStatsStore) {
  return {
    /** Counts by payment and hotspot state, and paid revenue per currency: of a company, or of the platform. */
    async ventas(scope: { empresaId?: string } = {}): Promise<VentasStats> {
      const { byPago, byHotspot, revenue } = await sales.counts(scope);
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
      const bounds = periodBoundsCte(now, zona);
      const [periods, totals, daily, fichas, fichasDaily] = await Promise.all([
        knex.raw<{ rows: Array<{ periodo: string; desde: Date }> }>(`${bounds.sql} SELECT periodo, desde FROM p`, bounds.bindings),
        sales.periodTotals(empresaId, zona, now),
        sales.dailyTotals(empresaId, zona, now),
        // Printed vouchers: cash taken at the counter, counted when the voucher was first used.
        knex.raw<{ rows: Array<{ periodo: string; moneda: string; total: string; fichas: number }> }>(
          `${bounds.sql}
           SELECT p.periodo, l.moneda, round(sum(l.precio), 2)::text AS total, count(*)::int AS fichas
             FROM p JOIN fichas f ON f.empresa_id = ? AND f.usada_en >= p.desde AND f.usada_en <= ?::timestamptz AND f.estado IN ('usada', 'expirada')
             JOIN fichas_lotes l ON l.id = f.lote_id
            GROUP BY p.periodo, l.moneda`,
          [...bounds.bindings, empresaId, now],
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
      for (const r of totals) {
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
      for (const r of daily) {
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
