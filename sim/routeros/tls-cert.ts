/**
 * A throwaway self-signed certificate for the simulator's API-SSL, made at run
 * time with node:crypto (ECDSA P-256) and a minimal DER writer, so no private
 * key is ever committed and no certificate library is needed. TEST/DEMO ONLY:
 * the key lives in memory, the certificate names localhost, 127.0.0.1 and ::1.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const seq = (...c: Buffer[]) => der(0x30, ...c);
const set = (...c: Buffer[]) => der(0x31, ...c);
const explicit = (n: number, ...c: Buffer[]) => der(0xa0 + n, ...c);

function integer(bytes: Buffer): Buffer {
  // DER integers are signed: keep the serial positive.
  return der(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return der(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, Buffer.from(s, 'ascii'));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(cn, 'utf8')))));

export interface TestCertificate {
  key: string;
  cert: string;
}

let cached: TestCertificate | undefined;

/** One certificate per process: dozens of simulators share it, so starting one stays cheap. */
export function testCertificate(): TestCertificate {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const subject = name('RouterOS simulator (TEST ONLY)');
  const now = Date.now();
  const altNames = seq(
    der(0x82, Buffer.from('localhost', 'ascii')),
    der(0x87, Buffer.from([127, 0, 0, 1])),
    der(0x87, Buffer.from([...Array(15).fill(0), 1])),
  );
  const extensions = explicit(3, seq(
    seq(oid('2.5.29.17'), der(0x04, altNames)),
    // basicConstraints CA:TRUE so a test can pin this certificate as its own trust anchor.
    seq(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), der(0x04, seq(der(0x01, Buffer.from([0xff]))))),
  ));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(12)),
    ecdsaSha256,
    subject,
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 365 * 86_400_000))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certDer = seq(tbs, ecdsaSha256, der(0x03, Buffer.from([0]), signature));
  const b64 = certDer.toString('base64').match(/.{1,64}/g)!.join('\n');
  cached = {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
  };
  return cached;
}
