/**
 * Queries of the cash (OXXO / Paycash) path, through Objection models. The
 * transaction row itself is written by the transactions store (its state
 * machine); this module only reads what cash needs and records the reference.
 */
import type { Knex } from 'knex';
import { Model } from 'objection';
import { ProductoModel } from '../../platform/db/models';

/** Only the cash columns of `transacciones` (the rest belongs to the transactions store). */
class TransaccionEfectivoModel extends Model {
  static override tableName = 'transacciones';
  id!: string;
  gateway_id!: string | null;
  referencia_pago!: string | null;
  referencia_url!: string | null;
  referencia_expira_en!: Date | null;
  actualizado_en!: Date;
}

export function createCashStore(knex: Knex) {
  return {
    /** The router's active product with its company's gateway credentials and name. */
    async productoParaVenta(empresaId: string, routerId: string, productoId: number) {
      return ProductoModel.query(knex).alias('p').join('empresas as e', 'e.id', 'p.empresa_id')
        .where({ 'p.id': productoId, 'p.router_id': routerId, 'p.empresa_id': empresaId, 'p.activo': true }).whereNull('p.eliminado_en')
        .select('p.*', 'e.conekta_private_key_enc', 'e.mp_access_token_enc', 'e.nombre as empresa_nombre').first() as unknown as Promise<
          (ProductoModel & { conekta_private_key_enc: string | null; mp_access_token_enc: string | null; empresa_nombre: string }) | undefined>;
    },

    /** The gateway's id and the store reference, once the gateway gave them (never overwrites a reference). */
    async guardarReferencia(id: string, set: { gateway_id?: string; referencia_pago: string; referencia_url: string | null; referencia_expira_en?: Date }) {
      await TransaccionEfectivoModel.query(knex).patch({ ...set, actualizado_en: knex.fn.now() } as unknown as Partial<TransaccionEfectivoModel>)
        .where({ id }).whereNull('referencia_pago');
    },
  };
}

export type CashStore = ReturnType<typeof createCashStore>;
