/**
 * The one place the panel talks to the REST API: same origin, the session
 * token as `Authorization: Bearer`, and every error turned into an ApiError
 * whose message is the API's Spanish `detail`.
 */

import type { paths } from './api-types';

/** The API's paths (panel/src/api-types.ts, generated from /openapi.json by `npm run api-types`). */
export type ApiPath = keyof paths;
type Op<P extends ApiPath, M extends 'get' | 'post' | 'put'> = paths[P][M];
/** The JSON body a route answers with `status` (200 unless said otherwise), as /openapi.json declares it. */
export type ResponseOf<P extends ApiPath, M extends 'get' | 'post' | 'put' = 'get', S extends number = 200> =
  Op<P, M> extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;
/** The query parameters a GET route takes. */
export type QueryOf<P extends ApiPath> = Op<P, 'get'> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The JSON body a route takes. */
export type BodyOf<P extends ApiPath, M extends 'post' | 'put' = 'post'> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export interface SessionUser {
  id: number;
  email: string;
  nombre: string;
  rol: 'super_admin' | 'cliente_admin';
  empresa_id: string | null;
  activo: boolean;
}

export interface Session {
  token: string;
  expires_at: string;
  user: SessionUser;
}

const KEY = 'pagos-panel-sesion';

/**
 * The token lives in sessionStorage (gone when the tab closes) unless the
 * admin ticked "Recordarme", and only then in localStorage.
 */
export const sessionStore = {
  get(): Session | null {
    for (const store of [sessionStorage, localStorage]) {
      const raw = store.getItem(KEY);
      if (!raw) continue;
      try {
        const s = JSON.parse(raw) as Session;
        if (s.token && new Date(s.expires_at).getTime() > Date.now()) return s;
      } catch { /* unreadable: dropped below */ }
      store.removeItem(KEY);
    }
    return null;
  },
  set(session: Session, remember: boolean) {
    this.clear();
    (remember ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(session));
  },
  clear() {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  },
};

const FALLBACK: Record<number, string> = {
  0: 'No se pudo conectar con el servidor. Revise su conexión e intente de nuevo.',
  400: 'La solicitud no es válida.',
  401: 'Su sesión expiró. Inicie sesión de nuevo.',
  403: 'No tiene permiso para esta acción.',
  404: 'No encontrado.',
  409: 'Conflicto con el estado actual.',
  413: 'El archivo es demasiado grande.',
  422: 'Datos inválidos.',
  429: 'Demasiadas solicitudes. Intente de nuevo en unos momentos.',
  500: 'Error interno del servidor. Intente de nuevo.',
  502: 'El servidor no pudo comunicarse con un servicio externo.',
  503: 'El servicio no está disponible por el momento.',
  504: 'Tiempo de espera agotado. Intente de nuevo.',
};

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, message: string, body: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/** The API's `detail` (a string, or a list of validation errors), else a Spanish fallback. */
export function detailOf(status: number, body: unknown): string {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string' && detail.trim()) return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail.map((d) => (typeof d === 'string' ? d : (d as { msg?: string })?.msg ?? JSON.stringify(d))).join('; ');
  }
  return FALLBACK[status] ?? (status >= 500 ? FALLBACK[500]! : `La solicitud falló (código ${status}).`);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, unknown>;
  form?: FormData;
  /** Return the raw Response (downloads, headers). */
  raw?: boolean;
  /** With `raw`: the response is JSON all the same. */
  json?: boolean;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: Record<string, unknown>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(fn: () => void) { onUnauthorized = fn; }

export async function request<T = any>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: options.raw && !options.json ? '*/*' : 'application/json' };
  const session = sessionStore.get();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), { method: options.method ?? 'GET', headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, FALLBACK[0]!, null);
  }
  if (res.ok) {
    if (options.raw) return res as unknown as T;
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  let parsed: unknown = null;
  try { parsed = await res.json(); } catch { /* not JSON */ }
  if (res.status === 401 && session && !path.endsWith('/auth/login')) onUnauthorized?.();
  throw new ApiError(res.status, detailOf(res.status, parsed), parsed);
}

/** A list endpoint that answers a bare array and its total in X-Total-Count (server-side paging). */
export async function requestPage<T = any>(path: string, options: RequestOptions = {}): Promise<{ rows: T[]; total: number }> {
  const res = await request<Response>(path, { ...options, raw: true, json: true });
  const rows = (await res.json()) as T[];
  const header = res.headers.get('x-total-count');
  return { rows, total: header === null ? rows.length : Number(header) };
}

/** Fetches a file with the session token and hands it to the browser as a download. */
export async function download(path: string, fallbackName: string, options: RequestOptions = {}): Promise<string> {
  const res = await request<Response>(path, { ...options, raw: true });
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]!) : fallbackName;
  const blob = await res.blob();
  saveBlob(blob, name);
  return name;
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
