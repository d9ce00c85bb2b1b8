/**
 * Pieces shared by the cliente_admin API (/api/v1/admin/..., issue 5): the
 * company always comes from the session, never from the request.
 */
import type { AppContext } from './context';
import { errorResponse } from './schemas';
import type { JsonSchema } from './validation';

/** The session's company. The `cliente_admin` guard ran first, and that role always has one (database constraint). */
export function empresaOf(ctx: AppContext): string {
  const empresaId = ctx.state.user?.empresa_id;
  if (!empresaId) throw new Error('cliente_admin without empresa_id');
  return empresaId;
}

export const clienteErrors = {
  401: errorResponse('Sin sesión, token inválido o una API Key de router', 'No autenticado'),
  403: errorResponse('La sesión no es de un cliente_admin', 'Se requiere rol CLIENTE_ADMIN'),
};

export const portalErrors = {
  401: errorResponse('API Key ausente, inválida, revocada o de un router/empresa inactivos', 'API Key no válida o revocada'),
};

/** Optional text that may be cleared with null or "" (no control characters). */
export const clearableText = (maxLength = 255, extra: JsonSchema = {}): JsonSchema => ({
  type: ['string', 'null'], maxLength, pattern: '^[^\\u0000-\\u001F\\u007F]*$', ...extra,
});

export const nullableString: JsonSchema = { type: ['string', 'null'] };
export const nullableDateTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
export const nullableInteger: JsonSchema = { type: ['integer', 'null'] };

/** Path ids are documented with their format but checked by the service: one that cannot exist is a 404. */
export const looseId = (description: string, example: string): JsonSchema => ({
  type: 'string', minLength: 1, maxLength: 64, description, example,
});
