/**
 * The Objection base every feature's models extend. Objection 3 is barely
 * maintained, so it stays behind the features' stores: only `store.ts`,
 * `*-store.ts` and `models.ts` files import it (eslint.config.mjs).
 *
 * Columns are snake_case in the database and on the wire, so no mappers. A
 * model has no bound knex: stores pass theirs per query (`Model.query(knex)`),
 * because a process (the tests, the demo) may run several containers at once.
 */
import type { Knex } from 'knex';
import { Model } from 'objection';

export { Model };
export { raw, ref } from 'objection';
export type { QueryBuilder, Transaction } from 'objection';

export class BaseModel extends Model {
  /** `first()` adds LIMIT 1, as knex's `first()` does. */
  static override useLimitInFirst = true;
}

/** Only the named columns of a row, as a plain object: never a column the caller did not ask for (a secret). */
export function pick<T extends object, K extends keyof T>(row: T, columns: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const column of columns) if (column in row) out[column] = row[column];
  return out;
}

/** A model instance as a plain object (own columns only). */
export function plain<T extends object>(row: T): T {
  return { ...row };
}

declare const TX: unique symbol;
/**
 * A database transaction as services see it: opaque. A service opens one with
 * the `transaction` its composition root gives it and hands it to store
 * methods, which run on it; it never queries through it.
 */
export type Tx = { readonly [TX]: true };
export type RunInTransaction = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

export function transactionRunner(knex: Knex): RunInTransaction {
  return (work) => knex.transaction((trx) => work(trx as unknown as Tx));
}

/** What a store method runs on: the caller's transaction, else its own knex. */
export function on(knex: Knex, tx?: Tx): Knex {
  return tx ? (tx as unknown as Knex.Transaction) : knex;
}
