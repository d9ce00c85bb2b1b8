/**
 * Queries of the cash (OXXO / Paycash) and SPEI path. The transaction row itself is
 * written by the transactions store (its state machine); this module reads
 * what cash needs, records the store reference, and sums sales per method.
 */
import type { Knex } from 'knex';
import { BaseModel } from '../../platform/db/objection';

/** Only the cash columns of `transacciones` (the rest belongs to the transactions store). */
class TransaccionEfectivoModel extends BaseModel {
  static override tableName = 'transacciones';
  declare id: string;
  declare empresa_id: string;
  declare gateway_id: string | null;
  declare metodo_pago: 'tarjeta' | 'oxxo' | 'paycash' | 'spei';
  declare estado_pago: string;
  declare moneda: string;
  declare referencia_pago: string | null;
  declare referencia_url: string | null;
  declare referencia_expira_en: Date | null;
  declare referencia_clabe: string | null;
  declare referencia_banco: string | null;
  declare actualizado_en: Date;
}

export interface ProductoParaVenta {
  id: number;
  empresa_id: string;
  nombre_venta: string;
  perfil_mikrotik_nombre: string;
  limit_uptime: string | null;
  limit_bytes_total: number | null;
  vigencia_minutos: number | null;
  limite_velocidad: string | null;
  dispositivos: number;
  vigencia_desde: 'activacion' | 'primer_uso';
  precio: string;
  moneda: 'MXN' | 'USD' | 'EUR';
  conekta_private_key_enc: string | null;
  mp_access_token_enc: string | null;
  empresa_nombre: string;
}

export function createCashStore(knex: Knex) {
  return {
    /**
     * The router's active product with its company's gateway credentials and
     * name: the same join the card purchase makes (transacciones has no
     * product/company models of its own yet).
     */
    async productoParaVenta(empresaId: string, routerId: string, productoId: number): Promise<ProductoParaVenta | undefined> {
      return knex('productos as p')
        .join('empresas as e', 'e.id', 'p.empresa_id')
        .where({ 'p.id': productoId, 'p.router_id': routerId, 'p.empresa_id': empresaId, 'p.activo': true })
        .whereNull('p.eliminado_en')
        .first('p.id', 'p.empresa_id', 'p.nombre_venta', 'p.perfil_mikrotik_nombre', 'p.limit_uptime', 'p.limit_bytes_total', 'p.vigencia_minutos',
          'p.limite_velocidad', 'p.dispositivos', 'p.vigencia_desde', 'p.precio', 'p.moneda', 'e.conekta_private_key_enc', 'e.mp_access_token_enc', 'e.nombre as empresa_nombre');
    },

    /**
     * Open cash and transfer references (issue 21): not settled and still payable,
     * of any method but card (OXXO, Paycash, and any transfer kind added later),
     * on the router and, when the device is known (MAC, else IP), of that device.
     */
    async referenciasAbiertas(routerId: string, device: { mac?: string; ip?: string }, now: Date): Promise<{ router: number; device: number }> {
      const open = () => TransaccionEfectivoModel.query(knex).where({ router_id: routerId }).whereIn('estado_pago', ['pending', 'unknown'])
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
      const update = TransaccionEfectivoModel.query(knex).patch({ ...set, actualizado_en: knex.fn.now() } as unknown as Partial<TransaccionEfectivoModel>)
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

    /** Paid sales per payment method and currency, summed in PostgreSQL as numeric. */
    async ingresosPorMetodo(empresaId: string): Promise<Array<{ metodo_pago: string; moneda: string; total: string; transacciones: number }>> {
      return TransaccionEfectivoModel.query(knex).where({ empresa_id: empresaId, estado_pago: 'paid' })
        .select('metodo_pago', 'moneda', knex.raw('sum(monto)::text as total'), knex.raw('count(*)::int as transacciones'))
        .groupBy('metodo_pago', 'moneda').orderBy(['metodo_pago', 'moneda']) as unknown as Promise<Array<{ metodo_pago: string; moneda: string; total: string; transacciones: number }>>;
    },
  };
}

export type CashStore = ReturnType<typeof createCashStore>;
