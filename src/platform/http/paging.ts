/**
 * Server-side paging of lists whose contract is a bare JSON array (companies,
 * users, voucher batches): `limit`/`offset`, `sort`/`order` in the query, the
 * array unchanged in the body and the number of rows that match the filters
 * in the `X-Total-Count` header (exposed to the browser through CORS).
 * Without `limit` a list answers as it always did.
 */
import type { AppContext } from './context';
import type { JsonSchema } from './validation';

export const MAX_PAGE_SIZE = 500;
export const TOTAL_HEADER = 'X-Total-Count';

/** The paging parameters of a list, `sortable` being the fields `sort` accepts. */
export const pageParams = <const S extends readonly string[]>(sortable: S) => ({
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: `Filas por página (1 a ${MAX_PAGE_SIZE}); sin él, la lista completa` },
  offset: { type: 'integer', minimum: 0, description: 'Filas que se saltan (paginación); 0 por omisión' },
  sort: { type: 'string', enum: sortable, description: 'Campo por el que se ordena' },
  order: { type: 'string', enum: ['ASC', 'DESC', 'asc', 'desc'], description: 'Sentido del orden (DESC por omisión)' },
}) as const;

/** A free-text search parameter (`q`). */
export const searchParam = (what: string) => ({ type: 'string', maxLength: 100, description: `Busca en ${what} (sin distinguir mayúsculas)` }) as const;

export interface PageRequest<S extends string = string> {
  limit?: number;
  offset?: number;
  sort?: S;
  order?: string;
}

/** What a store answers for one page: its rows and how many match in all. */
export interface PageOf<T> {
  rows: T[];
  total: number;
}

/** The normalized page: `limit` undefined means every row from `offset`. */
export function pageOf<S extends string>(query: PageRequest<S>, defaults: { sort: S; order?: 'ASC' | 'DESC'; limit?: number }) {
  return {
    limit: query.limit ?? defaults.limit,
    offset: query.offset ?? 0,
    sort: query.sort ?? defaults.sort,
    order: (query.order ? query.order.toUpperCase() : defaults.order ?? 'DESC') as 'ASC' | 'DESC',
  };
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards taken literally. */
export const containsPattern = (text: string) => `%${text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The response header a paged list documents. */
export const totalHeader: Record<string, { description: string; schema: JsonSchema }> = {
  [TOTAL_HEADER]: { description: 'Filas que cumplen los filtros, sin contar la paginación', schema: { type: 'integer', minimum: 0 } },
};

/** Sets the total header and answers the page's rows: the body stays the bare array. */
export function withTotal<T>(ctx: AppContext, page: PageOf<T>): T[] {
  ctx.set(TOTAL_HEADER, String(page.total));
  return page.rows;
}
