/**
 * Pieces shared by the cliente_admin API (/api/v1/admin/..., issue 5): the
 * company always comes from the session, never from the request.
 */
import type { AppContext } from './context';
import { errorResponse, type NoExtra } from './schemas';
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
export const clearableText = <const E extends Readonly<JsonSchema> = NoExtra>(maxLength = 255, extra?: E) => ({
  type: ['string', 'null'], maxLength, pattern: '^[^\\u0000-\\u001F\\u007F]*$', ...extra,
}) as unknown as Omit<{ type: readonly ['string', 'null']; maxLength: number; pattern: string }, keyof E> & NoInfer<E>;

export const nullableString = { type: ['string', 'null'] } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableInteger = { type: ['integer', 'null'] } as const;

/** Path ids are documented with their format but checked by the service: one that cannot exist is a 404. */
export const looseId = (description: string, example: string) => ({
  type: 'string', minLength: 1, maxLength: 64, description, example,
}) as const;
