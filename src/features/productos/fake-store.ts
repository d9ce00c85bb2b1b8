/**
 * An in-memory `ProductosStore` for the fast rule tests (Unleash's fake
 * stores): the same type as `createProductosStore`, answering as the
 * real one does, column defaults, ordering, soft deletes and the foreign keys
 * included. test/productos/store-contract.test.ts runs the same cases against
 * both, so this cannot drift from the real store unnoticed.
 *
 * Nothing in the server uses it; it lives beside the store it copies.
 */
import { centsToDecimalString, toCents } from '../../platform/money';
import { CATALOGO_COLUMNS, PRODUCTO_COLUMNS, type CatalogoRow, type ProductoRow, type ProductoValues, type ProductosStore } from './store';

type Stored = ProductoRow & { eliminado_en: Date | null };

/** What PostgreSQL raises for a row whose company or router does not exist (the service maps 23503 to its 404). */
class ForeignKeyViolation extends Error {
  readonly code = '23503';
  constructor(column: string) {
    super(`insert or update on table "productos" violates foreign key constraint (${column})`);
  }
}

const pickColumns = <K extends keyof Stored>(row: Stored, columns: readonly K[]): Pick<Stored, K> =>
  Object.fromEntries(columns.map((c) => [c, row[c]])) as Pick<Stored, K>;

/** numeric(10,2) as PostgreSQL answers it: the decimal string with two decimals. */
const numeric = (value: string | number) => centsToDecimalString(toCents(String(value)));

/** PostgreSQL's order of the ids we make (ASCII letters, digits and `_`; the C collation's byte order). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface FakeProductosStoreOptions {
  /** Whether a company and a router exist (the real table's foreign keys); every id does when omitted. */
  empresaExists?: (empresaId: string) => boolean;
  routerExists?: (routerId: string) => boolean;
  /** The clock for creado_en, actualizado_en and eliminado_en. */
  now?: () => Date;
}

export function createFakeProductosStore(options: FakeProductosStoreOptions = {}): ProductosStore & { rows: () => Stored[] } {
  const rows: Stored[] = [];
  let nextId = 1;
  const now = options.now ?? (() => new Date());
  const live = () => rows.filter((r) => r.eliminado_en === null);
  const copy = (r: Stored): ProductoRow => structuredClone(pickColumns(r, PRODUCTO_COLUMNS));
  const catalogRows = (principal: { routerId: string; empresaId: string }) =>
    live()
      .filter((r) => r.router_id === principal.routerId && r.empresa_id === principal.empresaId && r.activo)
      .sort((a, b) => Number(b.destacado) - Number(a.destacado) || a.orden_visual - b.orden_visual || a.id - b.id);
  const catalogRow = (r: Stored): CatalogoRow => structuredClone(pickColumns(r, CATALOGO_COLUMNS));

  function checkKeys(values: { empresa_id?: string; router_id?: string }): void {
    if (values.empresa_id !== undefined && options.empresaExists && !options.empresaExists(values.empresa_id)) throw new ForeignKeyViolation('empresa_id');
    if (values.router_id !== undefined && options.routerExists && !options.routerExists(values.router_id)) throw new ForeignKeyViolation('router_id');
  }

  /** A write's values as the row stores them (the price as numeric(10,2), `detalles` parsed from its JSON text). */
  function columns(values: ProductoValues): Partial<Stored> {
    // undefined is no value (knex leaves the column to its default, or as it was).
    const out = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<Stored>;
    if (values.precio !== undefined) out.precio = numeric(values.precio);
    if (values.detalles !== undefined) out.detalles = JSON.parse(values.detalles) as Stored['detalles'];
    return out;
  }

  return {
    rows: () => rows.map((r) => structuredClone(r)),

    async find(empresaId, id) {
      const found = live().find((r) => r.id === id && r.empresa_id === empresaId);
      return found && copy(found);
    },

    async vendible(empresaId, routerId, id) {
      const found = live().find((r) => r.id === id && r.empresa_id === empresaId && r.router_id === routerId && r.activo);
      return found && copy(found);
    },

    async list(empresaId, filters = {}) {
      return live()
        .filter((r) => r.empresa_id === empresaId)
        .filter((r) => !filters.router_id || r.router_id === filters.router_id)
        .filter((r) => filters.activo === undefined || r.activo === filters.activo)
        .sort((a, b) => byText(a.router_id, b.router_id) || Number(b.destacado) - Number(a.destacado) || a.orden_visual - b.orden_visual || a.id - b.id)
        .map(copy);
    },

    async insert(values) {
      if (values.nombre_venta === undefined || values.precio === undefined) throw new Error('null value in column of relation "productos" violates not-null constraint');
      checkKeys(values);
      const at = now();
      const row: Stored = {
        id: nextId++, perfil_mikrotik_id: null, perfil_verificado: false, descripcion: null, imagen_url: null, moneda: 'MXN', detalles: {},
        limit_uptime: null, limit_bytes_total: null, vigencia_minutos: null, limite_velocidad: null, dispositivos: 1, vigencia_desde: 'activacion',
        activo: true, orden_visual: 0, destacado: false, creado_en: at, actualizado_en: at, eliminado_en: null, nombre_venta: '', precio: '0.00',
        ...columns(values),
      } as Stored;
      rows.push(row);
      return copy(row);
    },

    async patch(empresaId, id, values) {
      const found = live().find((r) => r.id === id && r.empresa_id === empresaId);
      if (!found) return undefined;
      checkKeys(values);
      Object.assign(found, columns(values), { actualizado_en: now() });
      return copy(found);
    },

    async softDelete(empresaId, id) {
      const found = live().find((r) => r.id === id && r.empresa_id === empresaId);
      if (!found) return undefined;
      const at = now();
      Object.assign(found, { eliminado_en: at, activo: false, actualizado_en: at });
      return { id: found.id, eliminado_en: at };
    },

    catalogSql: () => {
      throw new Error('the fake productos store has no SQL: EXPLAIN the real store');
    },

    async catalog(principal) {
      return catalogRows(principal).map(catalogRow);
    },

    async catalogItem(principal, id) {
      const found = catalogRows(principal).find((r) => r.id === id);
      return found && catalogRow(found);
    },

    async counts(scope = {}) {
      const of = live().filter((r) => !scope.empresaId || r.empresa_id === scope.empresaId);
      return { total: of.length, activos: of.filter((r) => r.activo).length };
    },

    async countsByRouter(empresaId) {
      const by = new Map<string, { router_id: string; total: number; activos: number }>();
      for (const r of live().filter((p) => p.empresa_id === empresaId)) {
        const entry = by.get(r.router_id) ?? { router_id: r.router_id, total: 0, activos: 0 };
        entry.total += 1;
        if (r.activo) entry.activos += 1;
        by.set(r.router_id, entry);
      }
      return [...by.values()];
    },

    async countLive(routerId) {
      return live().filter((r) => r.router_id === routerId).length;
    },

    async purgeDeleted(routerId) {
      for (let i = rows.length - 1; i >= 0; i--) {
        if (rows[i]!.router_id === routerId && rows[i]!.eliminado_en !== null) rows.splice(i, 1);
      }
    },
  };
}
