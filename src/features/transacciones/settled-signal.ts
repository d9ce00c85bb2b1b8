/**
 * What the provisioning signal carries (issue 26): the fields the worker moved
 * when a sale's user became active, so the request waiting for that signal
 * answers from the row it already holds (its `paid` transition's) plus these,
 * instead of reading the row again.
 *
 * Only what provisioning changes and the answer shows, the password sealed as
 * stored: not the customer's data. A message that is not this (an earlier
 * worker's '1', another sale's, an unreadable one) is ignored and the row is
 * read, as before.
 */
import type { TransaccionRow } from './store';

const FIELDS = ['estado_pago', 'estado_hotspot', 'hotspot_usuario', 'hotspot_password_enc', 'hotspot_expira_en', 'auto_conexion', 'ultimo_error', 'actualizado_en'] as const;
type Settled = Pick<TransaccionRow, (typeof FIELDS)[number]>;

/** The signal's message for a row as the worker left it. */
export function settledSignal(row: TransaccionRow): string {
  const fields: Record<string, unknown> = {};
  for (const field of FIELDS) fields[field] = row[field];
  return JSON.stringify({ settled: row.id, fields });
}

/** `row` as the signal says the worker left it, or null when the message says nothing about it. */
export function applySettledSignal(row: TransaccionRow, message: string | undefined): TransaccionRow | null {
  if (!message || message[0] !== '{') return null;
  let parsed: { settled?: unknown; fields?: Partial<Record<keyof Settled, unknown>> };
  try {
    parsed = JSON.parse(message) as typeof parsed;
  } catch {
    return null;
  }
  const fields = parsed.fields;
  if (parsed.settled !== row.id || !fields || typeof fields !== 'object' || FIELDS.some((field) => !(field in fields))) return null;
  // Anything but what settledSignal writes (a date that does not parse, a field of the wrong type) is not used.
  const date = (value: unknown): Date | null | undefined => {
    if (value === null) return null;
    const parsed = typeof value === 'string' ? new Date(value) : undefined;
    return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
  };
  const expira = date(fields.hotspot_expira_en);
  const actualizado = date(fields.actualizado_en);
  const texts = [fields.estado_pago, fields.estado_hotspot, fields.hotspot_usuario, fields.hotspot_password_enc];
  if (expira === undefined || !actualizado || texts.some((v) => typeof v !== 'string')
    || (fields.ultimo_error !== null && typeof fields.ultimo_error !== 'string')) return null;
  return {
    ...row,
    estado_pago: fields.estado_pago as Settled['estado_pago'],
    estado_hotspot: fields.estado_hotspot as Settled['estado_hotspot'],
    hotspot_usuario: fields.hotspot_usuario as string,
    hotspot_password_enc: fields.hotspot_password_enc as string,
    hotspot_expira_en: expira,
    auto_conexion: fields.auto_conexion as Settled['auto_conexion'],
    ultimo_error: fields.ultimo_error as string | null,
    actualizado_en: actualizado,
  };
}
