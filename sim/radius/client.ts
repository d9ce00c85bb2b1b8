/**
 * A RADIUS client over UDP, as a router's: one socket bound to a chosen source
 * address (127.0.0.x loopback addresses stand for distinct routers), requests
 * matched to answers by identifier and authenticator, retried like RouterOS
 * (`timeout` per try), answers without the right authenticators dropped (a
 * server that does not know our secret is no server).
 */
import dgram from 'node:dgram';
import {
  decodePacket, encodeAccessRequest, encodeAccountingRequest, verifyResponse,
  type AccessRequestInput, type RadiusAttributes, type RadiusCode,
} from './packet';

export interface RadiusServerAddress {
  address: string;
  authPort: number;
  acctPort: number;
  secret: string;
}

export interface RadiusAnswer {
  code: RadiusCode;
  attributes: RadiusAttributes;
}

export class RadiusTimeoutError extends Error {
  constructor() { super('RADIUS server is not responding'); }
}

interface Pending {
  authenticator: Buffer;
  secret: string;
  resolve: (answer: RadiusAnswer) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

export class RadiusClient {
  private socket?: dgram.Socket;
  private opening?: Promise<dgram.Socket>;
  private nextId = Math.floor(Math.random() * 256);
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly opts: { sourceAddress?: string; timeoutMs?: number; tries?: number } = {}) {}

  private open(): Promise<dgram.Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    this.opening ??= new Promise<dgram.Socket>((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (msg) => this.onMessage(msg));
      socket.once('error', reject);
      socket.bind({ address: this.opts.sourceAddress ?? '127.0.0.1', port: 0 }, () => {
        socket.removeListener('error', reject);
        socket.on('error', () => { /* a router's RADIUS client survives ICMP errors */ });
        this.socket = socket;
        resolve(socket);
      });
    });
    return this.opening;
  }

  private onMessage(msg: Buffer): void {
    if (msg.length < 20) return;
    const p = this.pending.get(msg[1]!);
    if (!p || !verifyResponse(msg, p.secret, p.authenticator)) return;
    let decoded;
    try { decoded = decodePacket(msg); } catch { return; }
    this.pending.delete(msg[1]!);
    if (p.timer) clearTimeout(p.timer);
    p.resolve({ code: decoded.code, attributes: decoded.attributes });
  }

  private allocateId(): number {
    for (let i = 0; i < 256; i++) {
      const id = (this.nextId++) & 0xff;
      if (!this.pending.has(id)) return id;
    }
    throw new Error('RADIUS: 256 requests in flight');
  }

  private async exchange(port: number, server: RadiusServerAddress, build: (id: number) => { packet: Buffer; authenticator: Buffer }): Promise<RadiusAnswer> {
    const socket = await this.open();
    const id = this.allocateId();
    const { packet, authenticator } = build(id);
    const timeoutMs = this.opts.timeoutMs ?? 3000;
    const tries = this.opts.tries ?? 2;
    return new Promise<RadiusAnswer>((resolve, reject) => {
      const p: Pending = { authenticator, secret: server.secret, resolve, reject };
      this.pending.set(id, p);
      let attempt = 0;
      const send = () => {
        if (this.pending.get(id) !== p) return;
        if (attempt++ >= tries) {
          this.pending.delete(id);
          reject(new RadiusTimeoutError());
          return;
        }
        socket.send(packet, port, server.address);
        p.timer = setTimeout(send, timeoutMs);
      };
      send();
    });
  }

  accessRequest(server: RadiusServerAddress, input: Omit<AccessRequestInput, 'id' | 'secret'>): Promise<RadiusAnswer> {
    return this.exchange(server.authPort, server, (id) => encodeAccessRequest({ ...input, id, secret: server.secret }));
  }

  accountingRequest(server: RadiusServerAddress, attributes: RadiusAttributes): Promise<RadiusAnswer> {
    return this.exchange(server.acctPort, server, (id) => encodeAccountingRequest({ id, secret: server.secret, attributes }));
  }

  close(): void {
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error('RADIUS client closed'));
    }
    this.pending.clear();
    this.socket?.close();
    this.socket = undefined;
    this.opening = undefined;
  }
}
