/** Objection models of the notificaciones feature (read-mostly views of sales and companies). */
import { Model } from 'objection';

export class EmpresaTelegramModel extends Model {
  static override tableName = 'empresas';
  id!: string;
  nombre!: string;
  notificaciones_telegram!: boolean;
  telegram_bot_token_enc!: string | null;
  telegram_chat_id!: string | null;
}

export class VentaNotificableModel extends Model {
  static override tableName = 'transacciones';
  id!: string;
  empresa_id!: string;
  producto_nombre!: string;
  monto!: string;
  moneda!: string;
  cliente_nombre!: string;
  gateway!: string;
  gateway_id!: string | null;
  estado_pago!: string;
  decline_message!: string | null;
}

export class EventoModel extends Model {
  static override tableName = 'transaccion_eventos';
  id!: number;
  transaccion_id!: string;
  tipo!: string;
  de!: string | null;
  a!: string | null;
  detalle!: Record<string, unknown> | null;
}
