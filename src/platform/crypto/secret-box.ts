/**
 * Encryption of secrets at rest (router passwords, gateway keys, webhook secrets,
 * bot tokens, hotspot passwords). Without a key (allowed only outside production)
 * values are stored in clear, as the original did.
 */
import { Fernet } from './fernet';

export interface SecretBox {
  readonly encrypted: boolean;
  /**
   * For key rotation: the value sealed with the current key when it is in
   * clear or sealed with a previous key; null when it needs nothing.
   */
  reseal(stored: string): string | null;
  seal(plaintext: string): string;
  seal(plaintext: string | null | undefined): string | null;
  open(stored: string): string;
  open(stored: string | null | undefined): string | null;
}

const FERNET_PREFIX = 'gAAAAA';

/**
 * `previousKeys`: keys being rotated out. Values sealed with them still open;
 * `reseal` (scripts/rotate-encryption-key.ts) moves them to the current key.
 */
export function createSecretBox(key: string | null, previousKeys: string[] = []): SecretBox {
  const fernet = key ? new Fernet(key) : null;
  const previous = fernet ? previousKeys.map((k) => new Fernet(k)) : [];
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
    try {
      return fernet.decrypt(stored);
    } catch (error) {
      for (const old of previous) {
        try {
          return old.decrypt(stored);
        } catch {
          // not this one either
        }
      }
      throw error;
    }
  }
  function reseal(stored: string): string | null {
    if (!fernet) return null;
    if (stored.startsWith(FERNET_PREFIX)) {
      try {
        fernet.decrypt(stored);
        return null; // already under the current key
      } catch {
        // a previous key's (open throws if no key opens it)
      }
    }
    return fernet.encrypt(open(stored));
  }
  return { encrypted: fernet !== null, seal, open, reseal };
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
