/**
 * Sales figures summed in PostgreSQL (money as numeric, returned as decimal
 * strings), for the dashboards and the company's own figures. The only place
 * that aggregates `transacciones`; the dashboard feature adds vouchers and
 * shapes the answer.
 */
import type { Knex } from 'knex';
import { periodBoundsCte } from '../../platform/db/periods';
import { TransaccionModel } from './models';

/** Which sales were paid in cash (OXXO, Paycash); printed vouchers (fichas) are cash too and are added apart. SPEI is counted on its own. */
const CASH_SQL = "t.metodo_pago IN ('oxxo', 'paycash')";
const CARD_SQL = "t.metodo_pago = 'tarjeta'";
const SPEI_SQL = "t.metodo_pago = 'spei'";

export interface PeriodTotalsRow { periodo: string; moneda: string | null; tarjeta: string | null; efectivo: string | null; spei: string | null; ventas: number; declinadas: number; fallidas: number }
export interface DailyTotalsRow { fecha: string; moneda: string | null; total: string | null; ventas: number }

export function createSalesStatsStore(knex: Knex) {
  const scoped = (empresaId?: string) => {
    const query = TransaccionModel.query(knex);
    if (empresaId) query.where('empresa_id', empresaId);
    return query;
  };

  return {
    /** Counts by payment and by hotspot state, and paid revenue per currency: of a company, or of the platform. */
    async counts(scope: { empresaId?: string } = {}) {
      const [byPago, byHotspot, revenue] = await Promise.all([
        scoped(scope.empresaId).select('estado_pago').count('* as count').groupBy('estado_pago')
          .castTo<Array<{ estado_pago: string; count: string }>>(),
        scoped(scope.empresaId).select('estado_hotspot').count('* as count').groupBy('estado_hotspot')
          .castTo<Array<{ estado_hotspot: string; count: string }>>(),
        scoped(scope.empresaId).where('estado_pago', 'paid')
          .select('moneda', knex.raw('round(sum(monto), 2)::text as total'), knex.raw('count(*)::int as transacciones'))
          .groupBy('moneda').orderBy('moneda').castTo<Array<{ moneda: string; total: string; transacciones: number }>>(),
      ]);
      return { byPago, byHotspot, revenue };
    },

    /**
     * Per period (today, week, month in `zona`) and currency: paid card, cash and
     * SPEI revenue, paid, declined and failed-provisioning counts. Raw SQL: the
     * period bounds have no Objection form. Uses the (empresa_id, creado_en) index.
     */
    async periodTotals(empresaId: string, zona: string, now: Date): Promise<PeriodTotalsRow[]> {
      const bounds = periodBoundsCte(now, zona);
      const result = await knex.raw<{ rows: PeriodTotalsRow[] }>(
        `${bounds.sql}
           SELECT p.periodo, t.moneda,
                  round(sum(t.monto) FILTER (WHERE t.estado_pago = 'paid' AND ${CARD_SQL}), 2)::text AS tarjeta,
                  round(sum(t.monto) FILTER (WHERE t.estado_pago = 'paid' AND ${CASH_SQL}), 2)::text AS efectivo,
                  round(sum(t.monto) FILTER (WHERE t.estado_pago = 'paid' AND ${SPEI_SQL}), 2)::text AS spei,
                  (count(*) FILTER (WHERE t.estado_pago = 'paid'))::int AS ventas,
                  (count(*) FILTER (WHERE t.estado_pago = 'declined'))::int AS declinadas,
                  (count(*) FILTER (WHERE t.estado_hotspot = 'failed'))::int AS fallidas
             FROM p JOIN transacciones t ON t.empresa_id = ? AND t.creado_en >= p.desde AND t.creado_en <= ?::timestamptz
            GROUP BY p.periodo, t.moneda`,
        [...bounds.bindings, empresaId, now],
      );
      return result.rows;
    },

    /** Paid revenue per day (in `zona`) and currency for the last 30 days, today included, oldest first; a day without sales has a row with nulls. */
    async dailyTotals(empresaId: string, zona: string, now: Date): Promise<DailyTotalsRow[]> {
      // Raw: the day series (generate_series) has no Objection form.
      const result = await knex.raw<{ rows: DailyTotalsRow[] }>(
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
      );
      return result.rows;
    },

    /** Paid sales per payment method and currency, summed in PostgreSQL as numeric. */
    async ingresosPorMetodo(empresaId: string): Promise<Array<{ metodo_pago: string; moneda: string; total: string; transacciones: number }>> {
      return TransaccionModel.query(knex).where({ empresa_id: empresaId, estado_pago: 'paid' })
        .select('metodo_pago', 'moneda', knex.raw('sum(monto)::text as total'), knex.raw('count(*)::int as transacciones'))
        .groupBy('metodo_pago', 'moneda').orderBy(['metodo_pago', 'moneda'])
        .castTo<Array<{ metodo_pago: string; moneda: string; total: string; transacciones: number }>>();
    },
  };
}

export type SalesStatsStore = ReturnType<typeof createSalesStatsStore>;
