/**
 * The purchases this phone keeps (at most 5, 7 days; never a password) and its pending cash reference,
 * with the Idempotency-Key each was made with: the status endpoint gives the credentials and the
 * customer's data only to whoever presents it (the router key is public).
 */
import { api, type ApiAnswer } from './api';
import { CASH_KEY, DAY_MS, SAVED_TTL_MS, STORE_KEY } from './config';
import { storage } from './storage';
import type { Sale } from './types';

export interface SavedEntry {
  transaccion_id: string;
  clave: string | null;
  usuario: string | null;
  plan: string;
  estado_pago?: string;
  estado_hotspot?: string;
  guardado_en: string;
  expira: number;
}
/** A pending cash or SPEI reference, kept to show it again when the customer comes back. */
export interface CashKept {
  transaccion_id: string;
  clave: string | null;
  referencia: string | null;
  monto?: number | string;
  moneda?: string;
  expira_en: string | null;
  clabe: string | null;
  banco: string | null;
  metodo_pago?: string;
  url_ficha_pago: string | null;
  instrucciones: string[];
  producto: { nombre?: string; precio?: number | string } | null;
}

const listeners: Array<() => void> = [];
/** `fn` runs whenever the kept purchases change (the page redraws its list). */
export function onSavedChange(fn: () => void): void { listeners.push(fn); }
export function refreshSaved(): void { listeners.forEach((fn) => { fn(); }); }

export function savedList(): SavedEntry[] {
  const list = storage.get<unknown>(STORE_KEY, []);
  const now = Date.now();
  return Array.isArray(list) ? list.filter((e) =>
    e && typeof e.transaccion_id === 'string' && /^TRX_[0-9A-F]{12}$/.test(e.transaccion_id) && !(e.expira && e.expira <= now)) : [];
}
function saveEntry(entry: SavedEntry): void {
  const list = savedList().filter((e) => e.transaccion_id !== entry.transaccion_id);
  list.unshift(entry);
  storage.set(STORE_KEY, list.slice(0, 5), SAVED_TTL_MS);
  refreshSaved();
}
export function forget(id: string): void {
  storage.set(STORE_KEY, savedList().filter((e) => e.transaccion_id !== id), SAVED_TTL_MS);
  refreshSaved();
}

/** The Idempotency-Key of each purchase made on this page. */
export const purchaseKeys: Record<string, string> = {};
export function keyFor(id: string): string | null {
  if (purchaseKeys[id]) return purchaseKeys[id]!;
  const saved = savedList().filter((e) => e.transaccion_id === id)[0];
  if (saved && saved.clave) return saved.clave;
  const cash = cashStored();
  return cash && cash.transaccion_id === id && cash.clave ? cash.clave : null;
}
/** GET the status of a purchase of this phone, with its own Idempotency-Key. */
export function purchaseStatus(id: string): Promise<ApiAnswer<Sale>> {
  return api<Sale>('GET', '/api/v1/payments/transacciones/' + encodeURIComponent(id), undefined, { idempotencyKey: keyFor(id) });
}
/** Keeps the transaction id, its Idempotency-Key, the user name and the plan: the password is fetched when needed. */
export function rememberTransaction(data: Sale | null | undefined): void {
  if (!data || !data.transaccion_id) return;
  // A pending charge also carries its (future) credentials: only a paid one is kept as a usable access.
  const creds = data.estado_pago === 'paid' ? data.usuario_hotspot : null;
  const old: Partial<SavedEntry> = savedList().filter((e) => e.transaccion_id === data.transaccion_id)[0] || {};
  saveEntry({
    transaccion_id: data.transaccion_id,
    clave: purchaseKeys[data.transaccion_id] || old.clave || null,
    usuario: creds ? creds.usuario : old.usuario || null,
    plan: (data.producto && data.producto.nombre) || old.plan || '',
    estado_pago: data.estado_pago,
    estado_hotspot: data.estado_hotspot,
    guardado_en: old.guardado_en || new Date().toISOString(),
    expira: old.expira || Date.now() + SAVED_TTL_MS,
  });
}

export function cashStored(): CashKept | null {
  const d = storage.get<any>(CASH_KEY, null);
  return d && typeof d === 'object' && typeof d.transaccion_id === 'string' ? d : null;
}
export function cashForget(): void {
  storage.remove(CASH_KEY);
}
/** Kept until the reference expires (plus a day to show what became of it), at most 31 days. */
export function cashKeep(d: Sale): void {
  const until = Date.parse(d.expira_en || '');
  const ttl = isFinite(until) ? Math.min(until - Date.now() + DAY_MS, 31 * DAY_MS) : 3 * DAY_MS;
  const kept: CashKept = {
    transaccion_id: d.transaccion_id, clave: purchaseKeys[d.transaccion_id] || null, referencia: d.referencia || null, monto: d.monto, moneda: d.moneda, expira_en: d.expira_en || null,
    clabe: d.clabe || null, banco: d.banco || null,
    metodo_pago: d.metodo_pago, url_ficha_pago: d.url_ficha_pago || null, instrucciones: d.instrucciones || [],
    producto: d.producto ? { nombre: d.producto.nombre, precio: d.producto.precio } : null,
  };
  storage.set(CASH_KEY, kept, Math.max(ttl, 60 * 1000));
}
