/**
 * Objection models of the transacciones feature: one model per table
 * (`transacciones`, `transaccion_eventos`, `webhook_eventos`). Only this
 * feature's stores query with them; other features go through those stores.
 * Columns are snake_case in the database and on the wire, so no mappers.
 * The row types (`TransaccionRow`) are derived from these models, never copied.
 */
import type { ModelObject } from 'objection';
import { BaseModel } from '../../platform/db/objection';
import type { EstadoHotspot, EstadoPago } from './states';
import type { Moneda } from '../../platform/money';
import type { GatewayName } from '../../integrations/gateways';

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
  /** A provider of the gateway registry (src/integrations/gateways/registry.ts). */
  gateway!: GatewayName;
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
  /** When the reconciler last looked at this row (its lists rotate on it; issue 21). */
  reconciliado_en!: Date | null;
  actualizado_en!: Date;
  pagado_en!: Date | null;
  activado_en!: Date | null;
  // The moment each state was reached (state-machine.ts, STATE_TIMESTAMP).
  declinado_en!: Date | null;
  pago_expirado_en!: Date | null;
  reembolsado_en!: Date | null;
  contracargo_en!: Date | null;
  aprovisionando_en!: Date | null;
  fallido_en!: Date | null;
  deshabilitado_en!: Date | null;
  hotspot_expirado_en!: Date | null;
  // How it was paid (issue 15, issue 24): card, or a reference the customer pays later (cash at a store, SPEI).
  metodo_pago!: 'tarjeta' | 'oxxo' | 'paycash' | 'spei';
  referencia_pago!: string | null;
  referencia_url!: string | null;
  referencia_expira_en!: Date | null;
  /** SPEI: the CLABE to transfer to and its bank. */
  referencia_clabe!: string | null;
  referencia_banco!: string | null;
}

/** A row of `transacciones` as a plain object (every column of the model, nothing else). */
export type TransaccionRow = ModelObject<TransaccionModel>;

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
