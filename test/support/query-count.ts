/**
 * Counts the SQL statements a piece of work sends, per knex (a web and a
 * worker container each have their own), through knex's `query` event: every
 * statement knex sends, transaction BEGIN/COMMIT included. For tests that pin
 * the round trips of a path, so that a change adding one fails.
 */
import type { Knex } from 'knex';

export interface QueryCount {
  /** The statements seen so far by each named knex, in order. */
  statements(): Record<string, string[]>;
  total(): number;
  stop(): void;
}

export function countQueries(knexes: Record<string, Knex>): QueryCount {
  const seen: Record<string, string[]> = {};
  const listeners: Array<() => void> = [];
  for (const [name, knex] of Object.entries(knexes)) {
    seen[name] = [];
    const listener = (query: { sql: string }) => { seen[name]!.push(query.sql.replace(/\s+/g, ' ').slice(0, 160)); };
    knex.on('query', listener);
    listeners.push(() => knex.removeListener('query', listener));
  }
  return {
    statements: () => Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v]])),
    total: () => Object.values(seen).reduce((sum, list) => sum + list.length, 0),
    stop: () => listeners.forEach((remove) => remove()),
  };
}
