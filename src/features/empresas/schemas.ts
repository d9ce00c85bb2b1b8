/**
 * The request bodies of the empresas feature, declared once: the routes
 * validate and document (/openapi.json) with them, and the services' input
 * types are derived from them (json-schema-to-ts), so the two cannot drift.
 * Every piece keeps its literal type (`as const` or the helpers of
 * platform/http), which is what lets a schema also be a type.
 */
import { email, object } from '../../platform/http/schemas';
import { line, optionalLine, secretText } from '../../platform/http/admin-common';

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
