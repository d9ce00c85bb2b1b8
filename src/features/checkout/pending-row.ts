/**
 * The row a purchase (card or cash) inserts before any gateway call: the
 * sale's product, customer and device, and freshly generated hotspot
 * credentials (the password sealed at rest). Written once for both paths.
 */
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { RouterPrincipal } from '../../platform/http/context';
import { newTransaccionId } from '../../platform/ids';
import type { Moneda } from '../../platform/money';
import type { GatewayName } from '../../integrations/gateways';
import { generateHotspotCredentials } from '../transacciones';
import type { TransaccionRow } from '../transacciones';

export interface PendingRowInput {
  principal: RouterPrincipal;
  product: {
    id: number; nombre_venta: string; perfil_mikrotik_nombre: string; limit_uptime: string | null; limit_bytes_total: number | string | null;
    vigencia_minutos: number | null; precio: string; moneda: Moneda;
    limite_velocidad: string | null; dispositivos: number; vigencia_desde: 'activacion' | 'primer_uso';
  };
  gateway: GatewayName;
  idempotencyKey: string;
  fingerprint: string;
  customer: { name: string; email: string; phone?: string | null };
  mac?: string;
  ip?: string;
  deviceId?: string;
  tipoUsuario: 'usuario_contrasena' | 'pin';
  conexionAutomatica: boolean;
  confirmarHasta: Date;
}

export function newPendingRow(secrets: SecretBox, input: PendingRowInput): Partial<TransaccionRow> {
  const { principal, product, customer } = input;
  const credentials = generateHotspotCredentials(input.tipoUsuario);
  return {
    id: newTransaccionId(),
    empresa_id: principal.empresaId,
    router_id: principal.routerId,
    producto_id: product.id,
    producto_nombre: product.nombre_venta,
    perfil_mikrotik_nombre: product.perfil_mikrotik_nombre,
    limit_uptime: product.limit_uptime,
    limit_bytes_total: product.limit_bytes_total as TransaccionRow['limit_bytes_total'],
    vigencia_minutos: product.vigencia_minutos,
    limite_velocidad: product.limite_velocidad,
    dispositivos: product.dispositivos,
    vigencia_desde: product.vigencia_desde,
    gateway: input.gateway,
    idempotency_key: input.idempotencyKey,
    request_hash: input.fingerprint,
    monto: product.precio,
    moneda: product.moneda,
    cliente_nombre: customer.name,
    cliente_email: customer.email,
    cliente_telefono: customer.phone ?? null,
    cliente_mac: input.mac ?? null,
    cliente_ip: input.ip ?? null,
    device_id: input.deviceId ?? null,
    tipo_usuario: input.tipoUsuario,
    hotspot_usuario: credentials.usuario,
    hotspot_password_enc: secrets.seal(credentials.contrasena),
    conexion_automatica: input.conexionAutomatica,
    confirmar_hasta: input.confirmarHasta,
  };
}
