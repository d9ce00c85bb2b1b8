/**
 * RouterOS time intervals as the API shows them ("1w2d3h4m5s", "30m", "0s")
 * and as it accepts them ("1h30m", "01:30:00", "1d 02:00:00", "3600").
 */

const UNITS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds, or null when the text is not a RouterOS time interval. */
export function parseRosDuration(text: string): number | null {
  const value = text.trim();
  if (value === '') return null;
  if (/^\d+$/.test(value)) return Number(value);
  // "1d 02:00:00", "1d02:00:00", "02:00:00"
  const clock = /^(?:(\d+)d\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (clock) {
    return Number(clock[1] ?? 0) * 86400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4] ?? 0);
  }
  if (!/^(\d+[wdhms])+$/.test(value)) return null;
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)([wdhms])/g)) total += Number(n) * UNITS[unit!]!;
  return total;
}

export function formatRosDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of Object.entries(UNITS)) {
    const n = Math.floor(rest / size);
    if (n > 0) { out += `${n}${unit}`; rest -= n * size; }
  }
  return out;
}
