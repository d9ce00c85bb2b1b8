/** Objection models of the transacciones feature (used only by its stores). */
import { Model } from 'objection';

export class TransaccionModel extends Model {
  static override tableName = 'transacciones';
  id!: string;
  estado_pago!: string;
  gateway_id!: string | null;
  cobro_iniciado_en!: Date | null;
  actualizado_en!: Date;
}
