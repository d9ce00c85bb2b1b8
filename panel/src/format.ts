/** Dates in the company's time zone, money with its currency, without floating point sums. */

export const DEFAULT_TZ = 'America/Mexico_City';

export const TIME_ZONES = [
  'America/Mexico_City', 'America/Cancun', 'America/Merida', 'America/Monterrey', 'America/Matamoros', 'America/Chihuahua',
  'America/Ciudad_Juarez', 'America/Ojinaga', 'America/Mazatlan', 'America/Hermosillo', 'America/Tijuana', 'America/Bahia_Banderas',
  'America/Bogota', 'America/Lima', 'America/Guatemala', 'America/Santiago', 'America/Argentina/Buenos_Aires', 'America/New_York',
  'America/Los_Angeles', 'Europe/Madrid', 'UTC',
];

export function validTimeZone(tz: unknown): string {
  if (typeof tz !== 'string' || !tz) return DEFAULT_TZ;
  try {
    new Intl.DateTimeFormat('es-MX', { timeZone: tz });
    return tz;
  } catch {
    return DEFAULT_TZ;
  }
}

/** "30/11/2026, 16:14" in the zone (with seconds for event histories). */
export function formatDateTime(value: unknown, tz: string, seconds = false): string {
  if (!value) return '—';
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat('es-MX', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    ...(seconds ? { second: '2-digit' } : {}),
  }).format(d);
}

export function formatDay(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat('es-MX', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** Integer cents from a decimal string ("20.5", "20.50", 20.5): exact, never through float sums. */
export function toCents(value: unknown): number {
  const s = String(value ?? '0').trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,2})\d*)?$/.exec(s);
  if (!m) return 0;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

export function formatMoney(value: unknown, currency = 'MXN'): string {
  const cents = typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) : toCents(value);
  try {
    const n = new Intl.NumberFormat('es-MX', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(cents / 100);
    return `${n} ${currency}`.replace(/\u00a0/g, ' ');
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function formatCents(cents: number, currency = 'MXN'): string {
  return formatMoney((cents / 100).toFixed(2), currency);
}

interface Parts { year: number; month: number; day: number; hour: number; minute: number; second: number }

function partsIn(date: Date, tz: string): Parts {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour! % 24, minute: +p.minute!, second: +p.second! };
}

/** The wall-clock calendar day (YYYY-MM-DD) of an instant in a zone. */
export function dayIn(date: Date, tz: string): string {
  const p = partsIn(date, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant a wall-clock day starts in a zone (handles DST by correcting the offset twice). */
export function startOfDayIn(ymd: string, tz: string): Date {
  const [y, m, d] = ymd.split('-').map(Number);
  const guess = Date.UTC(y!, m! - 1, d!);
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const p = partsIn(new Date(t), tz);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    t = guess - (asUtc - t);
  }
  return new Date(t);
}

export function addDays(ymd: string, n: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}

/** Today, the week (from Monday) and the month, as wall-clock days in the zone. */
export function periodStarts(tz: string, now = new Date()) {
  const today = dayIn(now, tz);
  const [y, m, d] = today.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7; // Monday = 0
  return { today, week: addDays(today, -weekday), month: `${today.slice(0, 8)}01` };
}

/** "1 declinada", "2 declinadas": the noun agrees with the count. */
export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** Time zones by their Spanish name ("Ciudad de México"), the IANA name only where there is none. */
export const TIME_ZONE_NAMES: Record<string, string> = {
  'America/Mexico_City': 'Ciudad de México', 'America/Cancun': 'Cancún', 'America/Merida': 'Mérida', 'America/Monterrey': 'Monterrey',
  'America/Matamoros': 'Matamoros', 'America/Chihuahua': 'Chihuahua', 'America/Ciudad_Juarez': 'Ciudad Juárez', 'America/Ojinaga': 'Ojinaga',
  'America/Mazatlan': 'Mazatlán', 'America/Hermosillo': 'Hermosillo', 'America/Tijuana': 'Tijuana', 'America/Bahia_Banderas': 'Bahía de Banderas',
  'America/Bogota': 'Bogotá', 'America/Lima': 'Lima', 'America/Guatemala': 'Guatemala', 'America/Santiago': 'Santiago de Chile',
  'America/Argentina/Buenos_Aires': 'Buenos Aires', 'America/New_York': 'Nueva York', 'America/Los_Angeles': 'Los Ángeles', 'Europe/Madrid': 'Madrid',
  UTC: 'UTC (tiempo universal)',
};
export const timeZoneName = (tz: string) => TIME_ZONE_NAMES[tz] ?? tz.replace(/_/g, ' ');

/** A duration in minutes as people say it: "1 día", "7 días", "2 h 30 min", "45 min". */
export function formatMinutes(minutes: unknown): string {
  const m = Math.round(Number(minutes));
  if (!Number.isFinite(m) || m <= 0) return '—';
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  const parts: string[] = [];
  if (days) parts.push(days === 1 ? '1 día' : `${days} días`);
  if (hours) parts.push(hours === 1 ? '1 hora' : `${hours} horas`);
  if (mins) parts.push(`${mins} min`);
  return parts.join(' ');
}

/** A RouterOS duration ("1d", "10m", "1h30m", "none") in Spanish; "none" or nothing is "sin límite". */
export function formatRouterDuration(value: unknown): string {
  const text = String(value ?? '').trim();
  if (!text || text === 'none' || text === '0s' || text === '00:00:00') return 'sin límite';
  let total = 0;
  const re = /(\d+)([wdhms])/g;
  let match: RegExpExecArray | null;
  let matched = '';
  while ((match = re.exec(text))) {
    matched += match[0];
    total += Number(match[1]) * ({ w: 10080, d: 1440, h: 60, m: 1, s: 1 / 60 } as Record<string, number>)[match[2]!]!;
  }
  const hms = /^(\d+):(\d{2}):(\d{2})$/.exec(text);
  if (hms) return formatMinutes(Number(hms[1]) * 60 + Number(hms[2]) + Number(hms[3]) / 60);
  if (matched !== text || total <= 0) return text;
  return total < 1 ? `${Math.round(total * 60)} s` : formatMinutes(total);
}
