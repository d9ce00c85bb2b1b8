/** The auth feature's tables: admin users (the usuarios feature manages them through this feature's store) and revoked sessions. */
import { BaseModel } from '../../platform/db/objection';

export class UsuarioModel extends BaseModel {
  static override tableName = 'usuarios';
  declare id: number;
  declare email: string;
  declare password_hash: string;
  declare nombre: string;
  declare rol: 'super_admin' | 'cliente_admin';
  declare empresa_id: string | null;
  declare activo: boolean;
  declare ultimo_login: Date | null;
  declare password_cambiado_en: Date | null;
  /** Moved by every password change or reset; sessions of an older epoch are refused. */
  declare sesion_epoca: number;
  /** The jti of the session that made the last password change: it survives the epoch it moved. */
  declare sesion_conservada: string | null;
  declare creado_en: Date;
}

export class SesionRevocadaModel extends BaseModel {
  static override tableName = 'sesiones_revocadas';
  static override idColumn = 'jti';
  declare jti: string;
  declare expira_en: Date;
}
