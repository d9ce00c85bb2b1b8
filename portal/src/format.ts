/** Money, durations, sizes and dates in Spanish for the customer. */
import { parseRouterDuration } from '../../shared/routeros-duration';

export function formatMoney(precio: unknown, moneda?: string): string {
  const n = Number(precio);
  // currencyDisplay 'narrowSymbol' is ES2020 (not in the ES2017 types): an older browser throws, and the catch formats by hand.
  const options = { style: 'currency', currency: moneda || 'MXN', currencyDisplay: 'narrowSymbol' } as unknown as Intl.NumberFormatOptions;
  try {
    return new Intl.NumberFormat('es-MX', options).format(n) + ' ' + (moneda || 'MXN');
  } catch {
    return '$' + precio + ' ' + (moneda || '');
  }
}
export function plural(n: number, one: string, many: string): string { return n + ' ' + (n === 1 ? one : many); }

/** A RouterOS duration ("1h30m", "1d", "2w", "01:30:00") in Spanish; empty for none, as it came when unreadable. */
export function durationText(value: unknown): string {
  const v = String(value || '').trim();
  if (!v || v === 'none') return '';
  const secs = parseRouterDuration(v);
  if (secs === null) return v;
  return secs > 0 ? secondsText(secs) : '';
}
export function secondsText(total: number): string {
  let secs = total;
  const parts: string[] = [];
  const units: Array<[number, string, string]> = [[604800, 'semana', 'semanas'], [86400, 'd\u00eda', 'd\u00edas'], [3600, 'hora', 'horas'], [60, 'minuto', 'minutos']];
  for (const [size, one, many] of units) {
    const q = Math.floor(secs / size);
    if (q > 0) { parts.push(plural(q, one, many)); secs -= q * size; }
  }
  if (!parts.length) parts.push(plural(secs, 'segundo', 'segundos'));
  return parts.slice(0, 2).join(' ');
}
export function bytesText(n: unknown): string {
  let v = Number(n);
  if (!v) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (Math.round(v * 10) / 10) + ' ' + units[i];
}
export function dateText(iso: string): string {
  const when = new Date(iso);
  if (isNaN(when.getTime())) return '';
  return when.toLocaleString('es-MX', { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
}
export function waitText(secs: number): string {
  if (secs >= 120) return Math.ceil(secs / 60) + ' minutos';
  return plural(secs, 'segundo', 'segundos');
}
