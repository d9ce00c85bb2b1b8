/** The empresas feature's table. Only this feature's store queries it; other features ask the store (index.ts). */
import { BaseModel } from '../../platform/db/objection';

export class EmpresaModel extends BaseModel {
  static override tableName = 'empresas';
  declare id: string;
  declare nombre: string;
  declare contacto_email: string;
  declare contacto_telefono: string | null;
  declare activa: boolean;
  declare creada_en: Date;
  declare actualizada_en: Date;
  declare conekta_private_key_enc: string | null;
  declare conekta_public_key: string | null;
  declare conekta_mode: 'test' | 'live';
  declare conekta_webhook_public_key: string | null;
  /** What the service registered at Conekta (issue 23), and how that went. */
  declare conekta_webhook_id: string | null;
  declare conekta_webhook_key_id: string | null;
  declare conekta_webhook_estado: 'automatico' | 'manual' | 'error' | null;
  declare conekta_webhook_error: string | null;
  declare conekta_webhook_en: Date | null;
  declare mp_access_token_enc: string | null;
  declare mp_public_key: string | null;
  declare mp_webhook_secret_enc: string | null;
  declare mp_mode: 'test' | 'live';
  declare telegram_bot_token_enc: string | null;
  declare telegram_chat_id: string | null;
  /** Issue 13: sale notifications switch, what the portal shows customers, the current logo. */
  declare notificaciones_telegram: boolean;
  declare contacto_portal: string | null;
  declare aviso_privacidad: string | null;
  declare logo_nombre: string | null;
  /** IANA time zone of the company (panel times, dashboard periods). */
  declare zona_horaria: string;
}

/** Company logos (bytea): served publicly by name, the company's current one in `empresas.logo_nombre`. */
export class EmpresaLogoModel extends BaseModel {
  static override tableName = 'empresa_logos';
  static override idColumn = 'nombre';
  declare nombre: string;
  declare empresa_id: string;
  declare content_type: string;
  declare bytes: number;
  declare contenido: Buffer;
  declare creado_en: Date;
}

/** A row of `empresas` as a plain object. */
export type EmpresaRow = Pick<EmpresaModel,
  'id' | 'nombre' | 'contacto_email' | 'contacto_telefono' | 'activa' | 'creada_en' | 'actualizada_en' |
  'conekta_private_key_enc' | 'conekta_public_key' | 'conekta_mode' | 'conekta_webhook_public_key' |
  'conekta_webhook_id' | 'conekta_webhook_key_id' | 'conekta_webhook_estado' | 'conekta_webhook_error' | 'conekta_webhook_en' |
  'mp_access_token_enc' | 'mp_public_key' | 'mp_webhook_secret_enc' | 'mp_mode' | 'telegram_bot_token_enc' | 'telegram_chat_id' |
  'notificaciones_telegram' | 'contacto_portal' | 'aviso_privacidad' | 'logo_nombre' | 'zona_horaria'>;

/** The platform's Conekta key's one webhook registration (issue 23), by the key's sha256. */
export class ConektaPlataformaWebhookModel extends BaseModel {
  static override tableName = 'conekta_plataforma_webhooks';
  static override idColumn = 'private_key_sha256';
  declare private_key_sha256: string;
  declare webhook_id: string | null;
  declare webhook_key_id: string | null;
  declare public_key: string | null;
  declare url: string | null;
  declare error: string | null;
  declare registrado_en: Date | null;
  declare actualizado_en: Date;
}
