/** Schema pieces shared by several routes. */
import { ERROR_CODES } from '../errors';
import { ID_PATTERNS } from '../ids';
import type { JsonSchema } from './validation';

export const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
export const nonEmpty = (maxLength = 255, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S', ...extra });
export const email: JsonSchema = { type: 'string', format: 'email', maxLength: 254 };
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type as string, 'null'] });

export const empresaId: JsonSchema = { type: 'string', pattern: ID_PATTERNS.empresa, example: 'EMP_3A9F1C0B2D' };
export const routerId: JsonSchema = { type: 'string', pattern: ID_PATTERNS.router, example: 'RTR_A1B2C3D4' };
export const keyId: JsonSchema = { type: 'string', pattern: ID_PATTERNS.apiKey, example: 'key_a1b2c3d4e5f6a7b8' };
export const transaccionId: JsonSchema = { type: 'string', pattern: ID_PATTERNS.transaccion, example: 'TRX_0A1B2C3D4E5F' };

export const object = (properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema => ({
  type: 'object', properties, required, additionalProperties: false, ...extra,
});

export const pathParams = (properties: Record<string, JsonSchema>): JsonSchema => object(properties, Object.keys(properties));

/** Every error body: Spanish `detail` for people, stable `code` for programs, `field` on validation errors. */
export const errorProperties: Record<string, JsonSchema> = {
  detail: str({ description: 'Descripción del error, en español, para personas' }),
  code: { type: 'string', enum: [...ERROR_CODES], description: 'Código estable del error (snake_case, en inglés) para decidir en programas' },
  field: str({ description: 'Campo inválido (solo en errores de validación)' }),
};
export const errorSchema: JsonSchema = object(errorProperties, ['detail', 'code']);

/** The shared error schema, or (`extra`) one with more properties, as 402 bodies carry. */
export const errorResponse = (description: string, example: string, extra?: { properties: Record<string, JsonSchema>; example: Record<string, unknown> }) => ({
  description,
  schema: extra ? object({ ...errorProperties, ...extra.properties }, ['detail', 'code']) : errorSchema,
  // The example's `code` is filled in per status by the OpenAPI builder.
  example: { detail: example, ...(extra?.example ?? {}) },
});

export const messageSchema = object({ message: str() }, ['message'], { additionalProperties: true });

export const usuarioPublico: JsonSchema = object({
  id: { type: 'integer' },
  email: str(),
  nombre: str(),
  rol: { type: 'string', enum: ['super_admin', 'cliente_admin'] },
  empresa_id: { type: ['string', 'null'] },
  activo: { type: 'boolean' },
  ultimo_login: { type: ['string', 'null'], format: 'date-time' },
  creado_en: dateTime,
});

export const password: JsonSchema = { type: 'string', minLength: 8, maxLength: 128 };
