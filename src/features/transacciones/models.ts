/** Objection models of the transacciones feature (queries added by issue 13). */
import { Model } from 'objection';

export class TransaccionModel extends Model {
  static override tableName = 'transacciones';
  id!: string;
  empresa_id!: string;
  router_id!: string;
  gateway!: 'conekta' | 'mercadopago';
  gateway_id!: string | null;
  monto!: string;
  moneda!: string;
  estado_pago!: string;
  estado_hotspot!: string;
  decline_code!: string | null;
  pagado_en!: Date | null;
  actualizado_en!: Date;
}

/** Which company a Mercado Pago payment belongs to (the original's webhook URL carried no company). */
export async function empresaOfMercadoPagoPayment(knex: import('knex').Knex, paymentId: string): Promise<string | null> {
  if (!/^\d{1,20}$/.test(paymentId)) return null;
  const row = await TransaccionModel.query(knex).where({ gateway: 'mercadopago', gateway_id: paymentId }).first().select('empresa_id');
  return row?.empresa_id ?? null;
}
