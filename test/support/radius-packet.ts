/**
 * A small RADIUS client (RFC 2865/2866, RFC 3579's Message-Authenticator) for
 * tests: sends Access-Request (PAP or CHAP) and Accounting-Request from a chosen
 * source address (127.0.0.x loopback addresses stand for distinct routers,
 * which radclient cannot do) and returns the reply's code and attributes, or
 * null when no answer came (wrong secret, unknown client).
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';

export const CODES = {
  'Access-Request': 1,
  'Access-Accept': 2,
  'Access-Reject': 3,
  'Accounting-Request': 4,
  'Accounting-Response': 5,
  'Access-Challenge': 11,
} as const;
const CODE_NAMES = new Map<number, string>(Object.entries(CODES).map(([name, code]) => [code, name]));

type Kind = 'string' | 'integer' | 'ipaddr' | 'octets';
/** The attributes tests send or read; Mikrotik's are vendor 14988. */
const ATTRIBUTES: Record<string, { type: number; kind: Kind; vendor?: number }> = {
  'User-Name': { type: 1, kind: 'string' },
  'User-Password': { type: 2, kind: 'octets' },
  'CHAP-Password': { type: 3, kind: 'octets' },
  'NAS-IP-Address': { type: 4, kind: 'ipaddr' },
  'NAS-Port': { type: 5, kind: 'integer' },
  'Service-Type': { type: 6, kind: 'integer' },
  'Framed-IP-Address': { type: 8, kind: 'ipaddr' },
  'Reply-Message': { type: 18, kind: 'string' },
  Class: { type: 25, kind: 'octets' },
  'Session-Timeout': { type: 27, kind: 'integer' },
  'Idle-Timeout': { type: 28, kind: 'integer' },
  'Called-Station-Id': { type: 30, kind: 'string' },
  'Calling-Station-Id': { type: 31, kind: 'string' },
  'NAS-Identifier': { type: 32, kind: 'string' },
  'Acct-Status-Type': { type: 40, kind: 'integer' },
  'Acct-Input-Octets': { type: 42, kind: 'integer' },
  'Acct-Output-Octets': { type: 43, kind: 'integer' },
  'Acct-Session-Id': { type: 44, kind: 'string' },
  'Acct-Session-Time': { type: 46, kind: 'integer' },
  'Acct-Terminate-Cause': { type: 49, kind: 'integer' },
  'Acct-Input-Gigawords': { type: 52, kind: 'integer' },
  'Acct-Output-Gigawords': { type: 53, kind: 'integer' },
  'Event-Timestamp': { type: 55, kind: 'integer' },
  'CHAP-Challenge': { type: 60, kind: 'octets' },
  'NAS-Port-Type': { type: 61, kind: 'integer' },
  'Message-Authenticator': { type: 80, kind: 'octets' },
  'Acct-Interim-Interval': { type: 85, kind: 'integer' },
  'NAS-Port-Id': { type: 87, kind: 'string' },
  'Mikrotik-Group': { type: 3, kind: 'string', vendor: 14988 },
  'Mikrotik-Rate-Limit': { type: 8, kind: 'string', vendor: 14988 },
  'Mikrotik-Total-Limit': { type: 17, kind: 'integer', vendor: 14988 },
  'Mikrotik-Total-Limit-Gigawords': { type: 18, kind: 'integer', vendor: 14988 },
};
const BY_NUMBER = new Map<string, [string, Kind]>(
  Object.entries(ATTRIBUTES).map(([name, a]) => [`${a.vendor ?? 0}:${a.type}`, [name, a.kind]]),
);

export const ACCT_STATUS = { Start: 1, Stop: 2, 'Interim-Update': 3, 'Accounting-On': 7, 'Accounting-Off': 8 } as const;

export type AttributeValue = string | number | Buffer;
export type Attributes = Record<string, AttributeValue>;

export interface RadiusReply {
  code: string;
  /** Each attribute's values in order (most appear once: `attributes['Session-Timeout']?.[0]`). */
  attributes: Record<string, AttributeValue[]>;
  /** The first value of an attribute. */
  get(name: string): AttributeValue | undefined;
}

