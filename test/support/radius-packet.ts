/**
 * The tests' RADIUS client: Access-Request (PAP or CHAP, with
 * Message-Authenticator) and Accounting-Request over UDP from a chosen source
 * address (a router: any 127.0.0.x on Linux loopback), with the answer decoded.
 * The packets are the simulator's (sim/radius/packet.ts: one codec for the
 * project); this file only sends them and checks the answer came from a
 * holder of the secret.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import {
  ACCT_STATUS, CODES, decodePacket, encodeAccessRequest, encodeAccountingRequest, verifyResponse, type AttrValue, type RadiusAttributes,
} from '../../sim/radius/packet';

export { ACCT_STATUS, CODES };

export type AttributeValue = AttrValue;
export type Attributes = Record<string, AttributeValue>;

export interface RadiusReply {
  code: string;
  /** Each attribute's values in order (most appear once: `attributes['Session-Timeout']?.[0]`). */
  attributes: Record<string, AttributeValue[]>;
  /** The first value of an attribute. */
  get(name: string): AttributeValue | undefined;
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

const asList = (attributes: Attributes): RadiusAttributes => Object.entries(attributes);

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
        if (!verifyResponse(message, options.secret, requestAuthenticator)) return;
        clearTimeout(timer);
        const decoded = decodePacket(message);
        const attributes: Record<string, AttributeValue[]> = {};
        for (const [name, value] of decoded.attributes) (attributes[name] ??= []).push(value);
        resolve({ code: decoded.code, attributes, get: (name) => attributes[name]?.[0] });
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
  const extra: Attributes = { 'NAS-IP-Address': '192.168.88.1', 'NAS-Identifier': 'hotspot', ...options.attributes };
  let chap: { id: number; challenge: Buffer; response: Buffer } | undefined;
  if (options.chap) {
    const id = crypto.randomInt(256);
    const challenge = crypto.randomBytes(16);
    chap = { id, challenge, response: crypto.createHash('md5').update(Buffer.from([id])).update(options.password).update(challenge).digest() };
  }
  const { packet, authenticator } = encodeAccessRequest({
    id: crypto.randomInt(256), secret: options.secret, userName: options.user,
    ...(chap ? { chap } : { password: options.password }), attributes: asList(extra),
  });
  return exchange(packet, authenticator, options);
}

/** Accounting-Request (Start, Interim-Update, Stop…): the authenticator is the MD5 of the packet with the secret. */
export async function accountingRequest(
  options: SendOptions & { status: keyof typeof ACCT_STATUS; user: string; sessionId: string; attributes?: Attributes },
): Promise<RadiusReply | null> {
  const { packet, authenticator } = encodeAccountingRequest({
    id: crypto.randomInt(256), secret: options.secret,
    attributes: asList({
      'User-Name': options.user,
      'Acct-Status-Type': ACCT_STATUS[options.status],
      'Acct-Session-Id': options.sessionId,
      'NAS-IP-Address': '192.168.88.1',
      'NAS-Identifier': 'hotspot',
      ...options.attributes,
    }),
  });
  return exchange(packet, authenticator, options);
}
