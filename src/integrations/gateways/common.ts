import { GatewayRequestError } from './errors';
import type { ChargeInput, GatewayName } from './port';

/** Checks what both gateways need before any network call (nothing is charged when this throws). */
export function assertChargeInput(gateway: GatewayName, input: ChargeInput): void {
  const fail = (detail: string) => {
    throw new GatewayRequestError(gateway, detail);
  };
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) fail('El monto del cargo no es válido.');
  if (!input.transaccionId) fail('Falta el identificador de la transacción.');
  if (!input.idempotencyKey) fail('Falta la llave de idempotencia del cargo.');
  if (!input.cardToken) fail('Falta el token de la tarjeta.');
  if (!input.customer || !input.customer.name || !input.customer.email) fail('Faltan los datos del cliente.');
}

/** One deadline helper for the whole service (src/platform/deadline.ts). */
export { DeadlineExceeded, withDeadline } from '../../platform/deadline';

/** "Ana María López Pérez" → { first: "Ana", last: "María López Pérez" }. */
export function splitName(name: string): { first: string; last: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { first: '', last: '' };
  return { first: parts[0]!, last: parts.slice(1).join(' ') };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
