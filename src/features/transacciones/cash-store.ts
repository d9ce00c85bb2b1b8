/**
 * The reference columns of a sale paid later (cash at a store: OXXO, Paycash;
 * SPEI transfer): the open references a router or device holds, and the
 * reference once the gateway issued it. The row itself is written by the
 * transactions store (its state machine).
 */
import type { Knex } from 'knex';
import { TransaccionModel } from './models';

export function createCashReferencesStore(knex: Knex) {
  return {
    /**
     * Open cash and transfer references (issue 21): not settled and still payable,
     * of any method but card (OXXO, Paycash, and any transfer kind added later),
     * on the router and, when the device is known (MAC, else IP), of that device.
     */
    async referenciasAbiertas(routerId: string, device: { mac?: string; ip?: string }, now: Date): Promise<{ router: number; device: number }> {
      const open = () => TransaccionModel.query(knex).where({ router_id: routerId }).whereIn('estado_pago', ['pending', 'unknown'])
        .whereNot('metodo_pago', 'tarjeta').where('referencia_expira_en', '>', now);
      const count = async (q: ReturnType<typeof open>) => Number(((await q.count('* as n').first()) as unknown as { n: string } | undefined)?.n ?? 0);
      const router = await count(open());
      const byDevice = device.mac ? open().where('cliente_mac', device.mac) : device.ip ? open().where('cliente_ip', device.ip) : null;
      return { router, device: byDevice ? await count(byDevice) : 0 };
    },

    /**
     * The gateway's id and the store reference, once the gateway gave them (never
     * overwrites a reference), with its `referencia_emitida` event, in one
     * statement; returns the row as it is after it (issue 26: no second read).
     */
    async guardarReferencia(id: string, set: {
      gateway_id?: string; referencia_pago: string; referencia_url: string | null; referencia_expira_en?: Date;
      referencia_clabe?: string | null; referencia_banco?: string | null;
    }, detalle: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
      const update = TransaccionModel.query(knex).patch({ ...set, actualizado_en: knex.fn.now() } as unknown as Partial<TransaccionModel>)
        .where({ id }).whereNull('referencia_pago').returning('*').toKnexQuery().toSQL();
      // Raw: Objection cannot write the update, its event and the read of the row as one statement.
      const result = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
        `WITH upd AS (${update.sql}), ev AS (
           INSERT INTO transaccion_eventos (transaccion_id, tipo, detalle) VALUES (?, 'referencia_emitida', ?::jsonb)
         )
         SELECT * FROM upd
         UNION ALL
         SELECT * FROM transacciones WHERE id = ? AND NOT EXISTS (SELECT 1 FROM upd)`,
        [...(update.bindings as Knex.RawBinding[]), id, JSON.stringify(detalle), id],
      );
      return result.rows[0];
    },
  };
}

export type CashReferencesStore = ReturnType<typeof createCashReferencesStore>;
