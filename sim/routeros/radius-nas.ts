/**
 * The simulated router as a RADIUS client (NAS), what a MikroTik hotspot does
 * with `/radius add service=hotspot …` and `use-radius=yes` on its hotspot
 * server profile:
 *
 * - a login with no matching local user becomes an Access-Request (PAP, or
 *   CHAP with the browser's answer and the hotspot's challenge), from the
 *   `src-address` of the `/radius` entry, with NAS-Identifier = identity;
 * - an Access-Accept opens an active session (`radius=true`) that obeys
 *   Session-Timeout (a timer: fake clocks move it) and keeps Mikrotik-Group,
 *   Mikrotik-Rate-Limit and Idle-Timeout;
 * - accounting: Start at login, Interim-Update every Acct-Interim-Interval
 *   (or the profile's `radius-interim-update`), Stop when the session ends
 *   (timeout, `/ip/hotspot/active/remove`, logout), nothing at a reboot.
 */
import { RadiusClient, RadiusTimeoutError, type RadiusServerAddress } from '../radius/client';
import { ACCT_STATUS, attr, TERMINATE_CAUSE, type RadiusAttributes } from '../radius/packet';
import { parseRouterDuration } from '../../shared/routeros-duration';

export type RadiusLoginCredentials =
  | { password: string; chap?: undefined }
  | { password?: undefined; chap: { id: number; challenge: Buffer; response: Buffer } };

export interface RadiusSessionInfo {
  user: string;
  address: string;
  mac: string;
  server: string;
  acctSessionId: string;
  since: number;
  sessionTimeout?: number;
  idleTimeout?: number;
  interim?: number;
  rateLimit?: string;
  group?: string;
  class?: Buffer;
  bytesIn: () => number;
  bytesOut: () => number;
  packetsIn: () => number;
  packetsOut: () => number;
}

export interface RadiusStats {
  accessRequests: number;
  accepts: number;
  rejects: number;
  timeouts: number;
  accountingSent: Record<'Start' | 'Interim-Update' | 'Stop' | 'Accounting-On', number>;
  accountingFailed: number;
}

export type RadiusOutcome =
  | { ok: true; attributes: RadiusAttributes }
  | { ok: false; message: string };

interface Timers { timeout?: NodeJS.Timeout; interim?: NodeJS.Timeout }

export class RadiusNas {
  stats: RadiusStats = RadiusNas.freshStats();
  private readonly clients = new Map<string, RadiusClient>();
  private readonly timers = new Map<string, Timers>();

  constructor(private readonly host: {
    identity: () => string;
    nasIpAddress: () => string;
    server: () => RadiusServerAddress & { srcAddress?: string; timeoutMs: number } | undefined;
    interimFromProfile: () => number | undefined;
    /** Ends the active session the way a timeout does (the NAS calls back into the router state). */
    expire: (activeId: string) => void;
  }) {}

  private static freshStats(): RadiusStats {
    return {
      accessRequests: 0, accepts: 0, rejects: 0, timeouts: 0,
      accountingSent: { Start: 0, 'Interim-Update': 0, Stop: 0, 'Accounting-On': 0 }, accountingFailed: 0,
    };
  }

  private clientFor(src: string | undefined, timeoutMs: number): RadiusClient {
    const key = `${src ?? ''}/${timeoutMs}`;
    let c = this.clients.get(key);
    if (!c) {
      c = new RadiusClient({ sourceAddress: src, timeoutMs, tries: 2 });
      this.clients.set(key, c);
    }
    return c;
  }

  get enabled(): boolean {
    return this.host.server() !== undefined;
  }

  /** Access-Request for a hotspot login. */
  async authenticate(input: { user: string; ip: string; mac: string; server: string; acctSessionId: string; credentials: RadiusLoginCredentials }): Promise<RadiusOutcome> {
    const server = this.host.server();
    if (!server) return { ok: false, message: 'invalid username or password' };
    const client = this.clientFor(server.srcAddress, server.timeoutMs);
    this.stats.accessRequests++;
    try {
      const answer = await client.accessRequest(server, {
        userName: input.user,
        password: input.credentials.password,
        chap: input.credentials.chap,
        attributes: [
          ['Service-Type', 1],
          ['Calling-Station-Id', input.mac],
          ['Called-Station-Id', input.server],
          ['NAS-Port-Type', 19],
          ['NAS-Port', 2148532225],
          ['NAS-Port-Id', 'bridge-hotspot'],
          ['Acct-Session-Id', input.acctSessionId],
          ['Framed-IP-Address', input.ip],
          ['Mikrotik-Host-IP', input.ip],
          ['NAS-Identifier', this.host.identity()],
          ['NAS-IP-Address', this.host.nasIpAddress()],
        ],
      });
      if (answer.code === 'Access-Accept') {
        this.stats.accepts++;
        return { ok: true, attributes: answer.attributes };
      }
      this.stats.rejects++;
      const reply = attr(answer.attributes, 'Reply-Message');
      // RouterOS shows the server's Reply-Message when it sends one.
      return { ok: false, message: typeof reply === 'string' && reply ? reply : 'invalid username or password' };
    } catch (err) {
      if (err instanceof RadiusTimeoutError) {
        this.stats.timeouts++;
        return { ok: false, message: 'RADIUS server is not responding' };
      }
      throw err;
    }
  }

