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

/**
 * A company's account with one gateway (issue 25, item 4): one row per company
 * and gateway id of the registry, the same columns for every gateway (their
 * meaning per gateway is its provider's: src/integrations/gateways/provider.ts).
 */
export class EmpresaPasarelaModel extends BaseModel {
  static override tableName = 'empresa_pasarelas';
  declare id: number;
  declare empresa_id: string;
  declare pasarela: string;
  declare modo: 'test' | 'live';
  declare llave_publica: string | null;
  declare secreto_enc: string | null;
  declare webhook_llave: string | null;
  declare webhook_secreto_enc: string | null;
  /** A webhook the service registered at the gateway itself (issue 23), and how that went. */
  declare webhook_id: string | null;
  declare webhook_llave_id: string | null;
  declare webhook_estado: 'automatico' | 'manual' | 'error' | null;
  declare webhook_error: string | null;
  declare webhook_en: Date | null;
  declare creada_en: Date;
  declare actualizada_en: Date;
}

/** A company's stored account with one gateway, as every reader sees it. */
export type PasarelaRow = Pick<EmpresaPasarelaModel,
  'modo' | 'llave_publica' | 'secreto_enc' | 'webhook_llave' | 'webhook_secreto_enc' |
  'webhook_id' | 'webhook_llave_id' | 'webhook_estado' | 'webhook_error' | 'webhook_en'>;

/**
 * A row of `empresas` as a plain object, with its gateway accounts by gateway id
 * (read in the same statement; a gateway the company never configured is absent).
 */
export type EmpresaRow = Pick<EmpresaModel,
  'id' | 'nombre' | 'contacto_email' | 'contacto_telefono' | 'activa' | 'creada_en' | 'actualizada_en' |
  'telegram_bot_token_enc' | 'telegram_chat_id' |
  'notificaciones_telegram' | 'contacto_portal' | 'aviso_privacidad' | 'logo_nombre' | 'zona_horaria'> & {
  readonly pasarelas: Readonly<Record<string, PasarelaRow>>;
};

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
