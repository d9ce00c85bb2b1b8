/**
 * Objection models of the transacciones feature. Only this feature's stores
 * (and the hotspot feature's, through the public entry) query with them.
 * Columns are snake_case in the database and on the wire, so no mappers.
 */
import { BaseModel } from '../../platform/db/objection';
import type { EstadoHotspot, EstadoPago } from './states';
import type { Moneda } from '../../platform/money';

export class TransaccionModel extends BaseModel {
  static override tableName = 'transacciones';
  id!: string;
  empresa_id!: string;
  router_id!: string;
  producto_id!: number;
  producto_nombre!: string;
  perfil_mikrotik_nombre!: string;
  limit_uptime!: string | null;
  limit_bytes_total!: number | null;
  vigencia_minutos!: number | null;
  limite_velocidad!: string | null;
  dispositivos!: number;
  vigencia_desde!: 'activacion' | 'primer_uso';
  /** primer_uso: when the first login was seen (the validity ends vigencia_minutos later). */
  primer_uso_en!: Date | null;
  gateway!: 'conekta' | 'mercadopago';
  gateway_id!: string | null;
  idempotency_key!: string;
  request_hash!: string;
  monto!: string;
  moneda!: Moneda;
  cliente_nombre!: string;
  cliente_email!: string;
  cliente_telefono!: string | null;
  cliente_mac!: string | null;
  cliente_ip!: string | null;
  device_id!: string | null;
  tipo_usuario!: 'usuario_contrasena' | 'pin';
  hotspot_usuario!: string;
  hotspot_password_enc!: string;
  hotspot_expira_en!: Date | null;
  conexion_automatica!: boolean;
  auto_conexion!: Record<string, unknown> | null;
  estado_pago!: EstadoPago;
  estado_hotspot!: EstadoHotspot;
  decline_code!: string | null;
  decline_message!: string | null;
  intentos_aprovisionamiento!: number;
  ultimo_error!: string | null;
  requiere_revision!: string | null;
  confirmar_hasta!: Date;
  creado_en!: Date;
  /** When the request allowed to charge claimed it (see the store's claimCharge; issue 17). */
  cobro_iniciado_en!: Date | null;
  actualizado_en!: Date;
  pagado_en!: Date | null;
  activado_en!: Date | null;
}

export class TransaccionEventoModel extends BaseModel {
  static override tableName = 'transaccion_eventos';
  id!: number;
  transaccion_id!: string;
  tipo!: string;
  de!: string | null;
  a!: string | null;
  detalle!: unknown;
  creado_en!: Date;
}

export class WebhookEventoModel extends BaseModel {
  static override tableName = 'webhook_eventos';
  id!: number;
  gateway!: string;
  event_id!: string;
  empresa_id!: string | null;
  firma_valida!: boolean;
  firma_motivo!: string | null;
  payload!: unknown;
  resultado!: string | null;
  transaccion_id!: string | null;
  recibido_en!: Date;
  procesado_en!: Date | null;
}

/** Read-only: which company a router belongs to, also for a router the routers store no longer lists (see store.routerEmpresa). */
export class RouterVentaModel extends BaseModel {
  static override tableName = 'routers';
}
