/** Objection models of the hotspot feature (queries added by issue 13). */
import { Model } from 'objection';

export class HotspotVentaModel extends Model {
  static override tableName = 'transacciones';
  id!: string;
  router_id!: string;
  empresa_id!: string;
  producto_nombre!: string;
  perfil_mikrotik_nombre!: string;
  limit_uptime!: string | null;
  tipo_usuario!: 'usuario_contrasena' | 'pin';
  hotspot_usuario!: string;
  hotspot_password_enc!: string;
  hotspot_expira_en!: Date | null;
  estado_pago!: string;
  estado_hotspot!: string;
  creado_en!: Date;
}
