/**
 * Objection models. Objection 3 is barely maintained, so it stays behind the
 * stores in this folder: nothing outside src/db imports these classes.
 * Columns are already snake_case in the database and on the wire, so no mappers.
 */
import { Model } from 'objection';
import type { Moneda } from '../money';

export class EmpresaModel extends Model {
  static override tableName = 'empresas';
  id!: string;
  nombre!: string;
  contacto_email!: string;
  contacto_telefono!: string | null;
  activa!: boolean;
  creada_en!: Date;
  actualizada_en!: Date;
  conekta_private_key_enc!: string | null;
  conekta_public_key!: string | null;
  conekta_mode!: 'test' | 'live';
  conekta_webhook_public_key!: string | null;
  mp_access_token_enc!: string | null;
  mp_public_key!: string | null;
  mp_webhook_secret_enc!: string | null;
  mp_mode!: 'test' | 'live';
  telegram_bot_token_enc!: string | null;
  telegram_chat_id!: string | null;
}

export class RouterModel extends Model {
  static override tableName = 'routers';
  id!: string;
  empresa_id!: string;
  nombre!: string;
  host!: string;
  puerto!: number;
  tls!: boolean;
  tls_insecure!: boolean;
  usuario!: string;
  password_enc!: string;
  ubicacion!: string | null;
  activo!: boolean;
  creado_en!: Date;
  actualizado_en!: Date;
}

export class RouterApiKeyModel extends Model {
  static override tableName = 'router_api_keys';
  static override idColumn = 'key_id';
  key_id!: string;
  router_id!: string;
  empresa_id!: string;
  token_sha256!: string;
  issued_at!: Date;
  expires_at!: Date;
  revoked!: boolean;
  revoked_at!: Date | null;
  last_used!: Date | null;
  use_count!: number;
}

export class UsuarioModel extends Model {
  static override tableName = 'usuarios';
  id!: number;
  email!: string;
  password_hash!: string;
  nombre!: string;
  rol!: 'super_admin' | 'cliente_admin';
  empresa_id!: string | null;
  activo!: boolean;
  ultimo_login!: Date | null;
  password_cambiado_en!: Date | null;
  creado_en!: Date;
}

export class ProductoModel extends Model {
  static override tableName = 'productos';
  id!: number;
  empresa_id!: string;
  router_id!: string;
  perfil_mikrotik_nombre!: string;
  perfil_mikrotik_id!: string | null;
  perfil_verificado!: boolean;
  nombre_venta!: string;
  descripcion!: string | null;
  imagen_url!: string | null;
  precio!: string;
  moneda!: Moneda;
  detalles!: Record<string, unknown>;
  limit_uptime!: string | null;
  limit_bytes_total!: number | null;
  vigencia_minutos!: number | null;
  activo!: boolean;
  orden_visual!: number;
  destacado!: boolean;
  creado_en!: Date;
  actualizado_en!: Date;
  eliminado_en!: Date | null;
}

export type Empresa = Omit<EmpresaModel, keyof Model>;
export type Router = Omit<RouterModel, keyof Model>;
export type RouterApiKey = Omit<RouterApiKeyModel, keyof Model>;
export type Usuario = Omit<UsuarioModel, keyof Model>;
export type Producto = Omit<ProductoModel, keyof Model>;
