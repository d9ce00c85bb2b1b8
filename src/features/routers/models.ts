/** The routers feature's tables: routers, their API keys, key usage flush batches and expiry warnings. */
import { BaseModel } from '../../platform/db/objection';

export class RouterModel extends BaseModel {
  static override tableName = 'routers';
  declare id: string;
  declare empresa_id: string;
  declare nombre: string;
  declare host: string;
  declare puerto: number;
  declare tls: boolean;
  declare tls_insecure: boolean;
  declare usuario: string;
  declare password_enc: string;
  declare ubicacion: string | null;
  declare activo: boolean;
  declare creado_en: Date;
  declare actualizado_en: Date;
  /** Where printed vouchers' QR codes send phones (issue 15); null: HOTSPOT_LOGIN_URL. */
  declare hotspot_login_url: string | null;
}

export class RouterApiKeyModel extends BaseModel {
  static override tableName = 'router_api_keys';
  static override idColumn = 'key_id';
  declare key_id: string;
  declare router_id: string;
  declare empresa_id: string;
  token_sha256!: string;
  /** The key itself, sealed (null: issued before it was kept; see the portal download). Never in an answer. */
  declare api_key_enc: string | null;
  declare issued_at: Date;
  declare expires_at: Date;
  declare revoked: boolean;
  declare revoked_at: Date | null;
  declare last_used: Date | null;
  declare use_count: number;
}

/** A usage flush already applied (api-key-usage.ts): re-applying the same batch is a no-op. */
export class ApiKeyUsageBatchModel extends BaseModel {
  static override tableName = 'api_key_usage_batches';
  static override idColumn = 'batch_id';
  declare batch_id: string;
  declare applied_at: Date;
}

export class ApiKeyExpiryWarningModel extends BaseModel {
  static override tableName = 'api_key_expiry_warnings';
  static override idColumn = ['key_id', 'threshold_days'];
  declare key_id: string;
  declare threshold_days: number;
  declare days_left: number;
  declare created_at: Date;
  declare telegram_status: string;
}
