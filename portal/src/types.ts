/** What the portal reads: config.js, the page's RouterOS variables, and the API's answers it uses. */

/** window.PAGOS_CONFIG, written by config.js (the download fills it for one router). */
export interface PagosConfig {
  apiBaseUrl?: string;
  apiKey?: string;
  mode?: string;
  conektaJsUrl?: string;
  mercadoPagoJsUrl?: string;
  sandboxTokenizerUrl?: string;
  conektaPublicKey?: string;
  mercadoPagoPublicKey?: string;
  gateways?: string[];
  payTimeoutMs?: number;
  apiTimeoutMs?: number;
  pollLimitMs?: number;
  cashPollMs?: number;
  payRetryDelaysMs?: number[];
  payRetryLimitMs?: number;
}

export interface SandboxCard { number: string; resultado: string }
/** The demo's sandbox tokenizer (sandbox-tokenizer.js, served by the gateway sandboxes). */
export interface SandboxTokenizer {
  cards: SandboxCard[];
  mercadoPagoNames: Array<{ nombre: string; resultado: string }>;
  tokenize(gateway: string, card: CardInput): Promise<CardToken>;
}

declare global {
  interface Window {
    PAGOS_CONFIG?: PagosConfig;
    /** CHAP values RouterOS writes into login.html (empty without CHAP). */
    PAGOS_CHAP?: { id?: string; challenge?: string };
    /** md5.js (ours or RouterOS's). */
    hexMD5?: (value: string) => string;
    PagosSandboxTokenizer?: SandboxTokenizer;
    /** Conekta.js and Mercado Pago's SDK: third-party globals, used as their docs say. */
    Conekta?: any;
    MercadoPago?: any;
  }
}

/** The card as typed (Mercado Pago's live fields are its own iframes: only the name then). */
export interface CardInput { name: string; number?: string; expMonth?: number; expYear?: number; cvc?: string }
export interface CardToken { token: string; paymentMethodId?: string; issuerId?: string | number }

/** A plan of GET /api/v1/catalogo_perfiles_venta. */
export interface Producto {
  id: number | string;
  nombre_venta: string;
  precio: number | string;
  precio_decimal?: string;
  moneda?: string;
  descripcion?: string | null;
  imagen_url?: string | null;
  destacado?: boolean;
  limit_uptime?: string | null;
  vigencia_minutos?: number | null;
  limit_bytes_total?: number | string | null;
  detalles?: unknown;
}

/** GET /api/v1/config/public. */
export interface PublicConfig {
  empresa?: {
    nombre?: string;
    logo_url?: string;
    aviso_privacidad?: string;
    contacto?: { texto?: string; telefono?: string; email?: string };
  };
  router?: { nombre?: string; ubicacion?: string | null };
  conekta?: { habilitado?: boolean; public_key?: string };
  mercado_pago?: { habilitado?: boolean; public_key?: string };
  metodos_pago?: Array<{ pasarela?: string; metodo?: string; telefono_requerido?: boolean }>;
  prueba?: { activa?: boolean; minutos?: number };
}

export interface Acceso { expira_en?: string | null; vigencia_minutos?: number | null; limit_uptime?: string | null }
export interface AutoConexion { solicitada?: boolean; estado?: string; fase?: string; mensaje?: string }

/** A purchase as the payment endpoints and GET /api/v1/payments/transacciones/{id} answer it. */
export interface Sale {
  transaccion_id: string;
  estado_pago?: string;
  estado_hotspot?: string;
  mensaje?: string;
  usuario_hotspot?: { usuario: string; contrasena: string } | null;
  producto?: { nombre?: string; precio?: number | string; precio_decimal?: string; moneda?: string } | null;
  acceso?: Acceso | null;
  auto_conexion?: AutoConexion | null;
  // Cash (OXXO, Paycash) and SPEI references.
  referencia?: string | null;
  clabe?: string | null;
  banco?: string | null;
  monto?: number | string;
  moneda?: string;
  expira_en?: string | null;
  metodo_pago?: string;
  url_ficha_pago?: string | null;
  instrucciones?: string[];
}
