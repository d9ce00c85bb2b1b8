/**
 * Numbers for the super admin: the whole platform (GET /admin/dashboard) and
 * one company (GET /admin/empresas/{id}/stats). Every figure is computed in
 * PostgreSQL; money is summed as numeric and returned as a decimal string.
 */
import type { Knex } from 'knex';
import { EXPIRY_WARNING_DAYS } from '../routers';
import { requireEmpresa } from '../empresas';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../transacciones';

type Scope = { empresaId?: string };

const n = (value: unknown) => Number(value ?? 0);

export function createDashboardService(deps: { knex: Knex }) {
  const { knex } = deps;

  const scoped = (table: string, { empresaId }: Scope, column = 'empresa_id') => {
    const query = knex(table);
    if (empresaId) query.where(column, empresaId);
    return query;
  };

  async function transacciones(scope: Scope) {
    const [byPago, byHotspot, revenue] = await Promise.all([
      scoped('transacciones', scope).select('estado_pago').count<{ estado_pago: string; count: string }[]>('* as count').groupBy('estado_pago'),
      scoped('transacciones', scope).select('estado_hotspot').count<{ estado_hotspot: string; count: string }[]>('* as count').groupBy('estado_hotspot'),
      scoped('transacciones', scope).where('estado_pago', 'paid')
        .select('moneda', knex.raw('round(sum(monto), 2)::text as total'), knex.raw('count(*)::int as transacciones'))
        .groupBy('moneda').orderBy('moneda') as unknown as Promise<Array<{ moneda: string; total: string; transacciones: number }>>,
    ]);
    const porEstadoPago = Object.fromEntries(ESTADOS_PAGO.map((e) => [e, 0])) as Record<string, number>;
    for (const row of byPago) porEstadoPago[row.estado_pago] = n(row.count);
    const porEstadoHotspot = Object.fromEntries(ESTADOS_HOTSPOT.map((e) => [e, 0])) as Record<string, number>;
    for (const row of byHotspot) porEstadoHotspot[row.estado_hotspot] = n(row.count);
    return {
      transacciones: {
        total: Object.values(porEstadoPago).reduce((a, b) => a + b, 0),
        por_estado_pago: porEstadoPago,
        por_estado_hotspot: porEstadoHotspot,
      },
      // Paid sales only (refunded and charged back money is not revenue).
      ingresos: Object.fromEntries(revenue.map((r) => [r.moneda, { total: r.total, transacciones: n(r.transacciones) }])) as Record<string, { total: string; transacciones: number }>,
    };
  }

  async function apiKeys(scope: Scope) {
    const row = await scoped('router_api_keys', scope)
      .where('revoked', false)
      .andWhere('expires_at', '>', knex.fn.now())
      .first(
        knex.raw('count(*)::int as activas'),
        knex.raw(`count(*) filter (where expires_at <= now() + make_interval(days => ?))::int as por_expirar`, [EXPIRY_WARNING_DAYS]),
      ) as unknown as { activas: number; por_expirar: number };
    return { activas: n(row?.activas), por_expirar_30_dias: n(row?.por_expirar) };
  }

  async function routers(scope: Scope) {
    const row = await scoped('routers', scope)
      .first(knex.raw('count(*)::int as total'), knex.raw('count(*) filter (where activo)::int as activos')) as unknown as { total: number; activos: number };
    return { total_routers: n(row?.total), routers_activos: n(row?.activos), routers_inactivos: n(row?.total) - n(row?.activos) };
  }

  async function recentWarnings(scope: Scope, limit: number) {
    const query = knex('api_key_expiry_warnings as w')
      .join('router_api_keys as k', 'k.key_id', 'w.key_id')
      .join('routers as r', 'r.id', 'k.router_id')
      .join('empresas as e', 'e.id', 'k.empresa_id')
      .select(
        'w.key_id', 'k.router_id', 'r.nombre as router_nombre', 'k.empresa_id', 'e.nombre as empresa_nombre',
        'w.threshold_days', 'w.days_left', 'k.expires_at', 'k.revoked', 'w.telegram_status', 'w.created_at',
      )
      .orderBy([{ column: 'w.created_at', order: 'desc' }, { column: 'w.key_id', order: 'asc' }])
      .limit(limit);
    if (scope.empresaId) query.where('k.empresa_id', scope.empresaId);
    return query;
  }

  return {
    async global() {
      const [empresas, usuarios, routerStats, trx, keys, alertas] = await Promise.all([
        knex('empresas').first(knex.raw('count(*)::int as total'), knex.raw('count(*) filter (where activa)::int as activas')) as unknown as Promise<{ total: number; activas: number }>,
        knex('usuarios').first(
          knex.raw('count(*)::int as total'),
          knex.raw(`count(*) filter (where rol = 'super_admin')::int as super_admin`),
          knex.raw(`count(*) filter (where rol = 'cliente_admin')::int as cliente_admin`),
          knex.raw('count(*) filter (where activo)::int as activos'),
        ) as unknown as Promise<{ total: number; super_admin: number; cliente_admin: number; activos: number }>,
        routers({}),
        transacciones({}),
        apiKeys({}),
        recentWarnings({}, 20),
      ]);
      return {
        estadisticas: {
          total_empresas: n(empresas.total),
          empresas_activas: n(empresas.activas),
          empresas_inactivas: n(empresas.total) - n(empresas.activas),
          ...routerStats,
          total_usuarios: n(usuarios.total),
          usuarios_activos: n(usuarios.activos),
          usuarios_super_admin: n(usuarios.super_admin),
          usuarios_cliente_admin: n(usuarios.cliente_admin),
        },
        ...trx,
        api_keys: keys,
        alertas_api_keys: alertas,
        timestamp: new Date().toISOString(),
      };
    },

    async empresa(empresaId: string) {
      await requireEmpresa(knex, empresaId);
      const scope = { empresaId };
      const [empresa, routerStats, admins, productos, trx, keys, alertas] = await Promise.all([
        knex('empresas').where({ id: empresaId }).first('id', 'nombre', 'activa', 'creada_en', 'contacto_email'),
        routers(scope),
        knex('usuarios').where({ empresa_id: empresaId, rol: 'cliente_admin' }).first(knex.raw('count(*)::int as total')) as unknown as Promise<{ total: number }>,
        knex('productos').where({ empresa_id: empresaId }).whereNull('eliminado_en')
          .first(knex.raw('count(*)::int as total'), knex.raw('count(*) filter (where activo)::int as activos')) as unknown as Promise<{ total: number; activos: number }>,
        transacciones(scope),
        apiKeys(scope),
        recentWarnings(scope, 10),
      ]);
      return {
        empresa,
        estadisticas: {
          ...routerStats,
          total_usuarios_admin: n(admins.total),
          api_keys_activas: keys.activas,
          api_keys_por_expirar_30_dias: keys.por_expirar_30_dias,
          total_productos: n(productos.total),
          productos_activos: n(productos.activos),
        },
        ...trx,
        alertas_api_keys: alertas,
        timestamp: new Date().toISOString(),
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
