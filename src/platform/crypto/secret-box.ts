/**
 * Encryption of secrets at rest (router passwords, gateway keys, webhook secrets,
 * bot tokens, hotspot passwords). Without a key (allowed only outside production)
 * values are stored in clear, as the original did.
 */
import { Fernet } from './fernet';

export interface SecretBox {
  readonly encrypted: boolean;
  seal(plaintext: string): string;
  seal(plaintext: string | null | undefined): string | null;
  open(stored: string): string;
  open(stored: string | null | undefined): string | null;
}

const FERNET_PREFIX = 'gAAAAA';

export function createSecretBox(key: string | null): SecretBox {
  const fernet = key ? new Fernet(key) : null;
  function seal(plaintext: string): string;
  function seal(plaintext: string | null | undefined): string | null;
  function seal(plaintext: string | null | undefined): string | null {
    if (plaintext === null || plaintext === undefined) return null;
    return fernet ? fernet.encrypt(plaintext) : plaintext;
  }
  function open(stored: string): string;
  function open(stored: string | null | undefined): string | null;
  function open(stored: string | null | undefined): string | null {
    if (stored === null || stored === undefined) return null;
    // Values written before a key was configured are still in clear.
    if (!fernet || !stored.startsWith(FERNET_PREFIX)) return stored;
    return fernet.decrypt(stored);
  }
  return { encrypted: fernet !== null, seal, open };
}

/**
 * `sk_live_abcdef1234` → `••••1234`: at most the last 4 characters, and none of
 * a secret shorter than 16 (4 of 8 would give away half of it).
 */
export function maskSecret(value: string | null | undefined): string | null {
  if (!value) return null;
  if (value.length < 16) return '••••';
  return `••••${value.slice(-4)}`;
}
