/** The routers feature's tables: routers, their API keys, key usage flush batches and expiry warnings. */
import { BaseModel } from '../../platform/db/objection';

export class RouterModel extends BaseModel {
  static override tableName = 'routers';
  declare id: string;
  declare empresa_id: string;
  declare nombre: string;
  /** API connection: required in api mode only (the service checks it); null in radius mode when not given. */
  declare host: string | null;
  declare puerto: number;
  declare tls: boolean;
  declare tls_insecure: boolean;
  declare usuario: string | null;
  declare password_enc: string | null;
  declare ubicacion: string | null;
  declare activo: boolean;
  declare creado_en: Date;
  declare actualizado_en: Date;
  /** Where printed vouchers' QR codes send phones (issue 15); null: HOTSPOT_LOGIN_URL. */
  declare hotspot_login_url: string | null;
  /** 'api': the service dials the RouterOS API; 'radius': FreeRADIUS answers the router (issue 22). */
  declare modo: 'api' | 'radius';
  /** RADIUS mode: the router's RADIUS shared secret and its heartbeat token, sealed; the token's sha256 for the lookup. */
  declare radius_secret_enc: string | null;
  declare token_enc: string | null;
  declare token_hash: string | null;
  /** The IPv4 address the last accepted heartbeat came from (its RADIUS client address) and when. */
  declare radius_direccion: string | null;
  declare ultimo_latido: Date | null;
  /** The router's trial login as the company set it (issue 24). */
  declare prueba: { activa: boolean; minutos: number; reinicio_horas: number; limite_velocidad: string | null };
  /** What applying the trial changed on the device (internal; see migrations/20261207080100_routers_prueba.ts). */
  declare prueba_router: Record<string, unknown> | null;
  /** The address of the last heartbeat refused because another router of ours holds it (carrier NAT), and when; null once one is accepted. */
  declare direccion_compartida: string | null;
  declare direccion_compartida_en: Date | null;
}

/**
 * FreeRADIUS's clients (its stock `nas` table, in the schema radiusSchemaFor
 * gives): one row per RADIUS-mode router with a known address, shortname =
 * router id. Queried with `.withSchema(schema)`.
 */
export class NasModel extends BaseModel {
  static override tableName = 'nas';
  declare id: number;
  declare nasname: string;
  declare shortname: string;
  declare type: string;
  declare secret: string;
  declare description: string | null;
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

/** Trials started per router and day (issue 24, item 4; migrations/20261207093100_router_pruebas_conteo.ts). */
export class RouterPruebasDiaModel extends BaseModel {
  static override tableName = 'router_pruebas_dia';
  static override idColumn = ['router_id', 'fecha'];
  declare router_id: string;
  declare empresa_id: string;
  /** The day in the company's time zone, 'YYYY-MM-DD'. */
  declare fecha: string;
  declare iniciadas: number;
  declare activas: number | null;
  declare activas_max: number;
  declare fuente: 'api' | 'latido';
  declare leido_en: Date | null;
  declare intento_en: Date;
  declare error: string | null;
}

/** API mode: devices whose trial already counted in its current period (a hash of router and MAC, never the MAC). */
export class RouterPruebaDispositivoModel extends BaseModel {
  static override tableName = 'router_pruebas_dispositivos';
  static override idColumn = ['router_id', 'dispositivo'];
  declare router_id: string;
  declare dispositivo: string;
  declare iniciada_en: Date;
}
