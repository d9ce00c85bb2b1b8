/**
 * Text we write to a router must be printable ASCII: node-routeros encodes words
 * as windows-1252 and decodes replies the same way, RouterOS stores bytes, and
 * the captive portal compares bytes. A name with "é" could be stored one way and
 * typed another, so names and passwords are rejected, not rewritten (the customer
 * must get exactly the credentials the router has). Free text (comments) is
 * normalized: accents are dropped ("Pagó" -> "Pago"), anything else is rejected.
 */
import { ValidationError } from '../../platform/errors';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function isPrintableAscii(value: string): boolean {
  return PRINTABLE_ASCII.test(value);
}

/** Rejects anything but printable ASCII (no control characters either). */
export function assertRouterAscii(value: string, field: string, maxLength = 64): string {
  if (!isPrintableAscii(value)) throw new ValidationError(`El campo ${field} solo admite caracteres ASCII imprimibles`, field);
  if (value.length > maxLength) throw new ValidationError(`El campo ${field} admite como máximo ${maxLength} caracteres`, field);
  return value;
}

/** Drops diacritics, then requires printable ASCII. */
export function toRouterAscii(value: string, field: string, maxLength = 255): string {
  const stripped = value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return assertRouterAscii(stripped, field, maxLength);
}
