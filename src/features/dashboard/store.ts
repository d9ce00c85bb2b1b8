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

export interface VentasStats {
  transacciones: { total: number; por_estado_pago: Record<string, number>; por_estado_hotspot: Record<string, number> };
  /** Paid sales only (refunded and charged back money is not revenue). */
  ingresos: Record<string, { total: string; transacciones: number }>;
}

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
  };
}

export type VentasStatsStore = ReturnType<typeof createVentasStatsStore>;
