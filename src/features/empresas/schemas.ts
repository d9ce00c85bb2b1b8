/**
 * The request bodies of the empresas feature, declared once: the routes
 * validate and document (/openapi.json) with them, and the services' input
 * types are derived from them (json-schema-to-ts), so the two cannot drift.
 * Every piece keeps its literal type (`as const` or the helpers of
 * platform/http), which is what lets a schema also be a type.
 */
import { email, object, str } from '../../platform/http/schemas';
import { line, optionalLine, secretText } from '../../platform/http/admin-common';
import { clearableText } from '../../platform/http/cliente-common';

/** A gateway's mode. */
export const gatewayMode = { type: 'string', enum: ['test', 'live'] } as const;

// ---- Super admin: POST /admin/empresas, PUT /admin/empresas/:empresa_id ----

const empresaFields = {
  nombre: line(200, { description: 'Nombre comercial de la empresa' }),
  contacto_email: { ...email, description: 'Correo de contacto principal' },
  contacto_telefono: optionalLine(40, { description: 'Teléfono de contacto' }),
  // Both Conekta keys are optional, as in the original: a company may start with Mercado Pago only and add Conekta later.
  conekta_private_key: secretText(255, { description: 'Llave privada de Conekta (puede ser provisional). Se guarda cifrada y nunca se devuelve.' }),
  conekta_public_key: line(255, { description: 'Llave pública de Conekta (puede ser provisional)' }),
  // "test" when omitted on create (the original's default).
  conekta_mode: { ...gatewayMode, description: 'Modo de Conekta: "test" o "live"' },
  telegram_bot_token: { ...secretText(255), type: ['string', 'null'], description: 'Token del bot de Telegram para avisos (opcional). Se guarda cifrado.' },
  telegram_chat_id: optionalLine(64, { description: 'Chat de Telegram que recibe los avisos (opcional)' }),
} as const;

export const empresaCreateBody = object(empresaFields, ['nombre', 'contacto_email'], {
  example: {
    nombre: 'WiFi Plaza Central', contacto_email: 'contacto@wifiplaza.mx', contacto_telefono: '+52 55 1234 5678',
    conekta_private_key: 'key_test_default', conekta_public_key: 'key_test_default_pub', conekta_mode: 'test',
  },
});

/** Partial: an omitted field keeps its value. */
export const empresaUpdateBody = object(empresaFields, [], { example: { contacto_telefono: '+52 55 8765 4321', conekta_mode: 'live' } });

// ---- Cliente admin: PUT /api/v1/admin/mi-empresa ----

/** Partial: an omitted field keeps its value; "" or null clears the clearable ones. */
export const miEmpresaUpdateBody = object({
  nombre: line(200, { example: 'WiFi Plaza' }),
  contacto_email: email,
  contacto_telefono: optionalLine(40, { example: '+52 55 1234 5678' }),
  telegram_bot_token: clearableText(200, { description: 'Token del bot de Telegram (se guarda cifrado)' }),
  telegram_chat_id: clearableText(64, { example: '-1001234567890' }),
  notificaciones_telegram: { type: 'boolean', description: 'Avisar ventas y rechazos por Telegram (requiere token y chat)' },
  contacto_portal: clearableText(300, { description: 'Contacto que ve el cliente en el portal', example: 'WhatsApp 55 1234 5678' }),
  aviso_privacidad: { type: ['string', 'null'], maxLength: 5000, description: 'Aviso de privacidad del portal ("" o null lo quita)' },
  zona_horaria: str({ minLength: 1, maxLength: 64, example: 'America/Mexico_City', description: 'Zona horaria IANA (por omisión America/Mexico_City)' }),
}, [], { example: { contacto_telefono: '+52 55 1234 5678', telegram_chat_id: '-1001234567890', notificaciones_telegram: true } });

// ---- Cliente admin: Conekta credentials (both routes) ----

/** The original service's names for the keys: an empty value keeps the stored key. */
const keepable = (description: string) => ({ type: ['string', 'null'], maxLength: 255, pattern: '^\\S*$', description }) as const;

/** Ours and the original's names (`conekta_*`); an omitted field keeps its value. */
export const conektaConfigBody = object({
  private_key: { type: 'string', minLength: 1, maxLength: 255, pattern: '^\\S+$', description: 'Llave privada (key_...)' },
  public_key: { type: 'string', minLength: 1, maxLength: 255, pattern: '^\\S+$', description: 'Llave pública (key_pub_... o similar)' },
  mode: gatewayMode,
  // PEM; "" or null removes it (webhooks are then re-fetched but not signature-checked).
  webhook_public_key: { type: ['string', 'null'], maxLength: 16_384, description: 'Llave pública PEM de los webhooks de Conekta' },
  conekta_private_key: keepable('Nombre del servicio original para private_key ("" conserva la guardada)'),
  conekta_public_key: keepable('Nombre del servicio original para public_key ("" conserva la guardada)'),
  conekta_mode: gatewayMode,
}, [], { example: { private_key: 'key_live_xxxxxxxxxxxxxxxx', public_key: 'key_pub_live_xxxxxxxx', mode: 'live' } });

// ---- Cliente admin: Mercado Pago credentials (both routes) ----

/** Secret or key text without spaces; "" clears it (null: the original's form leaves it as it is; the registry's route clears it too). */
const clearable = (description: string) => ({
  type: ['string', 'null'], maxLength: 255, pattern: '^[^\\s\\u0000-\\u001F\\u007F]*$', description,
}) as const;

/** An omitted (or null) field keeps its value; "" clears it. The original also set Telegram here. */
export const mercadoPagoConfigBody = object({
  access_token: clearable('Access token (APP_USR-... o TEST-...)'),
  public_key: clearable('Public key'),
  webhook_secret: clearable('Clave secreta de webhooks (x-signature)'),
  mode: gatewayMode,
  telegram_bot_token: { ...clearableText(200), description: 'Como en el original: null conserva, "" borra. Se guarda cifrado.' },
  telegram_chat_id: clearableText(64),
  notificaciones_telegram: { type: 'boolean' },
}, [], { example: { access_token: 'APP_USR-1234567890-abcdef', public_key: 'APP_USR-5c1b2d3e-public', webhook_secret: 'f1e2d3c4b5a6', mode: 'live' } });

// ---- Cliente admin: any registered gateway (PUT /api/v1/admin/mi-empresa/pasarelas/:pasarela) ----

/**
 * The account fields of any gateway (which ones it takes is its provider's
 * `accountFields`); an omitted field keeps its value, "" or null clears it.
 */
export const pasarelaConfigBody = object({
  modo: { ...gatewayMode, description: 'Entorno de la pasarela: "test" o "live"' },
  secreto: clearable('Llave secreta con la que se cobra (se guarda cifrada y nunca se devuelve)'),
  llave_publica: clearable('Llave pública con la que el portal tokeniza la tarjeta'),
  webhook_llave: { type: ['string', 'null'], maxLength: 16_384, description: 'Llave pública (PEM u otra) que verifica los webhooks' },
  webhook_secreto: clearable('Secreto compartido que verifica los webhooks (se guarda cifrado)'),
}, [], { example: { modo: 'live', secreto: 'sk_live_xxxxxxxxxxxx', webhook_secreto: 'whsec_xxxxxxxx' } });
