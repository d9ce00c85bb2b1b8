/** The only code that reads or writes `productos`. */
import type { Knex } from 'knex';
import { on, pick, raw, type Tx } from '../../platform/db/objection';
import type { RouterPrincipal } from '../../platform/http/context';
import { ProductoModel } from './models';

export const PRODUCTO_COLUMNS = [
  'id', 'empresa_id', 'router_id', 'perfil_mikrotik_nombre', 'perfil_mikrotik_id', 'perfil_verificado', 'nombre_venta',
  'descripcion', 'imagen_url', 'precio', 'moneda', 'detalles', 'limit_uptime', 'limit_bytes_total', 'vigencia_minutos',
  'limite_velocidad', 'dispositivos', 'vigencia_desde', 'activo', 'orden_visual', 'destacado', 'creado_en', 'actualizado_en',
] as const;

/** Public fields only: no company id, no verification flags; `creado_en` because the original's catalog had it. */
export const CATALOGO_COLUMNS = [
  'id', 'router_id', 'perfil_mikrotik_id', 'perfil_mikrotik_nombre', 'nombre_venta', 'descripcion', 'imagen_url', 'precio',
  'moneda', 'detalles', 'limit_uptime', 'limit_bytes_total', 'vigencia_minutos', 'limite_velocidad', 'dispositivos', 'vigencia_desde', 'destacado', 'orden_visual', 'creado_en',
] as const;

export type ProductoRow = Pick<ProductoModel, (typeof PRODUCTO_COLUMNS)[number]>;
export type CatalogoRow = Pick<ProductoModel, (typeof CATALOGO_COLUMNS)[number]>;
/** Column values to write; `detalles` goes as its JSON text. */
export type ProductoValues = Partial<Omit<ProductoRow, 'id' | 'creado_en' | 'actualizado_en' | 'detalles'>> & { detalles?: string };

export function createProductosStore(knex: Knex) {
  const productos = (tx?: Tx) => ProductoModel.query(on(knex, tx));
  const live = (tx?: Tx) => productos(tx).whereNull('eliminado_en');
  const row = (model: ProductoModel): ProductoRow => pick(model, PRODUCTO_COLUMNS);

  /** A router's catalog, in display order: one query on the partial index `productos_catalogo_orden`. */
  const catalogQuery = (principal: Pick<RouterPrincipal, 'routerId' | 'empresaId'>) =>
    productos()
      .select(...CATALOGO_COLUMNS)
      .where({ router_id: principal.routerId, empresa_id: principal.empresaId, activo: true })
      .whereNull('eliminado_en')
      .orderBy([{ column: 'destacado', order: 'desc' }, { column: 'orden_visual', order: 'asc' }, { column: 'id', order: 'asc' }]);

  return {
    /** A product of the company not deleted. */
    async find(empresaId: string, id: number): Promise<ProductoRow | undefined> {
      const found = await live().select(...PRODUCTO_COLUMNS).where({ id, empresa_id: empresaId }).first();
      return found && row(found);
    },

    /**
     * The one answer to "is this product for sale here" (card, cash and SPEI
     * alike): the company's product, not deleted, active, on this router.
     */
    async vendible(empresaId: string, routerId: string, id: number): Promise<ProductoRow | undefined> {
      const found = await live().select(...PRODUCTO_COLUMNS).where({ id, empresa_id: empresaId, router_id: routerId, activo: true }).first();
      return found && row(found);
    },

    async list(empresaId: string, filters: { router_id?: string; activo?: boolean } = {}): Promise<ProductoRow[]> {
      const q = live().where({ empresa_id: empresaId }).select(...PRODUCTO_COLUMNS)
        .orderBy([{ column: 'router_id' }, { column: 'destacado', order: 'desc' }, { column: 'orden_visual' }, { column: 'id' }]);
      if (filters.router_id) q.where({ router_id: filters.router_id });
      if (filters.activo !== undefined) q.where({ activo: filters.activo });
      return (await q).map(row);
    },

    async insert(values: ProductoValues & Pick<ProductoRow, 'empresa_id' | 'router_id' | 'perfil_mikrotik_nombre'>): Promise<ProductoRow> {
      const inserted = await productos().insert(values as never).returning([...PRODUCTO_COLUMNS]);
      return row(inserted as unknown as ProductoModel);
    },

    /** Updates a product not deleted (and actualizado_en); undefined when it is gone. */
    async patch(empresaId: string, id: number, values: ProductoValues): Promise<ProductoRow | undefined> {
      const [updated] = await live().patch({ ...values, actualizado_en: raw('now()') } as never).where({ id, empresa_id: empresaId })
        .returning([...PRODUCTO_COLUMNS]) as unknown as ProductoModel[];
      return updated && row(updated);
    },

    /** Soft delete: eliminado_en and activo = false. */
    async softDelete(empresaId: string, id: number): Promise<{ id: number; eliminado_en: Date } | undefined> {
      const [deleted] = await live().patch({ eliminado_en: raw('now()'), activo: false, actualizado_en: raw('now()') } as never)
        .where({ id, empresa_id: empresaId }).returning(['id', 'eliminado_en']) as unknown as ProductoModel[];
      return deleted && { id: deleted.id, eliminado_en: deleted.eliminado_en! };
    },

    /** The catalog query's SQL (tests EXPLAIN it). */
    catalogSql: (principal: Pick<RouterPrincipal, 'routerId' | 'empresaId'>) => catalogQuery(principal).toKnexQuery(),

    async catalog(principal: Pick<RouterPrincipal, 'routerId' | 'empresaId'>): Promise<CatalogoRow[]> {
      return (await catalogQuery(principal)).map((r) => pick(r, CATALOGO_COLUMNS));
    },

    async catalogItem(principal: Pick<RouterPrincipal, 'routerId' | 'empresaId'>, id: number): Promise<CatalogoRow | undefined> {
      const found = await catalogQuery(principal).where({ id }).first();
      return found && pick(found, CATALOGO_COLUMNS);
    },

    /** Products not deleted, in total and active: of a company, or of every company. */
    async counts(scope: { empresaId?: string } = {}): Promise<{ total: number; activos: number }> {
      const q = live().select(raw('count(*)::int as total'), raw('count(*) filter (where activo)::int as activos')).first();
      if (scope.empresaId) q.where({ empresa_id: scope.empresaId });
      const counts = await q.castTo<{ total: number; activos: number }>();
      return { total: Number(counts?.total ?? 0), activos: Number(counts?.activos ?? 0) };
    },

    /** The same counts per router of a company. */
    async countsByRouter(empresaId: string): Promise<Array<{ router_id: string; total: number; activos: number }>> {
      return live().where({ empresa_id: empresaId })
        .select('router_id', raw('count(*)::int as total'), raw('count(*) filter (where activo)::int as activos'))
        .groupBy('router_id')
        .castTo<Array<{ router_id: string; total: number; activos: number }>>();
    },

    /** Products of a router not deleted (deleting a router is refused while there are any). */
    async countLive(routerId: string, tx?: Tx): Promise<number> {
      const counted = await live(tx).where({ router_id: routerId }).select(raw('count(*)::int as count')).first()
        .castTo<{ count: number } | undefined>();
      return Number(counted?.count ?? 0);
    },

    /** Deletes a router's soft-deleted products, when the router itself is deleted. */
    async purgeDeleted(routerId: string, tx?: Tx): Promise<void> {
      await productos(tx).delete().where({ router_id: routerId }).whereNotNull('eliminado_en');
    },
  };
}

export type ProductosStore = ReturnType<typeof createProductosStore>;
