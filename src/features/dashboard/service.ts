/**
 * Numbers for the super admin: the whole platform (GET /admin/dashboard) and
 * one company (GET /admin/empresas/{id}/stats). Every figure is computed in
 * PostgreSQL; money is summed as numeric and returned as a decimal string.
 */
import { EXPIRY_WARNING_DAYS, type RoutersStore } from '../routers';
import { requireEmpresa, type EmpresasStore } from '../empresas';
import type { UsuariosStore } from '../auth';
import type { ProductosStore } from '../productos';
import type { VentasStatsStore } from './store';

type Scope = { empresaId?: string };

const n = (value: unknown) => Number(value ?? 0);

export function createDashboardService(deps: {
  empresas: EmpresasStore;
  routers: RoutersStore;
  usuarios: UsuariosStore;
  productos: ProductosStore;
  ventas: VentasStatsStore;
}) {
  const { empresas } = deps;

  async function apiKeys(scope: Scope) {
    const row = await deps.routers.keyCounts(scope, EXPIRY_WARNING_DAYS);
    return { activas: n(row.activas), por_expirar_30_dias: n(row.por_expirar) };
  }

  async function routers(scope: Scope) {
    const row = await deps.routers.counts(scope);
    return { total_routers: n(row.total), routers_activos: n(row.activos), routers_inactivos: n(row.total) - n(row.activos) };
  }

  /** The latest key expiry warnings, with the company's name. */
  async function recentWarnings(scope: Scope, limit: number) {
    const rows = await deps.routers.recentWarnings(scope, limit);
    const names = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.empresa_id))) names.set(id, (await empresas.findRef(id))?.nombre ?? '');
    return rows.map((r) => ({
      key_id: r.key_id, router_id: r.router_id, router_nombre: r.router_nombre, empresa_id: r.empresa_id, empresa_nombre: names.get(r.empresa_id)!,
      threshold_days: r.threshold_days, days_left: r.days_left, expires_at: r.expires_at, revoked: r.revoked,
      telegram_status: r.telegram_status, created_at: r.created_at,
    }));
  }

  return {
    async global() {
      const [empresaCounts, usuarios, routerStats, trx, keys, alertas] = await Promise.all([
        empresas.counts(),
        deps.usuarios.counts(),
        routers({}),
        deps.ventas.ventas({}),
        apiKeys({}),
        recentWarnings({}, 20),
      ]);
      return {
        estadisticas: {
          total_empresas: n(empresaCounts.total),
          empresas_activas: n(empresaCounts.activas),
          empresas_inactivas: n(empresaCounts.total) - n(empresaCounts.activas),
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
      await requireEmpresa(empresas, empresaId);
      const scope = { empresaId };
      const [row, routerStats, admins, productos, trx, keys, alertas] = await Promise.all([
        empresas.find(empresaId),
        routers(scope),
        deps.usuarios.countAdmins(empresaId).then((total) => ({ total })),
        deps.productos.counts(scope),
        deps.ventas.ventas(scope),
        apiKeys(scope),
        recentWarnings(scope, 10),
      ]);
      const empresa = row && { id: row.id, nombre: row.nombre, activa: row.activa, creada_en: row.creada_en, contacto_email: row.contacto_email };
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
