/**
 * The dashboard's periods as SQL: today, this week (from Monday) and this month,
 * each starting at midnight on the wall clock of `zona` (an IANA name PostgreSQL
 * knows), turned back into an instant with AT TIME ZONE. A CTE `p (periodo, desde)`
 * that the stores summing a period join on, so every figure of one answer uses
 * the same bounds.
 */
export function periodBoundsCte(now: Date, zona: string): { sql: string; bindings: [Date, string, string, string, string] } {
  return {
    sql: `
        WITH local AS (SELECT (?::timestamptz AT TIME ZONE ?) AS l),
        p AS (
          SELECT 'hoy' AS periodo, date_trunc('day', l) AT TIME ZONE ? AS desde FROM local
          UNION ALL SELECT 'semana', date_trunc('week', l) AT TIME ZONE ? FROM local
          UNION ALL SELECT 'mes', date_trunc('month', l) AT TIME ZONE ? FROM local
        )`,
    bindings: [now, zona, zona, zona, zona],
  };
}
