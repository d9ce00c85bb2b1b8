/** PostgreSQL unique-violation handling shared by every store that inserts with a random id. */
export const isUniqueViolation = (error: unknown, constraint?: string) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505' &&
  (constraint === undefined || (error as { constraint?: string }).constraint === constraint);

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
