/** PostgreSQL constraint-violation handling shared by every store that inserts with a random id. */

/**
 * The driver's error behind a failed query: Objection wraps PostgreSQL's
 * error (`nativeError`), knex passes it through as is.
 */
export function pgError(error: unknown): { code?: string; constraint?: string; routine?: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const native = (error as { nativeError?: unknown }).nativeError;
  return (typeof native === 'object' && native !== null ? native : error) as { code?: string; constraint?: string };
}

/** The SQLSTATE of a failed query (e.g. 23503 foreign key, 23505 unique), through Objection's wrapping. */
export const pgErrorCode = (error: unknown): string | undefined => pgError(error)?.code;

export const isUniqueViolation = (error: unknown, constraint?: string) =>
  pgErrorCode(error) === '23505' && (constraint === undefined || pgError(error)?.constraint === constraint);

/** Retries an insert whose random primary key collided (1 in 10^12, but cheap to handle). */
export async function withFreshId<T>(attempt: () => Promise<T>, pkConstraint: string, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !isUniqueViolation(error, pkConstraint)) throw error;
    }
  }
}
