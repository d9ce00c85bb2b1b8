/**
 * A company's sales (transacciones) as its cliente_admin sees them: a filtered
 * list with keyset pagination and the detail of one sale with its history.
 *
 * Keyset pagination: rows are ordered `creado_en DESC, id DESC`, exactly the
 * index `transacciones_empresa_keyset (empresa_id, creado_en DESC, id DESC)`,
 * and the next page starts after the last row with a row-value comparison
 * `(creado_en, id) < (?, ?)`. Page 500 costs what page 1 costs, and a sale
 * inserted meanwhile never shifts or repeats rows (it is newer than any cursor).
 * The cursor carries the timestamp with its microseconds (a JS Date would
 * truncate them and skip or repeat rows).
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { ID_PATTERNS } from '../../platform/ids';
import { CURSOR_KEY, type TransaccionesStore, type VentasQuery } from '../transacciones';
import type { RoutersStore } from '../routers';

import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../transacciones';
import { DEFAULT_LIMIT, MAX_LIMIT, type ventasExportQuery, type ventasListQuery } from './schemas';
export { ESTADOS_HOTSPOT, ESTADOS_PAGO };

export const TRANSACCION_NOT_FOUND = 'Transacción no encontrada';
export { DEFAULT_LIMIT, MAX_LIMIT };

const TRANSACCION_ID = new RegExp(ID_PATTERNS.transaccion);
const ROUTER_ID = new RegExp(ID_PATTERNS.router);
const CURSOR_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The list's filters and page, as the query schema (schemas.ts) validated them.
 * Dates: YYYY-MM-DD (UTC; `hasta` takes the whole day) or a date-time, both
 * inclusive. `email` is matched case-insensitively, `usuario` exactly. Use
 * `cursor` or the original's `offset` (slower on deep pages), not both.
 * `limit`'s schema default is documentation (the validator does not fill it
 * in), so it stays optional here and DEFAULT_LIMIT applies.
 */
export type VentasFilters = FromSchema<typeof ventasListQuery, { keepDefaultedPropertiesOptional: true }>;

/** The CSV export's filters: the list's, without the page. */
export type VentasExportFilters = FromSchema<typeof ventasExportQuery>;

export function encodeCursor(creadoEn: string, id: string): string {
  return Buffer.from(JSON.stringify([creadoEn, id]), 'utf8').toString('base64url');
}

const invalidCursor = () => new ValidationError("El campo 'cursor' no es válido", 'cursor');

export function decodeCursor(cursor: string): { creadoEn: string; id: string } {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidCursor();
  const [creadoEn, id] = parsed as unknown[];
  if (typeof creadoEn !== 'string' || !CURSOR_TS.test(creadoEn) || Number.isNaN(Date.parse(creadoEn))) throw invalidCursor();
  if (typeof id !== 'string' || !TRANSACCION_ID.test(id)) throw invalidCursor();
  return { creadoEn, id };
}

function dateBound(value: string, field: 'desde' | 'hasta'): Date {
  const invalid = () => new ValidationError(`El campo '${field}' no es una fecha válida`, field);
  // JS rolls 2025-02-30 over to March: check the calendar date itself.
  const day = value.slice(0, 10);
  const start = new Date(`${day}T00:00:00.000Z`);
  if (!DATE_ONLY.test(day) || Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) throw invalid();
  if (DATE_ONLY.test(value)) return start;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalid();
  return at;
}

type Row = Record<string, any>;

/** Ours, with the original's fields beside: `monto` a JSON number, `transaccion_id` the gateway's id, `creada_en`. */
function toListItem(row: Row): Row {
  const { [CURSOR_KEY]: _cursor, ...rest } = row;
  return { ...rest, monto: Number(rest.monto), monto_decimal: rest.monto as string, transaccion_id: rest.gateway_id ?? rest.id, creada_en: rest.creado_en };
}

/** The filters as the store's page query: dates and cursor checked and decoded (4xx on bad input). */
function pageQuery(empresaId: string, filters: VentasFilters): VentasQuery {
  const query: VentasQuery = {
    empresaId, limit: filters.limit ?? DEFAULT_LIMIT,
    estado_pago: filters.estado_pago, estado_hotspot: filters.estado_hotspot, router_id: filters.router_id,
    email: filters.email?.trim(), usuario: filters.usuario?.trim(),
  };
  if (filters.desde) query.desde = dateBound(filters.desde, 'desde');
  if (filters.hasta) {
    const end = dateBound(filters.hasta, 'hasta');
    if (DATE_ONLY.test(filters.hasta)) query.antesDe = new Date(end.getTime() + 86_400_000);
    else query.hasta = end;
  }
  if (filters.cursor) query.cursor = decodeCursor(filters.cursor);
  else if (filters.offset) query.offset = filters.offset;
  return query;
}