function encodeValue(kind: Kind, value: AttributeValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  switch (kind) {
    case 'integer': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(Number(value));
      return b;
    }
    case 'ipaddr':
      return Buffer.from(String(value).split('.').map(Number));
    default:
      return Buffer.from(String(value), 'utf8');
  }
}

function decodeValue(kind: Kind, value: Buffer): AttributeValue {
  switch (kind) {
    case 'integer':
      return value.length === 4 ? value.readUInt32BE(0) : value;
    case 'ipaddr':
      return [...value].join('.');
    case 'string':
      return value.toString('utf8');
    default:
      return value;
  }
}

function encodeAttribute(name: string, value: AttributeValue): Buffer {
  const def = ATTRIBUTES[name];
  if (!def) throw new Error(`unknown RADIUS attribute ${name}`);
  const data = encodeValue(def.kind, value);
  if (def.vendor === undefined) return Buffer.concat([Buffer.from([def.type, data.length + 2]), data]);
  const vsa = Buffer.concat([Buffer.from([def.type, data.length + 2]), data]);
  const head = Buffer.alloc(6);
  head[0] = 26;
  head[1] = vsa.length + 6;
  head.writeUInt32BE(def.vendor, 2);
  return Buffer.concat([head, vsa]);
}

function decodeAttributes(body: Buffer): Record<string, AttributeValue[]> {
  const out: Record<string, AttributeValue[]> = {};
  const push = (name: string, value: AttributeValue): void => {
    (out[name] ??= []).push(value);
  };
  let i = 0;
  while (i + 2 <= body.length) {
    const type = body[i]!;
    const length = body[i + 1]!;
    if (length < 2) break;
    const data = body.subarray(i + 2, i + length);
    if (type === 26 && data.length >= 6) {
      const vendor = data.readUInt32BE(0);
      let j = 4;
      while (j + 2 <= data.length) {
        const vtype = data[j]!;
        const vlength = data[j + 1]!;
        if (vlength < 2) break;
        const known = BY_NUMBER.get(`${vendor}:${vtype}`);
        const vdata = data.subarray(j + 2, j + vlength);
        if (known) push(known[0], decodeValue(known[1], vdata));
        else push(`Vendor-${vendor}-Attr-${vtype}`, vdata);
        j += vlength;
      }
    } else {
      const known = BY_NUMBER.get(`0:${type}`);
      if (known) push(known[0], decodeValue(known[1], data));
      else push(`Attr-${type}`, data);
    }
    i += length;
  }
  return out;
}

/** RFC 2865 5.2: the password XORed with MD5(secret + authenticator) chains. */
function hidePassword(password: string, secret: string, authenticator: Buffer): Buffer {
  const plain = Buffer.from(password, 'utf8');
  const padded = Buffer.alloc(Math.max(16, Math.ceil(plain.length / 16) * 16));
  plain.copy(padded);
  const out = Buffer.alloc(padded.length);
  let previous = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const hash = crypto.createHash('md5').update(secret).update(previous).digest();
    for (let j = 0; j < 16; j += 1) out[i + j] = padded[i + j]! ^ hash[j]!;
    previous = out.subarray(i, i + 16);
  }
  return out;
}

export interface SendOptions {
  host?: string;
  port: number;
  secret: string;
  /** The source address (a router): any 127.0.0.x on Linux loopback. */
  from?: string;
  /** How long to wait for the answer (ms) before saying there was none. */
  timeoutMs?: number;
}

function buildPacket(code: number, identifier: number, authenticator: Buffer, attrs: Buffer[]): Buffer {
  const body = Buffer.concat(attrs);
  const head = Buffer.alloc(20);
  head[0] = code;
  head[1] = identifier;
  head.writeUInt16BE(20 + body.length, 2);
  authenticator.copy(head, 4);
  return Buffer.concat([head, body]);
}

