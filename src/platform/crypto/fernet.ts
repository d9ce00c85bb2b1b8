/**
 * Fernet (https://github.com/fernet/spec), the format of Python's
 * `cryptography.fernet`, so secrets written by the original service still decrypt.
 * Written on node:crypto because the npm `fernet` package is unmaintained and
 * drags in crypto-js; the format is small and fixed (AES-128-CBC + HMAC-SHA256).
 */
import crypto from 'node:crypto';

const VERSION = 0x80;

export class FernetError extends Error {}

function decodeKey(key: string): { signing: Buffer; encryption: Buffer } {
  const raw = Buffer.from(key, 'base64url');
  if (raw.length !== 32) throw new FernetError('la clave Fernet debe tener 32 bytes');
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16) };
}

export class Fernet {
  private readonly signing: Buffer;
  private readonly encryption: Buffer;

  constructor(key: string) {
    ({ signing: this.signing, encryption: this.encryption } = decodeKey(key));
  }

  static generateKey(): string {
    return crypto.randomBytes(32).toString('base64url') + '=';
  }

  encrypt(plaintext: string, now = Date.now(), iv = crypto.randomBytes(16)): string {
    const cipher = crypto.createCipheriv('aes-128-cbc', this.encryption, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const header = Buffer.alloc(9);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(Math.floor(now / 1000)), 1);
    const body = Buffer.concat([header, iv, ciphertext]);
    const hmac = crypto.createHmac('sha256', this.signing).update(body).digest();
    // Python emits padded url-safe base64; keep that so the original can read ours.
    return Buffer.concat([body, hmac]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }

  decrypt(token: string): string {
    const data = Buffer.from(token, 'base64url');
    if (data.length < 1 + 8 + 16 + 16 + 32 || data[0] !== VERSION) throw new FernetError('token Fernet inválido');
    const body = data.subarray(0, data.length - 32);
    const expected = crypto.createHmac('sha256', this.signing).update(body).digest();
    if (!crypto.timingSafeEqual(expected, data.subarray(data.length - 32))) throw new FernetError('firma Fernet inválida');
    const iv = body.subarray(9, 25);
    const decipher = crypto.createDecipheriv('aes-128-cbc', this.encryption, iv);
    try {
      return Buffer.concat([decipher.update(body.subarray(25)), decipher.final()]).toString('utf8');
    } catch {
      throw new FernetError('token Fernet inválido');
    }
  }
}
