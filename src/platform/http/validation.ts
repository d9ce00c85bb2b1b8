/**
 * Request validation with ajv. The same schemas feed /openapi.json, so the
 * documentation cannot drift from what is enforced. Messages are Spanish and
 * always name the offending field.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationError } from '../errors';

export type JsonSchema = Record<string, unknown>;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, coerceTypes, useDefaults: false, strict: false });
  addFormats(ajv);
  // OpenAPI-only keywords carried in our schemas.
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

// Bodies are JSON: no coercion ("8728" is not a port). Query and path strings are coerced.
const bodyAjv = makeAjv(false);
const stringAjv = makeAjv(true);

function fieldOf(error: ErrorObject): string {
  const base = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = error.params as Record<string, unknown>;
  const child = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  return [base, child].filter(Boolean).join('.') || '(cuerpo)';
}

export function describeError(error: ErrorObject, where: string): { field: string; message: string } {
  const field = fieldOf(error);
  const params = error.params as Record<string, unknown>;
  const label = `'${field}'`;
  switch (error.keyword) {
    case 'required':
      return { field, message: `El campo ${label} es obligatorio` };
    case 'additionalProperties':
      return { field, message: `Campo no permitido: ${label}` };
    case 'type':
      if (field === '(cuerpo)') return { field, message: `El ${where} debe ser un objeto JSON` };
      return { field, message: `El campo ${label} debe ser de tipo ${translateType(String(params.type))}` };
    case 'format':
      return { field, message: `El campo ${label} no tiene un formato válido (${String(params.format)})` };
    case 'enum':
      return { field, message: `El campo ${label} debe ser uno de: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { field, message: `El campo ${label} debe ser ${JSON.stringify(params.allowedValue)}` };
    case 'minLength':
      return { field, message: params.limit === 1 ? `El campo ${label} no puede estar vacío` : `El campo ${label} debe tener al menos ${String(params.limit)} caracteres` };
    case 'maxLength':
      return { field, message: `El campo ${label} admite como máximo ${String(params.limit)} caracteres` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { field, message: `El campo ${label} debe ser ${error.keyword === 'minimum' ? 'mayor o igual a' : 'mayor que'} ${String(params.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { field, message: `El campo ${label} debe ser ${error.keyword === 'maximum' ? 'menor o igual a' : 'menor que'} ${String(params.limit)}` };
    case 'pattern':
      return { field, message: `El campo ${label} tiene un formato inválido` };
    case 'multipleOf':
      return { field, message: `El campo ${label} admite como máximo dos decimales` };
    case 'maxProperties':
      return { field, message: `El campo ${label} tiene demasiadas propiedades` };
    default:
      return { field, message: `El campo ${label} no es válido` };
  }
}

function translateType(type: string): string {
  const names: Record<string, string> = {
    string: 'texto', integer: 'entero', number: 'número', boolean: 'booleano', object: 'objeto', array: 'arreglo', null: 'nulo',
  };
  return type.split(',').map((t) => names[t] ?? t).join(' o ');
}

export type Validator<T> = (value: unknown) => T;

export function compileValidator<T>(schema: JsonSchema, where: 'cuerpo' | 'query' | 'ruta'): Validator<T> {
  const fn: ValidateFunction = (where === 'cuerpo' ? bodyAjv : stringAjv).compile(schema);
  return (value) => {
    if (fn(value)) return value as T;
    const { field, message } = describeError(fn.errors![0], where);
    throw new ValidationError(message, field);
  };
}

/** Checks a response body as it goes on the wire (JSON, so dates are strings); null when it matches, else the first problem. */
export type ResponseValidator = (body: unknown) => string | null;

const responseAjv = makeAjv(false);

export function compileResponseValidator(schema: JsonSchema): ResponseValidator {
  const fn: ValidateFunction = responseAjv.compile(schema);
  return (body) => {
    const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
    if (fn(wire)) return null;
    const error = fn.errors![0];
    return `${error.instancePath || '(body)'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
  };
}
