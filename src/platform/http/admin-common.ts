/**
 * Schema pieces of the super-admin API (/admin/...), shared by its route files.
 *
 * Path ids are documented with their format but validated loosely: an id that
 * cannot exist (malformed, too long) is simply not found (404 with the
 * contract's message), decided by the service without touching the database.
 */
import type { JsonSchema } from './validation';
import { errorResponse, type NoExtra } from './schemas';

type Merge<A, B> = Omit<A, keyof B> & B;
type Extra = Readonly<JsonSchema>;
type Text<T> = { type: T; minLength: number; maxLength: number; pattern: string };

/** Single-line text: not blank, no control characters (PostgreSQL refuses NUL). */
export const line = <const E extends Extra = NoExtra>(maxLength = 255, extra?: E) => ({
  type: 'string', minLength: 1, maxLength, pattern: '^(?=.*\\S)[^\\u0000-\\u001F\\u007F]*$', ...extra,
}) as unknown as Merge<Text<'string'>, NoInfer<E>>;

/** Secret text (passwords, private keys): any printable character, no control characters. */
export const secretText = <const E extends Extra = NoExtra>(maxLength = 255, extra?: E) => ({
  type: 'string', minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001F\\u007F]*$', ...extra,
}) as unknown as Merge<Text<'string'>, NoInfer<E>>;

export const optionalLine = <const E extends Extra = NoExtra>(maxLength = 255, extra?: E) => ({
  type: ['string', 'null'], maxLength, pattern: '^[^\\u0000-\\u001F\\u007F]*$', ...extra,
}) as unknown as Merge<{ type: readonly ['string', 'null']; maxLength: number; pattern: string }, NoInfer<E>>;

/** An IPv4/IPv6 address or a DNS name. */
export const host = {
  type: 'string', minLength: 1, maxLength: 253,
  pattern: '^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?|[0-9A-Fa-f]*:[0-9A-Fa-f:]*(?:\\d{1,3}(?:\\.\\d{1,3}){3})?)$',
  description: 'IP (v4 o v6) o nombre DNS del router, alcanzable desde el servidor; loopback, redes privadas, link-local o de metadatos solo dentro de ROUTER_ALLOWED_NETWORKS', example: 'router.hotelplaza.mx',
} as const;

export const port = {
  type: 'integer', minimum: 1, maximum: 65535,
  description: 'Puerto de la API de RouterOS: 8728 (texto plano) u 8729 (API-SSL)', example: 8728,
} as const;

const idParam = (description: string, example: string) => ({ type: 'string', minLength: 1, maxLength: 64, description, example }) as const;

export const empresaIdParam = idParam('ID de la empresa: EMP_ + 10 hex mayúsculas', 'EMP_3A9F1C0B2D');
export const routerIdParam = idParam('ID del router: RTR_ + 8 hex mayúsculas', 'RTR_A1B2C3D4');
export const keyIdParam = idParam('ID de la API Key: key_ + 16 hex minúsculas', 'key_a1b2c3d4e5f6a7b8');
export const usuarioIdParam = { type: 'integer', minimum: 1, maximum: 2147483647, description: 'ID numérico del usuario', example: 2 } as const;

export const adminErrors = {
  401: errorResponse('Sin sesión, token inválido o una API Key de router', 'No autenticado'),
  403: errorResponse('La sesión no es de un super_admin', 'Se requiere rol SUPER_ADMIN'),
};

export const validationError = (example = "El campo 'nombre' es obligatorio") =>
  errorResponse('Cuerpo, query o ruta inválidos: el mensaje nombra el campo', example);

export const empresaNotFound = errorResponse('La empresa no existe', 'Empresa no encontrada');
export const routerNotFound = errorResponse('La empresa o el router no existen, o el router es de otra empresa', 'Router no encontrado o no pertenece a la empresa');
