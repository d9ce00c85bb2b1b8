/**
 * react-admin data provider over our REST endpoints. Lists that can grow
 * (sales, voucher batches, companies, users) are filtered, sorted and paged by
 * the server: `limit`/`offset`/`sort`/`order` and the total in X-Total-Count
 * (sales: `total` in the body, the original's contract). Lists that stay small
 * (a company's products and routers) come whole and are sorted here.
 */
import type { DataProvider, GetListParams, Identifier, RaRecord } from 'react-admin';
import { request, requestPage, type ApiPath, type QueryOf, type ResponseOf } from './api';
import { addDays, DEFAULT_TZ, startOfDayIn } from './format';

type Row = RaRecord & Record<string, any>;

interface ResourceDef {
  path: string;
  /** Fields a PUT accepts (the API refuses unknown ones); only changed ones are sent. */
  writable?: string[];
  /** Query parameters the list endpoint filters by itself. */
  serverFilters?: string[];
  /** Paged by the server: the fields its `sort` accepts (others fall back to the server's order). */
  serverSorts?: string[];
  /** Unwraps create responses. */
  created?: (json: any) => Row;
  updateMethod?: 'PUT' | 'PATCH';
}

const PRODUCTO_FIELDS = [
  'router_id', 'perfil_mikrotik_nombre', 'perfil_mikrotik_id', 'nombre_venta', 'descripcion', 'imagen_url', 'precio', 'moneda',
  'detalles', 'limit_uptime', 'limit_bytes_total', 'vigencia_minutos', 'activo', 'orden_visual', 'destacado',
  'limite_velocidad', 'dispositivos', 'vigencia_desde',
];
const EMPRESA_FIELDS = [
  'nombre', 'contacto_email', 'contacto_telefono', 'conekta_private_key', 'conekta_public_key', 'conekta_mode', 'telegram_bot_token', 'telegram_chat_id',
];

export const RESOURCES: Record<string, ResourceDef> = {
  productos: { path: '/api/v1/admin/products', writable: PRODUCTO_FIELDS, serverFilters: ['router_id'] },
  routers: { path: '/api/v1/admin/routers' },
  lotes: {
    path: '/api/v1/admin/fichas/lotes', serverFilters: ['router_id', 'tipo_usuario'], serverSorts: ['creado_en', 'cantidad', 'router_id', 'tipo_usuario'],
    created: (json) => json?.lote ?? json,
  },
  empresas: {
    path: '/admin/empresas', writable: EMPRESA_FIELDS, serverFilters: ['activa', 'q'], serverSorts: ['creada_en', 'nombre', 'contacto_email', 'activa', 'id'],
  },
  usuarios: {
    path: '/admin/usuarios', serverFilters: ['rol', 'empresa_id', 'activo', 'q'],
    serverSorts: ['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en'],
    created: (json) => json?.usuario ?? json,
  },
};

const VENTAS = '/api/v1/admin/mi-empresa/transacciones' satisfies ApiPath;
const VENTAS_FILTERS = ['estado_pago', 'estado_hotspot', 'router_id', 'desde', 'hasta', 'email', 'usuario'];

/** The sales filters as the API takes them: calendar days are the company's (its time zone), sent as instants. */
export function ventasQuery(filter: Record<string, any>, tz = DEFAULT_TZ): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of VENTAS_FILTERS) {
    const v = filter[k];
    if (v === undefined || v === null || String(v).trim() === '') continue;
    q[k] = String(v).trim();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(q.desde ?? '')) q.desde = startOfDayIn(q.desde!, tz).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(q.hasta ?? '')) q.hasta = new Date(startOfDayIn(addDays(q.hasta!, 1), tz).getTime() - 1).toISOString();
  return q;
}

/** A page of sales by offset; the API counts the filtered total (the original's `total`). */
async function listVentas(params: GetListParams) {
  const perPage = params.pagination?.perPage ?? 25;
  const page = params.pagination?.page ?? 1;
  const query = ventasQuery(params.filter ?? {}, params.meta?.tz);
  const pageQuery: QueryOf<typeof VENTAS> = { ...query, limit: perPage, offset: (page - 1) * perPage };
  const json = await request<ResponseOf<typeof VENTAS>>(VENTAS, { query: pageQuery, signal: params.signal });
  // An offset page is always counted (the total is null only on cursor pages, which the panel does not ask for).
  return { data: json.transacciones, total: json.total ?? json.transacciones.length };
}

/** One page of a list the server pages: its filters, sort and page as query parameters. */
async function listPaged(d: ResourceDef, params: Pick<GetListParams, 'filter' | 'sort' | 'pagination' | 'signal'>) {
  const query: Record<string, unknown> = {};
  for (const k of d.serverFilters ?? []) if (params.filter?.[k] !== undefined && params.filter[k] !== '') query[k] = params.filter[k];
  const field = params.sort?.field;
  if (field && d.serverSorts?.includes(field)) { query.sort = field; query.order = params.sort?.order === 'ASC' ? 'ASC' : 'DESC'; }
  const { page = 1, perPage = 25 } = params.pagination ?? {};
  query.limit = perPage;
  query.offset = (page - 1) * perPage;
  const { rows, total } = await requestPage<Row>(d.path, { query, signal: params.signal });
  return { data: rows, total };
}

