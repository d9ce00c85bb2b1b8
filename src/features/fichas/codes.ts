/**
 * Voucher codes: printed, read aloud and typed on phones, so the alphabet has
 * no look-alikes (no 0/O, 1/l/I) and no lowercase; every character comes from
 * the CSPRNG. 8 characters from 31 give ~8.5 * 10^11 codes per router.
 */
import crypto from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;
export const PASSWORD_LENGTH = 6;
/** A prefix is printed too: the same alphabet, at most 6 characters. */
export const PREFIX_PATTERN = '^[2-9A-HJKMNP-Z]{1,6}$';

export function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[crypto.randomInt(alphabet.length)];
  return out;
}

export function generateCode(prefijo?: string | null): string {
  return `${prefijo ?? ''}${randomFrom(CODE_ALPHABET, CODE_LENGTH)}`;
}

export function generatePassword(): string {
  return randomFrom(CODE_ALPHABET, PASSWORD_LENGTH);
}

/** The hotspot user's comment: names the voucher, so a retried `add` that finds it knows it is ours. */
export const commentFor = (loteId: string, codigo: string) => `ficha ${loteId} ${codigo}`;

export const newLoteId = () => `LOT_${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
export const LOTE_ID_PATTERN = '^LOT_[0-9A-F]{10}$';
