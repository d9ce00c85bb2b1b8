/**
 * Objection models of the fichas feature. Only ./store.ts uses them; columns
 * are snake_case in the database and on the wire, so no mappers.
 */
import { Model } from 'objection';

export type EstadoFicha = 'pendiente' | 'disponible' | 'usada' | 'expirada' | 'anulada';
export const ESTADOS_FICHA: readonly EstadoFicha[] = ['pendiente', 'disponible', 'usada', 'expirada', 'anulada'];

export class FichaLoteModel extends Model {
  static override tableName = 'fichas_lotes';
  id!: string;
  empresa_id!: string;
  router_id!: string;
  producto_id!: number;
  producto_nombre!: string;
  perfil_mikrotik_nombre!: string;
  limit_uptime!: string | null;
  limit_bytes_total!: string | number | null;
  precio!: string;
  moneda!: 'MXN' | 'USD' | 'EUR';
  tipo_usuario!: 'usuario_contrasena' | 'pin';
  prefijo!: string | null;
  cantidad!: number;
  creado_por!: number | null;
  creado_en!: Date;
}

export class FichaModel extends Model {
  static override tableName = 'fichas';
  id!: string;
  lote_id!: string;
  empresa_id!: string;
  router_id!: string;
  codigo!: string;
  contrasena_enc!: string | null;
  estado!: EstadoFicha;
  intentos!: number;
  ultimo_error!: string | null;
  creado_en!: Date;
  actualizado_en!: Date;
  disponible_en!: Date | null;
  usada_en!: Date | null;
  anulada_en!: Date | null;
  expirada_en!: Date | null;
}

export type FichaLote = Omit<FichaLoteModel, keyof Model>;
export type Ficha = Omit<FichaModel, keyof Model>;