async function exchange(packet: Buffer, requestAuthenticator: Buffer, options: SendOptions): Promise<RadiusReply | null> {
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.from ?? '127.0.0.1', port: 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return await new Promise<RadiusReply | null>((resolve, reject) => {
      const timer = setTimeout(() => resolve(null), options.timeoutMs ?? 1500);
      socket.on('message', (message) => {
        if (message.length < 20 || message[1] !== packet[1]) return;
        // The Response Authenticator proves the answer came from someone holding the secret.
        const expected = crypto
          .createHash('md5')
          .update(message.subarray(0, 4))
          .update(requestAuthenticator)
          .update(message.subarray(20))
          .update(options.secret)
          .digest();
        if (!expected.equals(message.subarray(4, 20))) return;
        clearTimeout(timer);
        const attributes = decodeAttributes(message.subarray(20, message.readUInt16BE(2)));
        resolve({
          code: CODE_NAMES.get(message[0]!) ?? String(message[0]),
          attributes,
          get: (name) => attributes[name]?.[0],
        });
      });
      socket.send(packet, options.port, options.host ?? '127.0.0.1', (error) => {
        if (error) {
          clearTimeout(timer);
          reject(error);
        }
      });
    });
  } finally {
    socket.close();
  }
}

/**
 * Access-Request with Message-Authenticator. `password` is sent as PAP
 * (User-Password) or, with `chap: true`, as a CHAP response to a random
 * challenge (as a MikroTik hotspot's CHAP login does).
 */
export async function accessRequest(
  options: SendOptions & { user: string; password: string; chap?: boolean; attributes?: Attributes },
): Promise<RadiusReply | null> {
  const identifier = crypto.randomInt(256);
  const authenticator = crypto.randomBytes(16);
  const attrs: Buffer[] = [encodeAttribute('User-Name', options.user)];
  if (options.chap) {
    const chapId = crypto.randomInt(256);
    const challenge = crypto.randomBytes(16);
    const response = crypto.createHash('md5').update(Buffer.from([chapId])).update(options.password).update(challenge).digest();
    attrs.push(encodeAttribute('CHAP-Password', Buffer.concat([Buffer.from([chapId]), response])));
    attrs.push(encodeAttribute('CHAP-Challenge', challenge));
  } else {
    attrs.push(encodeAttribute('User-Password', hidePassword(options.password, options.secret, authenticator)));
  }
  const extra: Attributes = { 'NAS-IP-Address': '192.168.88.1', 'NAS-Identifier': 'hotspot', ...options.attributes };
  for (const [name, value] of Object.entries(extra)) attrs.push(encodeAttribute(name, value));
  // Message-Authenticator: HMAC-MD5 of the whole packet with this attribute zeroed.
  attrs.push(encodeAttribute('Message-Authenticator', Buffer.alloc(16)));
  const packet = buildPacket(CODES['Access-Request'], identifier, authenticator, attrs);
  const mac = crypto.createHmac('md5', options.secret).update(packet).digest();
  mac.copy(packet, packet.length - 16);
  return exchange(packet, authenticator, options);
}

/** Accounting-Request (Start, Interim-Update, Stop…): the authenticator is the MD5 of the packet with the secret. */
export async function accountingRequest(
  options: SendOptions & { status: keyof typeof ACCT_STATUS; user: string; sessionId: string; attributes?: Attributes },
): Promise<RadiusReply | null> {
  const identifier = crypto.randomInt(256);
  const values: Attributes = {
    'User-Name': options.user,
    'Acct-Status-Type': ACCT_STATUS[options.status],
    'Acct-Session-Id': options.sessionId,
    'NAS-IP-Address': '192.168.88.1',
    'NAS-Identifier': 'hotspot',
    ...options.attributes,
  };
  const attrs = Object.entries(values).map(([name, value]) => encodeAttribute(name, value));
  const packet = buildPacket(CODES['Accounting-Request'], identifier, Buffer.alloc(16), attrs);
  const authenticator = crypto.createHash('md5').update(packet).update(options.secret).digest();
  authenticator.copy(packet, 4);
  return exchange(packet, authenticator, options);
}
