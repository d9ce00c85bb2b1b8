/**
 * RADIUS packets (RFC 2865, 2866, 3579) as a MikroTik hotspot sends and reads
 * them, for the RouterOS simulator's RADIUS-client mode and the tests:
 * Access-Request (PAP or CHAP, always with Message-Authenticator),
 * Accounting-Request (Start / Interim-Update / Stop), and the answers'
 * authenticators checked. Attributes are named as FreeRADIUS's dictionaries
 * name them; Mikrotik's vendor attributes (vendor 14988) included.
 */
import crypto from 'node:crypto';

export const CODES = {
  'Access-Request': 1,
  'Access-Accept': 2,
  'Access-Reject': 3,
  'Accounting-Request': 4,
  'Accounting-Response': 5,
  'Access-Challenge': 11,
} as const;
export type RadiusCode = keyof typeof CODES;
const CODE_NAMES = new Map<number, RadiusCode>(Object.entries(CODES).map(([k, v]) => [v, k as RadiusCode]));

type AttrType = 'string' | 'octets' | 'integer' | 'ipaddr';
interface AttrDef { code: number; type: AttrType; vendor?: number }

export const MIKROTIK_VENDOR = 14988;

/** The attributes a hotspot sends or obeys (FreeRADIUS names). */
const ATTRIBUTES: Record<string, AttrDef> = {
  'User-Name': { code: 1, type: 'string' },
  'User-Password': { code: 2, type: 'octets' },
  'CHAP-Password': { code: 3, type: 'octets' },
  'NAS-IP-Address': { code: 4, type: 'ipaddr' },
  'NAS-Port': { code: 5, type: 'integer' },
  'Service-Type': { code: 6, type: 'integer' },
  'Framed-IP-Address': { code: 8, type: 'ipaddr' },
  'Reply-Message': { code: 18, type: 'string' },
  State: { code: 24, type: 'octets' },
  Class: { code: 25, type: 'octets' },
  'Session-Timeout': { code: 27, type: 'integer' },
  'Idle-Timeout': { code: 28, type: 'integer' },
  'Called-Station-Id': { code: 30, type: 'string' },
  'Calling-Station-Id': { code: 31, type: 'string' },
  'NAS-Identifier': { code: 32, type: 'string' },
  'Acct-Status-Type': { code: 40, type: 'integer' },
  'Acct-Delay-Time': { code: 41, type: 'integer' },
  'Acct-Input-Octets': { code: 42, type: 'integer' },
  'Acct-Output-Octets': { code: 43, type: 'integer' },
  'Acct-Session-Id': { code: 44, type: 'string' },
  'Acct-Authentic': { code: 45, type: 'integer' },
  'Acct-Session-Time': { code: 46, type: 'integer' },
  'Acct-Input-Packets': { code: 47, type: 'integer' },
  'Acct-Output-Packets': { code: 48, type: 'integer' },
  'Acct-Terminate-Cause': { code: 49, type: 'integer' },
  'Acct-Input-Gigawords': { code: 52, type: 'integer' },
  'Acct-Output-Gigawords': { code: 53, type: 'integer' },
  'Event-Timestamp': { code: 55, type: 'integer' },
  'CHAP-Challenge': { code: 60, type: 'octets' },
  'NAS-Port-Type': { code: 61, type: 'integer' },
  'Message-Authenticator': { code: 80, type: 'octets' },
  'Acct-Interim-Interval': { code: 85, type: 'integer' },
  'NAS-Port-Id': { code: 87, type: 'string' },
  'Mikrotik-Recv-Limit': { code: 1, type: 'integer', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Xmit-Limit': { code: 2, type: 'integer', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Group': { code: 3, type: 'string', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Rate-Limit': { code: 8, type: 'string', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Realm': { code: 9, type: 'string', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Host-IP': { code: 10, type: 'ipaddr', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Total-Limit': { code: 17, type: 'integer', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Total-Limit-Gigawords': { code: 18, type: 'integer', vendor: MIKROTIK_VENDOR },
  'Mikrotik-Address-List': { code: 19, type: 'string', vendor: MIKROTIK_VENDOR },
};

const BY_CODE = new Map<string, [string, AttrDef]>(
  Object.entries(ATTRIBUTES).map(([name, def]) => [`${def.vendor ?? 0}:${def.code}`, [name, def]]),
);

/** Acct-Status-Type values. */
export const ACCT_STATUS = { Start: 1, Stop: 2, 'Interim-Update': 3, 'Accounting-On': 7, 'Accounting-Off': 8 } as const;
/** Acct-Terminate-Cause values RouterOS uses. */
export const TERMINATE_CAUSE = {
  'User-Request': 1, 'Lost-Carrier': 2, 'Idle-Timeout': 4, 'Session-Timeout': 5, 'Admin-Reset': 6, 'NAS-Reboot': 11,
} as const;

export type AttrValue = string | number | Buffer;
/** Attributes in order; a name may repeat. */
export type RadiusAttributes = Array<[string, AttrValue]>;

export interface RadiusPacket {
  code: RadiusCode;
  id: number;
  authenticator: Buffer;
  attributes: RadiusAttributes;
}

export class RadiusPacketError extends Error {}

const md5 = (...parts: Buffer[]) => crypto.createHash('md5').update(Buffer.concat(parts)).digest();

function encodeValue(name: string, def: AttrDef, value: AttrValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  switch (def.type) {
    case 'integer': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(Number(value) >>> 0);
      return b;
    }
    case 'ipaddr': {
      const parts = String(value).split('.').map(Number);
      if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RadiusPacketError(`${name}: not an IPv4 address`);
      return Buffer.from(parts);
    }
    default:
      return Buffer.from(String(value), 'utf8');
  }
}

function decodeValue(def: AttrDef, raw: Buffer): AttrValue {
  switch (def.type) {
    case 'integer': return raw.length === 4 ? raw.readUInt32BE(0) : raw;
    case 'ipaddr': return raw.length === 4 ? [...raw].join('.') : raw;
    case 'string': return raw.toString('utf8');
    default: return raw;
  }
}

function encodeAttributes(attributes: RadiusAttributes): Buffer {
  const out: Buffer[] = [];
  for (const [name, value] of attributes) {
    const def = ATTRIBUTES[name];
    if (!def) throw new RadiusPacketError(`unknown attribute ${name}`);
    const data = encodeValue(name, def, value);
    if (def.vendor === undefined) {
      if (data.length > 253) throw new RadiusPacketError(`${name}: value too long`);
      out.push(Buffer.from([def.code, data.length + 2]), data);
    } else {
      if (data.length > 247) throw new RadiusPacketError(`${name}: value too long`);
      const head = Buffer.alloc(8);
      head[0] = 26;
      head[1] = data.length + 8;
      head.writeUInt32BE(def.vendor, 2);
      head[6] = def.code;
      head[7] = data.length + 2;
      out.push(head, data);
    }
  }
  return Buffer.concat(out);
}

/** RFC 2865 §5.2: the password padded to 16 bytes and hidden with MD5(secret + previous block). */
export function hidePassword(password: string, secret: string, authenticator: Buffer): Buffer {
  const plain = Buffer.from(password, 'utf8');
  if (plain.length > 128) throw new RadiusPacketError('User-Password too long');
  const padded = Buffer.alloc(Math.max(16, Math.ceil(plain.length / 16) * 16));
  plain.copy(padded);
  const out = Buffer.alloc(padded.length);
  let previous = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const key = md5(Buffer.from(secret, 'utf8'), previous);
    for (let j = 0; j < 16; j++) out[i + j] = padded[i + j]! ^ key[j]!;
    previous = out.subarray(i, i + 16);
  }
  return out;
}

/** The inverse of hidePassword (the tests' tiny responders use it). */
export function revealPassword(hidden: Buffer, secret: string, authenticator: Buffer): string {
  const out = Buffer.alloc(hidden.length);
  let previous = authenticator;
  for (let i = 0; i < hidden.length; i += 16) {
    const key = md5(Buffer.from(secret, 'utf8'), previous);
    for (let j = 0; j < 16 && i + j < hidden.length; j++) out[i + j] = hidden[i + j]! ^ key[j]!;
    previous = hidden.subarray(i, i + 16);
  }
  const end = out.indexOf(0);
  return out.subarray(0, end < 0 ? out.length : end).toString('utf8');
}

/** CHAP-Password's value: the CHAP id then md5(id + password + challenge). */
export function chapPassword(chapId: number, password: string, challenge: Buffer): Buffer {
  const id = Buffer.from([chapId & 0xff]);
  return Buffer.concat([id, md5(id, Buffer.from(password, 'latin1'), challenge)]);
}

function header(code: number, id: number, length: number, authenticator: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = code;
  h[1] = id & 0xff;
  h.writeUInt16BE(length, 2);
  authenticator.copy(h, 4);
  return h;
}

/** Fills the zeroed Message-Authenticator (HMAC-MD5 over the packet, `authForHmac` in the authenticator field). */
function signMessageAuthenticator(packet: Buffer, secret: string, authForHmac: Buffer): void {
  const offset = findAttribute(packet, 80);
  if (offset < 0) return;
  const copy = Buffer.from(packet);
  authForHmac.copy(copy, 4);
  copy.fill(0, offset + 2, offset + 18);
  crypto.createHmac('md5', secret).update(copy).digest().copy(packet, offset + 2);
}

function findAttribute(packet: Buffer, type: number): number {
  let i = 20;
  while (i + 2 <= packet.length) {
    const len = packet[i + 1]!;
    if (len < 2) return -1;
    if (packet[i] === type) return i;
    i += len;
  }
  return -1;
}

export interface AccessRequestInput {
  id: number;
  secret: string;
  userName: string;
  /** PAP. */
  password?: string;
  /** CHAP: the CHAP id, the challenge the hotspot sent the browser and the browser's md5 answer (16 bytes). */
  chap?: { id: number; challenge: Buffer; response: Buffer };
  /** Attributes besides User-Name and the password ones. */
  attributes?: RadiusAttributes;
  /** Leave Message-Authenticator out (to show the server ignores such a request). */
  withoutMessageAuthenticator?: boolean;
}

export function encodeAccessRequest(input: AccessRequestInput): { packet: Buffer; authenticator: Buffer } {
  const authenticator = crypto.randomBytes(16);
  const attrs: RadiusAttributes = [['User-Name', input.userName]];
  if (input.chap) {
    attrs.push(['CHAP-Password', Buffer.concat([Buffer.from([input.chap.id & 0xff]), input.chap.response])]);
    attrs.push(['CHAP-Challenge', input.chap.challenge]);
  } else {
    attrs.push(['User-Password', hidePassword(input.password ?? '', input.secret, authenticator)]);
  }
  attrs.push(...(input.attributes ?? []));
  if (!input.withoutMessageAuthenticator) attrs.push(['Message-Authenticator', Buffer.alloc(16)]);
  const body = encodeAttributes(attrs);
  const packet = Buffer.concat([header(CODES['Access-Request'], input.id, 20 + body.length, authenticator), body]);
  signMessageAuthenticator(packet, input.secret, authenticator);
  return { packet, authenticator };
}

export function encodeAccountingRequest(input: { id: number; secret: string; attributes: RadiusAttributes }): { packet: Buffer; authenticator: Buffer } {
  const body = encodeAttributes(input.attributes);
  const length = 20 + body.length;
  const zero = Buffer.alloc(16);
  const authenticator = md5(header(CODES['Accounting-Request'], input.id, length, zero), body, Buffer.from(input.secret, 'utf8'));
  return { packet: Buffer.concat([header(CODES['Accounting-Request'], input.id, length, authenticator), body]), authenticator };
}

/** A reply (Accept/Reject/Challenge/Accounting-Response), as a server would build it: the tests' tiny responders. */
export function encodeResponse(input: { code: RadiusCode; id: number; secret: string; requestAuthenticator: Buffer; attributes?: RadiusAttributes }): Buffer {
  const attrs: RadiusAttributes = [...(input.attributes ?? [])];
  const isAccess = input.code !== 'Accounting-Response';
  if (isAccess) attrs.push(['Message-Authenticator', Buffer.alloc(16)]);
  const body = encodeAttributes(attrs);
  const packet = Buffer.concat([header(CODES[input.code], input.id, 20 + body.length, input.requestAuthenticator), body]);
  if (isAccess) signMessageAuthenticator(packet, input.secret, input.requestAuthenticator);
  md5(packet, Buffer.from(input.secret, 'utf8')).copy(packet, 4);
  return packet;
}

/** Parses any RADIUS packet; unknown attributes are kept under `Attr-<type>` / `Vendor-<id>-Attr-<type>`. */
export function decodePacket(buf: Buffer): RadiusPacket {
  if (buf.length < 20) throw new RadiusPacketError('packet too short');
  const length = buf.readUInt16BE(2);
  if (length < 20 || length > buf.length || length > 4096) throw new RadiusPacketError('bad length');
  const code = CODE_NAMES.get(buf[0]!);
  if (!code) throw new RadiusPacketError(`unknown code ${buf[0]}`);
  const attributes: RadiusAttributes = [];
  let i = 20;
  while (i < length) {
    if (i + 2 > length) throw new RadiusPacketError('truncated attribute');
    const type = buf[i]!;
    const len = buf[i + 1]!;
    if (len < 2 || i + len > length) throw new RadiusPacketError('bad attribute length');
    const value = buf.subarray(i + 2, i + len);
    if (type === 26 && value.length >= 6) {
      const vendor = value.readUInt32BE(0);
      let j = 4;
      while (j + 2 <= value.length) {
        const vtype = value[j]!;
        const vlen = value[j + 1]!;
        if (vlen < 2 || j + vlen > value.length) throw new RadiusPacketError('bad vendor attribute length');
        const known = BY_CODE.get(`${vendor}:${vtype}`);
        const raw = Buffer.from(value.subarray(j + 2, j + vlen));
        attributes.push(known ? [known[0], decodeValue(known[1], raw)] : [`Vendor-${vendor}-Attr-${vtype}`, raw]);
        j += vlen;
      }
    } else {
      const known = BY_CODE.get(`0:${type}`);
      const raw = Buffer.from(value);
      attributes.push(known ? [known[0], decodeValue(known[1], raw)] : [`Attr-${type}`, raw]);
    }
    i += len;
  }
  return { code, id: buf[1]!, authenticator: Buffer.from(buf.subarray(4, 20)), attributes };
}

/** Whether a reply really comes from a server that knows the secret (Response Authenticator and, when present, Message-Authenticator). */
export function verifyResponse(buf: Buffer, secret: string, requestAuthenticator: Buffer): boolean {
  if (buf.length < 20) return false;
  const length = buf.readUInt16BE(2);
  if (length > buf.length) return false;
  const packet = Buffer.from(buf.subarray(0, length));
  const given = Buffer.from(packet.subarray(4, 20));
  requestAuthenticator.copy(packet, 4);
  if (!crypto.timingSafeEqual(md5(packet, Buffer.from(secret, 'utf8')), given)) return false;
  const offset = findAttribute(packet, 80);
  if (offset < 0) return true;
  const ma = Buffer.from(packet.subarray(offset + 2, offset + 18));
  packet.fill(0, offset + 2, offset + 18);
  return crypto.timingSafeEqual(crypto.createHmac('md5', secret).update(packet).digest(), ma);
}

/** Whether a request's Message-Authenticator is right (the tests' responders check it as FreeRADIUS does). */
export function verifyRequestMessageAuthenticator(buf: Buffer, secret: string): boolean {
  const packet = Buffer.from(buf.subarray(0, buf.readUInt16BE(2)));
  const offset = findAttribute(packet, 80);
  if (offset < 0) return false;
  const ma = Buffer.from(packet.subarray(offset + 2, offset + 18));
  packet.fill(0, offset + 2, offset + 18);
  return crypto.timingSafeEqual(crypto.createHmac('md5', secret).update(packet).digest(), ma);
}

/** Whether an Accounting-Request's authenticator is right for this secret. */
export function verifyAccountingRequest(buf: Buffer, secret: string): boolean {
  const packet = Buffer.from(buf.subarray(0, buf.readUInt16BE(2)));
  const given = Buffer.from(packet.subarray(4, 20));
  packet.fill(0, 4, 20);
  return crypto.timingSafeEqual(md5(packet, Buffer.from(secret, 'utf8')), given);
}

/** First value of an attribute. */
export function attr(attributes: RadiusAttributes, name: string): AttrValue | undefined {
  return attributes.find(([n]) => n === name)?.[1];
}
