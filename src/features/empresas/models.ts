/**
 * Objection models of the empresas feature for the queries added by the
 * drop-in work (issue 13). Only this feature's stores use them.
 */
import { Model } from 'objection';

export class EmpresaLogoModel extends Model {
  static override tableName = 'empresa_logos';
  static override idColumn = 'nombre';
  nombre!: string;
  empresa_id!: string;
  content_type!: string;
  bytes!: number;
  contenido!: Buffer;
  creado_en!: Date;
}

/** The columns of `empresas` these stores read or write. */
export class EmpresaCompatModel extends Model {
  static override tableName = 'empresas';
  id!: string;
  nombre!: string;
  activa!: boolean;
  logo_nombre!: string | null;
  notificaciones_telegram!: boolean;
  telegram_bot_token_enc!: string | null;
  telegram_chat_id!: string | null;
  contacto_portal!: string | null;
  aviso_privacidad!: string | null;
}