function matches(row: Row, filter: Record<string, any>, skip: string[]): boolean {
  for (const [k, v] of Object.entries(filter)) {
    if (skip.includes(k) || v === undefined || v === '' || v === null) continue;
    if (k === 'q') {
      const needle = String(v).toLowerCase();
      if (!Object.values(row).some((x) => x !== null && typeof x !== 'object' && String(x).toLowerCase().includes(needle))) return false;
      continue;
    }
    if (Array.isArray(v)) { if (!v.map(String).includes(String(row[k]))) return false; continue; }
    if (String(row[k]) !== String(v)) return false;
  }
  return true;
}

function sortRows(rows: Row[], field?: string, order?: string) {
  if (!field) return rows;
  const dir = order === 'ASC' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[field]; const y = b[field];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'es', { numeric: true })) * dir;
  });
}

function def(resource: string): ResourceDef {
  const d = RESOURCES[resource];
  if (!d) throw new Error(`Recurso desconocido: ${resource}`);
  return d;
}

/** A small list, whole (products, routers), filtered here beyond what the server filters. */
async function fetchAll(resource: string, filter: Record<string, any> = {}, signal?: AbortSignal): Promise<Row[]> {
  const d = def(resource);
  const query: Record<string, unknown> = {};
  for (const k of d.serverFilters ?? []) if (filter[k] !== undefined && filter[k] !== '') query[k] = filter[k];
  const rows = await request<Row[]>(d.path, { query, signal });
  return rows.filter((r) => matches(r, filter, d.serverFilters ?? []));
}

const one = (resource: string, id: Identifier, signal?: AbortSignal) => {
  const path = resource === 'ventas' ? VENTAS : def(resource).path;
  return request(`${path}/${encodeURIComponent(String(id))}`, { signal });
};

/** Only the writable fields that changed (the API keeps omitted ones). */
export function changes(data: Row, previous: Row | undefined, writable?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (writable && !writable.includes(k)) continue;
    if (previous && JSON.stringify(previous[k]) === JSON.stringify(v)) continue;
    out[k] = v === '' && previous && previous[k] === null ? null : v;
  }
  return out;
}

export interface ApiDataProvider extends DataProvider {
  /** Any JSON GET of the API (screens that are not a resource: dashboards, settings, checks). */
  get<T = any>(path: string, signal?: AbortSignal): Promise<T>;
}

export const dataProvider: ApiDataProvider = {
  get: (path, signal) => request(path, { signal }),
  async getList(resource, params) {
    if (resource === 'ventas') return listVentas(params) as any;
    const d = def(resource);
    if (d.serverSorts) return listPaged(d, params) as any;
    const rows = sortRows(await fetchAll(resource, params.filter, params.signal), params.sort?.field, params.sort?.order);
    const { page = 1, perPage = rows.length || 1 } = params.pagination ?? {};
    return { data: rows.slice((page - 1) * perPage, page * perPage) as any, total: rows.length };
  },
  async getOne(resource, params) {
    const json = await one(resource, params.id, params.signal);
    return { data: (json?.lote && resource === 'lotes' ? { ...json.lote, fichas: json.fichas ?? json.lote.fichas } : json) as any };
  },
  async getMany(resource, params) {
    // One GET per id for lists the server pages (never the whole list for a few references).
    if (resource === 'ventas' || def(resource).serverSorts) {
      return { data: await Promise.all(params.ids.map((id) => one(resource, id, params.signal))) as any };
    }
    const ids = params.ids.map(String);
    const rows = await fetchAll(resource, {}, params.signal);
    return { data: rows.filter((r) => ids.includes(String(r.id))) as any };
  },
  async getManyReference(resource, params) {
    const d = def(resource);
    const filter = { ...params.filter, [params.target]: params.id };
    if (d.serverSorts) return listPaged(d, { ...params, filter }) as any;
    const rows = sortRows(await fetchAll(resource, filter, params.signal), params.sort?.field, params.sort?.order);
    const { page = 1, perPage = 25 } = params.pagination ?? {};
    return { data: rows.slice((page - 1) * perPage, page * perPage) as any, total: rows.length };
  },
  async create(resource, params) {
    const d = def(resource);
    const json = await request(d.path, { method: 'POST', body: params.data });
    return { data: (d.created ? d.created(json) : json) as any };
  },
  async update(resource, params) {
    const d = def(resource);
    const body = changes(params.data as Row, params.previousData as Row, d.writable);
    const json = await request(`${d.path}/${encodeURIComponent(String(params.id))}`, { method: d.updateMethod ?? 'PUT', body });
    return { data: { ...(params.previousData as Row), ...json } as any };
  },
  async updateMany(resource, params) {
    for (const id of params.ids) await dataProvider.update(resource, { id, data: params.data, previousData: { id } as any });
    return { data: params.ids };
  },
  async delete(resource, params) {
    const d = def(resource);
    await request(`${d.path}/${encodeURIComponent(String(params.id))}`, { method: 'DELETE' });
    return { data: params.previousData as any };
  },
  async deleteMany(resource, params) {
    for (const id of params.ids) await request(`${def(resource).path}/${encodeURIComponent(String(id))}`, { method: 'DELETE' });
    return { data: params.ids as Identifier[] };
  },
};