/** The company's latest sales (any status), newest first: the dashboard's "últimas ventas". */
export async function latestSales(transacciones: Pick<TransaccionesStore, 'ventasPage'>, empresaId: string, count: number) {
  const rows: Row[] = await transacciones.ventasPage({ empresaId, limit: count });
  return rows.slice(0, count).map(toListItem);
}

export function createVentasService(deps: { secrets: SecretBox; transacciones: TransaccionesStore; routers: Pick<RoutersStore, 'empresaOf'> }) {
  const { secrets, transacciones } = deps;

  /** The filters' own checks (4xx before anything is read): dates and their order, the cursor, a router of another company. */
  async function checkFilters(empresaId: string, filters: VentasFilters) {
    const desde = filters.desde ? dateBound(filters.desde, 'desde') : null;
    const hasta = filters.hasta ? dateBound(filters.hasta, 'hasta') : null;
    if (filters.cursor) decodeCursor(filters.cursor);
    if (desde && hasta) {
      if (desde > hasta) throw new ValidationError("El campo 'desde' no puede ser posterior a 'hasta'", 'desde');
    }
    if (filters.router_id) {
      // A router of another company is not a filter an admin may use (a deleted
      // router of this company still is: sales outlive their router).
      const owner = ROUTER_ID.test(filters.router_id) ? await deps.routers.empresaOf(filters.router_id) : undefined;
      if (owner && owner !== empresaId) throw new NotFoundError('Router no encontrado');
    }
  }

  return {
    /** The page query the list runs, as SQL (tests EXPLAIN exactly what the endpoint runs). */
    listQuery: (empresaId: string, filters: VentasFilters = {}) => transacciones.ventasPageQuery(pageQuery(empresaId, filters)),

    async list(empresaId: string, filters: VentasFilters = {}) {
      const limit = Math.min(Math.max(filters.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
      await checkFilters(empresaId, filters);
      if (filters.cursor && filters.offset) throw new ValidationError("Use 'cursor' u 'offset', no ambos", 'offset');
      const query = pageQuery(empresaId, { ...filters, limit });
      const [rows, total] = await Promise.all([
        transacciones.ventasPage(query) as Promise<Row[]>,
        // Counted for offset clients (the original's panels); a cursor page does not pay for it.
        filters.cursor ? Promise.resolve(null) : transacciones.countVentas(query),
      ]);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        transacciones: page.map(toListItem),
        next_cursor: rows.length > limit && last ? encodeCursor(last[CURSOR_KEY], last.id) : null,
        limit,
        offset: filters.cursor ? null : filters.offset ?? 0,
        total,
        empresa_id: empresaId,
      };
    },

    /**
     * Every sale matching the filters (the list's filters, checked the same way,
     * before anything is read), newest first, as pages of at most `pageSize`
     * rows read one after the other with the list's keyset cursor: the whole
     * result is never in memory. The rows are the list's columns.
     */
    async exportPages(empresaId: string, filters: VentasExportFilters = {}, pageSize = 500): Promise<AsyncIterable<Row[]>> {
      await checkFilters(empresaId, filters);
      return (async function* pages() {
        let cursor: string | undefined;
        for (;;) {
          const rows: Row[] = await transacciones.ventasPage(pageQuery(empresaId, { ...filters, limit: pageSize, cursor }));
          const page = rows.slice(0, pageSize);
          // The rows as stored (monto stays a decimal string), without the cursor column.
          if (page.length > 0) yield page.map(({ [CURSOR_KEY]: _cursor, ...rest }) => rest);
          const last = page[page.length - 1];
          if (rows.length <= pageSize || !last) return;
          cursor = encodeCursor(last[CURSOR_KEY], last.id);
        }
      })();
    },

    async get(empresaId: string, transaccionId: string) {
      const row: Row | undefined = TRANSACCION_ID.test(transaccionId)
        ? await transacciones.ventaDetalle(empresaId, transaccionId)
        : undefined;
      if (!row) throw new NotFoundError(TRANSACCION_NOT_FOUND);
      const { hotspot_password_enc: passwordEnc, ...rest } = row;
      const eventos = await transacciones.history(transaccionId);
      return {
        ...toListItem(rest),
        // The customer's own hotspot credential: the operator may need to read it to them.
        hotspot_password: secrets.open(passwordEnc as string | null),
        eventos,
      };
    },
  };
}

export type VentasService = ReturnType<typeof createVentasService>;
