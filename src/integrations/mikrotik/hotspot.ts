/**
 * Hotspot operations on a router, over the per-router pool. Every value we
 * write is validated here (ASCII, MAC, IPv4, RouterOS intervals) before it can
 * reach a router, and every command is a fixed word list: client input only
 * ever fills `=key=value` words, never a script.
 */
import { isIPv4 } from 'node:net';
import { ValidationError } from '../../platform/errors';
import { normalizeMac } from '../../platform/mac';
import { assertRouterAscii, toRouterAscii } from './ascii';
import { RouterNoSuchItemError } from './errors';
import { formatRouterDuration } from '../../../shared/routeros-duration';
import { toActiveSession, toProfile, toSystemResource, toUser, USER_PROPLIST } from './mapping';
import type { MikrotikPool } from './pool';
import type {
  ActiveSession, ConnectionTestResult, CreateHotspotUserInput, HotspotProfile, HotspotUser, LoginActiveInput,
  RouterTarget, SystemResource,
} from './types';

const ROUTER_ID = /^\*[0-9A-Fa-f]+$/;
const ROS_INTERVAL = /^(\d+[wdhms])+$|^(\d+d)?\d{1,2}:\d{2}:\d{2}$/;

/** The MAC in the one form routers get; a 4xx naming `field` when it is not one. */
export function routerMac(mac: string, field = 'mac'): string {
  const value = normalizeMac(mac);
  if (!value) throw new ValidationError('Dirección MAC no válida', field);
  return value;
}

function assertIPv4(ip: string, field = 'ip'): string {
  if (!isIPv4(ip)) throw new ValidationError('Dirección IP no válida', field);
  return ip;
}

function limitUptime(value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value <= 0) throw new ValidationError('limit_uptime debe ser un número entero de segundos mayor que cero', 'limit_uptime');
    return formatRouterDuration(value);
  }
  if (!ROS_INTERVAL.test(value)) throw new ValidationError('limit_uptime no es un intervalo de RouterOS válido', 'limit_uptime');
  return value;
}

function limitBytes(value: number | bigint | string): string {
  const text = String(value);
  if (!/^\d+$/.test(text) || BigInt(text) <= 0n) throw new ValidationError('limit_bytes_total debe ser un entero positivo', 'limit_bytes_total');
  return text;
}

function userName(name: string): string {
  if (name.length === 0) throw new ValidationError('El nombre de usuario hotspot es obligatorio', 'name');
  return assertRouterAscii(name, 'name');
}

export class HotspotClient {
  constructor(private readonly pool: MikrotikPool) {}

  /**
   * The same client for background work (voucher jobs): its commands hold at
   * most the router's background share of slots and wait behind paid sales.
   */
  background(): HotspotClient {
    const pool = this.pool;
    return new HotspotClient({ ...pool, run: (router, words, options = {}) => pool.run(router, words, { ...options, background: true }) });
  }

  async listProfiles(router: RouterTarget): Promise<HotspotProfile[]> {
    const rows = await this.pool.run(router, ['/ip/hotspot/user/profile/print']);
    return rows.map(toProfile);
  }

  /**
   * A hotspot user profile of ours (plans the service owns): created when
   * missing, its rate-limit and shared-users set when they differ. Resolves
   * with what was done.
   */
  async ensureProfile(router: RouterTarget, input: { name: string; rateLimit: string | null; sharedUsers: number }): Promise<'created' | 'updated' | 'unchanged'> {
    const name = assertRouterAscii(input.name, 'profile');
    const rateLimit = input.rateLimit === null ? '' : assertRouterAscii(input.rateLimit, 'rate_limit');
    const sharedUsers = String(Math.max(1, Math.floor(input.sharedUsers)));
    const [current] = await this.pool.run(router, ['/ip/hotspot/user/profile/print', `?name=${name}`]);
    if (!current) {
      const words = ['/ip/hotspot/user/profile/add', `=name=${name}`, `=shared-users=${sharedUsers}`];
      if (rateLimit) words.push(`=rate-limit=${rateLimit}`);
      await this.pool.run(router, words);
      return 'created';
    }
    if ((current['rate-limit'] ?? '') === rateLimit && (current['shared-users'] ?? '') === sharedUsers) return 'unchanged';
    await this.pool.run(router, ['/ip/hotspot/user/profile/set', `=.id=${current['.id']}`, `=rate-limit=${rateLimit}`, `=shared-users=${sharedUsers}`]);
    return 'updated';
  }

  async findUserByName(router: RouterTarget, name: string): Promise<HotspotUser | null> {
    const rows = await this.pool.run(router, ['/ip/hotspot/user/print', `=.proplist=${USER_PROPLIST}`, `?name=${userName(name)}`]);
    return rows.length > 0 ? toUser(rows[0]!) : null;
  }

  /** Every hotspot user with its counters (uptime, bytes): the vouchers' usage is read from here. */
  async listUsers(router: RouterTarget): Promise<HotspotUser[]> {
    const rows = await this.pool.run(router, ['/ip/hotspot/user/print', `=.proplist=${USER_PROPLIST}`]);
    return rows.map(toUser);
  }

