/**
 * Objection models of the fichas feature. Only ./store.ts uses them; columns
 * are snake_case in the database and on the wire, so no mappers.
 */
import { BaseModel, type Model } from '../../platform/db/objection';

/** `fallida`: the router cannot take it as it is (no such profile); `ultimo_error` says why, in Spanish. */
export type EstadoFicha = 'pendiente' | 'disponible' | 'usada' | 'expirada' | 'anulada' | 'fallida';
export const ESTADOS_FICHA: readonly EstadoFicha[] = ['pendiente', 'disponible', 'usada', 'expirada', 'anulada', 'fallida'];

export class FichaLoteModel extends BaseModel {
  static override tableName = 'fichas_lotes';
  declare id: string;
  declare empresa_id: string;
  declare router_id: string;
  declare producto_id: number;
  declare producto_nombre: string;
  declare perfil_mikrotik_nombre: string;
  declare limit_uptime: string | null;
  declare limit_bytes_total: string | number | null;
  declare vigencia_minutos: number | null;
  declare limite_velocidad: string | null;
  declare dispositivos: number;
  declare vigencia_desde: 'activacion' | 'primer_uso';
  declare precio: string;
  declare moneda: 'MXN' | 'USD' | 'EUR';
  declare tipo_usuario: 'usuario_contrasena' | 'pin';
  declare prefijo: string | null;
  declare cantidad: number;
  declare creado_por: number | null;
  declare creado_en: Date;
}

export class FichaModel extends BaseModel {
  static override tableName = 'fichas';
  declare id: string;
  declare lote_id: string;
  declare empresa_id: string;
  declare router_id: string;
  declare codigo: string;
  declare contrasena_enc: string | null;
  declare estado: EstadoFicha;
  declare intentos: number;
  declare ultimo_error: string | null;
  declare creado_en: Date;
  declare actualizado_en: Date;
  declare disponible_en: Date | null;
  declare usada_en: Date | null;
  declare anulada_en: Date | null;
  declare expirada_en: Date | null;
}

export type FichaLote = Omit<FichaLoteModel, keyof Model>;
export type Ficha = Omit<FichaModel, keyof Model>;
