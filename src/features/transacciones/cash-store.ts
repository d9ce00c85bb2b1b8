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

    /** The gateway's id and the store reference, once the gateway gave them (never overwrites a reference). */
    async guardarReferencia(id: string, set: {
      gateway_id?: string; referencia_pago: string; referencia_url: string | null; referencia_expira_en?: Date;
      referencia_clabe?: string | null; referencia_banco?: string | null;
    }) {
      await TransaccionModel.query(knex).patch({ ...set, actualizado_en: knex.fn.now() } as unknown as Partial<TransaccionModel>)
        .where({ id }).whereNull('referencia_pago');
    },
  };
}

export type CashReferencesStore = ReturnType<typeof createCashReferencesStore>;
