/**
 * RouterOS time intervals ("1w2d3h4m5s", "1d02:00:00", "3600"): the one parser and formatter of the
 * project, imported by the server (src/integrations/mikrotik), the RouterOS simulator (sim/routeros) and
 * the captive portal's bundle (portal/src). Pure and import-free (`npm run lint` keeps shared/ so), and
 * written against the ES2017 library only: the portal runs it on old phones (no String.matchAll).
 */

const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3600, m: 60, s: 1 };
const UNITS = ['w', 'd', 'h', 'm', 's'];

/**
 * Seconds from every form RouterOS prints or accepts: units ("1w2d3h4m5s", "30m"), a clock after optional
 * weeks and days ("02:03:04", "1d02:00:00", "1d 02:00:00", "1w1d00:00:01") and a bare number of seconds
 * ("3600"). Null when absent or unreadable ("none", "1h 30m", "25:00", "1x").
 */
export function parseRouterDuration(value: string | null | undefined): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const clock = /^(?:(\d+)w)?(?:(\d+)d)?\s*(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (clock) {
    return Number(clock[1] || 0) * UNIT_SECONDS.w! + Number(clock[2] || 0) * UNIT_SECONDS.d!
      + Number(clock[3]) * 3600 + Number(clock[4]) * 60 + Number(clock[5]);
  }
  if (!/^(\d+[wdhms])+$/.test(text)) return null;
  const part = /(\d+)([wdhms])/g;
  let total = 0;
  for (let m = part.exec(text); m; m = part.exec(text)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return total;
}

/** Seconds as RouterOS prints an interval ("1d2h", "0s" for nothing or less). */
export function formatRouterDuration(totalSeconds: number): string {
  let rest = Math.floor(totalSeconds);
  if (!(rest > 0)) return '0s';
  let out = '';
  for (const unit of UNITS) {
    const size = UNIT_SECONDS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) { out += `${n}${unit}`; rest -= n * size; }
  }
  return out;
}
