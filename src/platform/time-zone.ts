/** Companies' time zones (IANA names), checked with the runtime's ICU data. */

export const DEFAULT_TIME_ZONE = 'America/Mexico_City';

/** The canonical IANA name of `value` ("america/mexico_city" → "America/Mexico_City"), or null when Intl does not know it. */
export function canonicalTimeZone(value: string): string | null {
  const name = value.trim();
  // Only IANA-shaped names: no offsets ("+05:00") nor POSIX strings, which PostgreSQL reads with the opposite sign.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name) || name.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