  /** Creates the user; resolves with its RouterOS id (`*1F`). A duplicate name rejects with RouterDuplicateUserError. */
  async createUser(router: RouterTarget, input: CreateHotspotUserInput): Promise<{ id: string }> {
    const words = [
      '/ip/hotspot/user/add',
      `=name=${userName(input.name)}`,
      `=password=${assertRouterAscii(input.password, 'password')}`,
      `=profile=${assertRouterAscii(input.profile, 'profile')}`,
    ];
    if (input.comment !== undefined) words.push(`=comment=${toRouterAscii(input.comment, 'comment')}`);
    if (input.limitUptime !== undefined) words.push(`=limit-uptime=${limitUptime(input.limitUptime)}`);
    if (input.limitBytesTotal !== undefined) words.push(`=limit-bytes-total=${limitBytes(input.limitBytesTotal)}`);
    if (input.macAddress !== undefined) words.push(`=mac-address=${routerMac(input.macAddress, 'mac_address')}`);
    if (input.server !== undefined) words.push(`=server=${assertRouterAscii(input.server, 'server')}`);
    const rows = await this.pool.run(router, words);
    return { id: rows[0]?.ret ?? '' };
  }

  /** `user` is a name or a RouterOS id (`*1F`). */
  async enableUser(router: RouterTarget, user: string): Promise<void> {
    await this.pool.run(router, ['/ip/hotspot/user/enable', `=numbers=${await this.userId(router, user)}`]);
  }

  async disableUser(router: RouterTarget, user: string): Promise<void> {
    await this.pool.run(router, ['/ip/hotspot/user/disable', `=numbers=${await this.userId(router, user)}`]);
  }

  async removeUser(router: RouterTarget, user: string): Promise<void> {
    await this.pool.run(router, ['/ip/hotspot/user/remove', `=numbers=${await this.userId(router, user)}`]);
  }

  async listActive(router: RouterTarget, filter: { user?: string } = {}): Promise<ActiveSession[]> {
    const words = ['/ip/hotspot/active/print'];
    if (filter.user !== undefined) words.push(`?user=${userName(filter.user)}`);
    const rows = await this.pool.run(router, words);
    return rows.map(toActiveSession);
  }

  /** Logs a device in (`/ip/hotspot/active/login`); a refusal is a RouterTrapError with RouterOS's reason. */
  async loginActive(router: RouterTarget, input: LoginActiveInput): Promise<void> {
    await this.pool.run(router, [
      '/ip/hotspot/active/login',
      `=user=${userName(input.user)}`,
      `=password=${assertRouterAscii(input.password, 'password')}`,
      `=mac-address=${routerMac(input.mac)}`,
      `=ip=${assertIPv4(input.ip)}`,
    ]);
  }

  async removeActive(router: RouterTarget, id: string): Promise<void> {
    if (!ROUTER_ID.test(id)) throw new ValidationError('Identificador de sesión no válido', 'id');
    await this.pool.run(router, ['/ip/hotspot/active/remove', `=.id=${id}`]);
  }

  /** Logs out every session of a user; resolves with how many there were. */
  async removeActiveByUser(router: RouterTarget, user: string): Promise<number> {
    const rows = await this.pool.run(router, ['/ip/hotspot/active/print', '=.proplist=.id', `?user=${userName(user)}`]);
    const ids = rows.map((r) => r['.id']).filter((id): id is string => Boolean(id));
    if (ids.length > 0) await this.pool.run(router, ['/ip/hotspot/active/remove', `=numbers=${ids.join(',')}`]);
    return ids.length;
  }

  async systemResource(router: RouterTarget): Promise<SystemResource> {
    const rows = await this.pool.run(router, ['/system/resource/print']);
    return toSystemResource(rows[0] ?? {});
  }

  async identity(router: RouterTarget): Promise<string> {
    const rows = await this.pool.run(router, ['/system/identity/print']);
    return rows[0]?.name ?? '';
  }

  /**
   * An operator's explicit check: bypasses an open circuit (the operator may just
   * have fixed the router) and its outcome still feeds the breaker. Checks anyone
   * may ask for (the portal's validar-empresa-router) pass `bypassBreaker: false`:
   * an open circuit answers at once.
   */
  async testConnection(router: RouterTarget, options: { bypassBreaker?: boolean } = {}): Promise<ConnectionTestResult> {
    const bypassBreaker = options.bypassBreaker ?? true;
    const started = Date.now();
    const identityRows = await this.pool.run(router, ['/system/identity/print'], { bypassBreaker });
    const resource = toSystemResource((await this.pool.run(router, ['/system/resource/print'], { bypassBreaker }))[0] ?? {});
    return {
      ok: true,
      identity: identityRows[0]?.name ?? '',
      version: resource.version,
      board_name: resource.board_name,
      uptime: resource.uptime,
      latency_ms: Date.now() - started,
    };
  }

  private async userId(router: RouterTarget, user: string): Promise<string> {
    if (ROUTER_ID.test(user)) return user;
    const rows = await this.pool.run(router, ['/ip/hotspot/user/print', '=.proplist=.id', `?name=${userName(user)}`]);
    const id = rows[0]?.['.id'];
    if (!id) throw new RouterNoSuchItemError('no such item', { routerId: router.id });
    return id;
  }
}
