/** Schema pieces shared by several routes. */
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

export const errorResponse = (description: string, example: string) => ({
  description,
  schema: object({ detail: str() }, ['detail']),
  example: { detail: example },
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
