/** Schema pieces shared by several routes. */
import { ERROR_CODES } from '../errors';
import { ID_PATTERNS } from '../ids';
import type { JsonSchema } from './validation';

/**
 * The helpers keep their arguments' literal types (`const` type parameters), so
 * a schema built from them is also a type: `api.add` derives `input.body`,
 * `input.query` and `input.params` from the very schemas that validate them
 * (json-schema-to-ts `FromSchema`). A piece typed only as `JsonSchema` still
 * validates, but makes the route's input `any`.
 */
type Merge<A, B> = Omit<A, keyof B> & B;
type Extra = Readonly<JsonSchema>;
/** No extra keywords (the default of the helpers' `extra`). */
export type NoExtra = Record<never, never>;

export const str = <const E extends Extra = NoExtra>(extra?: E) => ({ type: 'string', ...extra }) as unknown as Merge<{ type: 'string' }, NoInfer<E>>;
export const nonEmpty = <const E extends Extra = NoExtra>(maxLength = 255, extra?: E) =>
  ({ type: 'string', minLength: 1, maxLength, pattern: '\\S', ...extra }) as unknown as Merge<{ type: 'string'; minLength: number; maxLength: number; pattern: string }, NoInfer<E>>;
export const email = { type: 'string', format: 'email', maxLength: 254 } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullable = <const S extends { readonly type: string }>(schema: S) =>
  ({ ...schema, type: [schema.type, 'null'] }) as Merge<S, { type: readonly [S['type'], 'null'] }>;

export const empresaId = { type: 'string', pattern: ID_PATTERNS.empresa, example: 'EMP_3A9F1C0B2D' } as const;
export const routerId = { type: 'string', pattern: ID_PATTERNS.router, example: 'RTR_A1B2C3D4' } as const;
export const keyId = { type: 'string', pattern: ID_PATTERNS.apiKey, example: 'key_a1b2c3d4e5f6a7b8' } as const;
export const transaccionId = { type: 'string', pattern: ID_PATTERNS.transaccion, example: 'TRX_0A1B2C3D4E5F' } as const;

/** A closed object (additionalProperties: false unless `extra` says otherwise). */
export const object = <const P extends Readonly<Record<string, Extra>>, const R extends readonly string[] = [], const E extends Extra = NoExtra>(
  properties: P, required?: R, extra?: E,
) => ({ type: 'object', properties, required: required ?? [], additionalProperties: false, ...extra }) as unknown as Merge<{ type: 'object'; properties: P; required: NoInfer<R>; additionalProperties: false }, NoInfer<E>>;

/** Path parameters: every one required. */
export const pathParams = <const P extends Readonly<Record<string, Extra>>>(properties: P) =>
  object(properties, Object.keys(properties) as Array<keyof P & string>);

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

export const password = { type: 'string', minLength: 8, maxLength: 128 } as const;
