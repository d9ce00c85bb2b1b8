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
