/**
 * Hotspot credentials from a cryptographic random source. Usernames and
 * passwords avoid look-alike characters (customers type them on phones) and
 * are ASCII (RouterOS's API speaks win1252).
 */
import crypto from 'node:crypto';

const LETTERS = 'abcdefghjkmnpqrstuvwxyz';
const ALPHANUM = 'abcdefghjkmnpqrstuvwxyz23456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[crypto.randomInt(alphabet.length)];
  return out;
}

/** A 12-digit PIN: 10^12 possibilities, hopeless to guess at a login page's pace. */
export const PIN_LENGTH = 12;

export function generateHotspotCredentials(tipo: 'usuario_contrasena' | 'pin'): { usuario: string; contrasena: string } {
  if (tipo === 'pin') {
    const pin = pick('0123456789', PIN_LENGTH);
    return { usuario: pin, contrasena: pin };
  }
  // ~31^6 * 23 usernames; uniqueness per router is enforced by a unique index.
  return { usuario: pick(LETTERS, 1) + pick(ALPHANUM, 6), contrasena: pick(ALPHANUM, 10) };
}