  /** After an Access-Accept: the session's limits from the answer, Start sent, timers armed. */
  started(activeId: string, session: RadiusSessionInfo): void {
    const timers: Timers = {};
    this.timers.set(activeId, timers);
    if (session.sessionTimeout !== undefined) {
      timers.timeout = setTimeout(() => this.host.expire(activeId), session.sessionTimeout * 1000);
    }
    const interim = session.interim ?? this.host.interimFromProfile();
    if (interim && interim > 0) {
      const tick = () => {
        this.account('Interim-Update', session);
        timers.interim = setTimeout(tick, interim * 1000);
      };
      timers.interim = setTimeout(tick, interim * 1000);
    }
    this.account('Start', session);
  }

  /** The session ended: timers cleared and, unless the router went down, Stop sent. */
  ended(activeId: string, session: RadiusSessionInfo, cause: keyof typeof TERMINATE_CAUSE | null): void {
    this.clearTimers(activeId);
    if (cause) this.account('Stop', session, cause);
  }

  private clearTimers(activeId: string): void {
    const t = this.timers.get(activeId);
    if (t?.timeout) clearTimeout(t.timeout);
    if (t?.interim) clearTimeout(t.interim);
    this.timers.delete(activeId);
  }

  /** Accounting-On, what a router sends when it boots with RADIUS accounting. */
  accountingOn(): void {
    this.send('Accounting-On', [
      ['Acct-Status-Type', ACCT_STATUS['Accounting-On']],
      ['NAS-Identifier', this.host.identity()],
      ['NAS-IP-Address', this.host.nasIpAddress()],
      ['Acct-Session-Id', '00000000'],
      ['Event-Timestamp', Math.floor(Date.now() / 1000)],
    ]);
  }

  private account(type: 'Start' | 'Interim-Update' | 'Stop', s: RadiusSessionInfo, cause?: keyof typeof TERMINATE_CAUSE): void {
    const attrs: RadiusAttributes = [
      ['Acct-Status-Type', ACCT_STATUS[type]],
      ['User-Name', s.user],
      ['Acct-Session-Id', s.acctSessionId],
      ['Calling-Station-Id', s.mac],
      ['Called-Station-Id', s.server],
      ['Framed-IP-Address', s.address],
      ['NAS-Port-Type', 19],
      ['NAS-Port', 2148532225],
      ['NAS-Port-Id', 'bridge-hotspot'],
      ['Acct-Authentic', 1],
      ['NAS-Identifier', this.host.identity()],
      ['NAS-IP-Address', this.host.nasIpAddress()],
      ['Event-Timestamp', Math.floor(Date.now() / 1000)],
      ['Acct-Delay-Time', 0],
    ];
    if (s.class) attrs.push(['Class', s.class]);
    if (type !== 'Start') {
      const octets = (n: number) => [n % 2 ** 32, Math.floor(n / 2 ** 32)] as const;
      const [inLow, inHigh] = octets(s.bytesIn());
      const [outLow, outHigh] = octets(s.bytesOut());
      attrs.push(
        ['Acct-Session-Time', Math.floor((Date.now() - s.since) / 1000)],
        ['Acct-Input-Octets', inLow], ['Acct-Input-Gigawords', inHigh],
        ['Acct-Output-Octets', outLow], ['Acct-Output-Gigawords', outHigh],
        ['Acct-Input-Packets', s.packetsIn()], ['Acct-Output-Packets', s.packetsOut()],
      );
    }
    if (type === 'Stop' && cause) attrs.push(['Acct-Terminate-Cause', TERMINATE_CAUSE[cause]]);
    this.send(type, attrs);
  }

  private send(type: keyof RadiusStats['accountingSent'], attrs: RadiusAttributes): void {
    const server = this.host.server();
    if (!server) return;
    this.stats.accountingSent[type]++;
    this.clientFor(server.srcAddress, server.timeoutMs).accountingRequest(server, attrs)
      .catch(() => { this.stats.accountingFailed++; });
  }

  /** The router went down: no Stop, no timers (a reboot as the RADIUS server sees it). */
  dropAll(): void {
    for (const id of [...this.timers.keys()]) this.clearTimers(id);
  }

  close(): void {
    this.dropAll();
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/** Seconds from a reply attribute, or undefined. */
export function secondsAttr(attributes: RadiusAttributes, name: string): number | undefined {
  const v = attr(attributes, name);
  return typeof v === 'number' ? v : undefined;
}

/** RouterOS's `radius-interim-update` (`received` = only what the server sends). */
export function interimSeconds(value: string | undefined): number | undefined {
  if (!value || value === 'received' || value === '0s') return undefined;
  return parseRouterDuration(value) ?? undefined;
}
