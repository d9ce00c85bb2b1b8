/** The productos feature's table. */
import { BaseModel } from '../../platform/db/objection';

export class ProductoModel extends BaseModel {
  static override tableName = 'productos';
  declare id: number;
  declare empresa_id: string;
  declare router_id: string;
  declare perfil_mikrotik_nombre: string;
  declare perfil_mikrotik_id: string | null;
  declare perfil_verificado: boolean;
  declare nombre_venta: string;
  declare descripcion: string | null;
  declare imagen_url: string | null;
  /** numeric(10,2) as its decimal string: never a float. */
  declare precio: string;
  declare moneda: 'MXN' | 'USD' | 'EUR';
  declare detalles: Record<string, unknown> | unknown[];
  declare limit_uptime: string | null;
  declare limit_bytes_total: number | null;
  declare vigencia_minutos: number | null;
  /** RouterOS rate-limit "subida/bajada" ("2M/10M"); null: no speed of ours. */
  declare limite_velocidad: string | null;
  /** Simultaneous devices (≥ 1). */
  declare dispositivos: number;
  /** Whether `vigencia_minutos` counts from the activation or from the first login. */
  declare vigencia_desde: 'activacion' | 'primer_uso';
  declare activo: boolean;
  declare orden_visual: number;
  declare destacado: boolean;
  declare creado_en: Date;
  declare actualizado_en: Date;
  declare eliminado_en: Date | null;
}
