/**
 * The request bodies of the usuarios feature, declared once: the routes
 * validate and document (/openapi.json) with them, and the service's input
 * type is derived from them (json-schema-to-ts), so the two cannot drift.
 */
import { email, object, password } from '../../platform/http/schemas';
import { line } from '../../platform/http/admin-common';

export const rolSchema = { type: 'string', enum: ['super_admin', 'cliente_admin'] } as const;

/**
 * POST /admin/usuarios. The `if`/`then` (a cliente_admin needs an empresa_id) is
 * enforced by the validator; the derived type does not narrow on it, so the
 * service still checks `empresa_id` itself.
 */
export const usuarioCreateBody = object({
  email: { ...email, description: 'Email de acceso' },
  password: { ...password, description: 'Contraseña inicial (el usuario debería cambiarla)' },
  nombre: line(120, { description: 'Nombre completo' }),
  rol: { ...rolSchema, description: '"cliente_admin" para acceso de una empresa' },
  empresa_id: { type: ['string', 'null'], maxLength: 64, description: 'Empresa del cliente_admin (obligatorio para cliente_admin)' },
}, ['email', 'password', 'nombre', 'rol'], {
  if: { properties: { rol: { const: 'cliente_admin' } }, required: ['rol'] },
  then: { required: ['empresa_id'], properties: { empresa_id: { type: 'string' } } },
  example: { email: 'admin@wifiplaza.mx', password: 'ClientePass456!', nombre: 'Juan Pérez', rol: 'cliente_admin', empresa_id: 'EMP_3A9F1C0B2D' },
});
