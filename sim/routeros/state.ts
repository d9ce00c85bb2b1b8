/**
 * The simulated router's configuration and runtime state: hotspot users, user
 * profiles, active sessions, identity, plus counters the tests inspect. All
 * rule checks live here (with RouterOS's own error texts) so seeding from a test
 * and a command arriving over the API behave the same.
 */
import { attr } from '../radius/packet';
import { interimSeconds, RadiusNas, secondsAttr, type RadiusLoginCredentials, type RadiusSessionInfo } from './radius-nas';
import { formatRouterDuration, parseRouterDuration } from '../../shared/routeros-duration';
import { HotspotServerProfiles } from './trial';

/** A `!trap` RouterOS would send: the message text and, when RouterOS sets one, its category. */
export class RosTrap extends Error {
  constructor(message: string, readonly category?: number) {
    super(message);
  }
}

export type RosRecord = Record<string, string>;

export interface SimCounters {
  connectionsAccepted: number;
  connectionsOpen: number;
  loginsSucceeded: number;
  loginsFailed: number;
  /** Every sentence received, login included. */
  commandsTotal: number;
  /** Sentences received, by command word (e.g. "/ip/hotspot/user/add"). */
  commands: Record<string, number>;
  /** Commands received whose reply has not been sent yet, across all connections. */
  inFlight: number;
  /** Highest `inFlight` seen since start (or the last resetCounters()). */
  maxInFlight: number;
  /** Connections dropped by the dropAfterApply fault. */
  droppedAfterApply: number;
}

export interface SimUserInput {
  name: string;
  password?: string;
  profile?: string;
  comment?: string;
  server?: string;
  'limit-uptime'?: string;
  'limit-bytes-total'?: string;
  'limit-bytes-in'?: string;
  'limit-bytes-out'?: string;
  'mac-address'?: string;
  disabled?: string;
  email?: string;
  address?: string;
}

export type SimProfileInput = { name: string } & Record<string, string>;

const USER_FIELDS = new Set([
  'name', 'password', 'profile', 'comment', 'server', 'limit-uptime', 'limit-bytes-total',
  'limit-bytes-in', 'limit-bytes-out', 'mac-address', 'disabled', 'email', 'address',
]);

/** What RouterOS 6.49/7.x prints for the factory `default` hotspot user profile. */
const DEFAULT_PROFILE: RosRecord = {
  name: 'default',
  'address-pool': 'none',
  'idle-timeout': 'none',
  'keepalive-timeout': '2m',
  'status-autorefresh': '1m',
  'shared-users': '1',
  'add-mac-cookie': 'true',
  'mac-cookie-timeout': '3d',
  'address-list': '',
  'transparent-proxy': 'false',
  'open-status-page': 'always',
  'insert-queue-before': 'first',
  'parent-queue': 'none',
  default: 'true',
};

const PROFILE_DURATIONS = ['session-timeout', 'idle-timeout', 'keepalive-timeout', 'status-autorefresh', 'mac-cookie-timeout'];

function hexId(n: number): string {
  return `*${n.toString(16).toUpperCase()}`;
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === 'yes';
}

function normalizeBool(key: string, value: string): string {
  if (value === 'true' || value === 'yes') return 'true';
  if (value === 'false' || value === 'no') return 'false';
  throw new RosTrap(`value of ${key} must be yes or no`, 1);
}

function normalizeDuration(key: string, value: string): string {
  if (value === 'none' || value === '') return 'none';
  const seconds = parseRouterDuration(value);
  if (seconds === null) throw new RosTrap(`value of ${key} must be time interval`, 1);
  return formatRouterDuration(seconds);
}

function normalizeMac(value: string): string {
  if (!/^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(value)) throw new RosTrap('invalid value of mac-address, mac address required', 1);
  return value.replace(/-/g, ':').toUpperCase();
}

function normalizeBytes(key: string, value: string): string {
  const m = /^(\d+)([kKMG]?)$/.exec(value);
  if (!m) throw new RosTrap(`value of ${key} must be a number`, 1);
  const mult = { '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!]!;
  return String(BigInt(m[1]!) * BigInt(mult));
}

/** `/radius` entry fields RouterOS accepts (the ones a hotspot setup uses). */
export const RADIUS_FIELDS = new Set([
  'service', 'address', 'secret', 'authentication-port', 'accounting-port', 'timeout', 'src-address',
  'disabled', 'comment', 'protocol', 'called-id', 'domain', 'realm', 'accounting-backup', 'require-message-auth',
]);

/** `/ip/hotspot/profile` (the hotspot server profile, not the user profile) fields. */
export const HOTSPOT_PROFILE_FIELDS = new Set([
  'name', 'hotspot-address', 'dns-name', 'html-directory', 'html-directory-override', 'login-by', 'use-radius',
  'radius-accounting', 'radius-interim-update', 'radius-default-domain', 'radius-location-id', 'radius-location-name',
  'radius-mac-format', 'nas-port-type', 'http-cookie-lifetime', 'split-user-domain', 'smtp-server', 'rate-limit',
  'http-proxy', 'https-redirect', 'ssl-certificate', 'trial-uptime-limit', 'trial-uptime-reset', 'trial-user-profile',
  'mac-auth-mode', 'mac-auth-password', 'install-hotspot-queue', 'use-radius-for-mac-auth',
]);

/** What `radius=…` the simulator is started with, as if `/radius add` and `use-radius=yes` had been run. */
export interface SimRadiusInput {
  address: string;
  secret: string;
  authPort: number;
  acctPort: number;
  /** The router's source address for RADIUS (`src-address`): 127.0.0.x stands for a router's public address. */
  srcAddress?: string;
  /** `radius-interim-update` of the hotspot profile (e.g. "1m"); default "received". */
  interimUpdate?: string;
  timeout?: string;
}

export interface ActiveSession extends RosRecord {
  '.id': string;
  user: string;
  address: string;
  'mac-address': string;
}

export class RouterState {
  identity: string;
  readonly version: string;
  readonly servers: string[];
  readonly startedAt = Date.now();
  counters: SimCounters = RouterState.freshCounters();

  private readonly users = new Map<string, RosRecord>();
  private readonly profiles = new Map<string, RosRecord>();
  private readonly active = new Map<string, RosRecord & { since: string }>();
  /** Server profiles, hotspot servers and the trial login (sim/routeros/trial.ts). */
  readonly hotspot: HotspotServerProfiles;
  private readonly radiusEntries = new Map<string, RosRecord>();
  private readonly hotspotProfiles = new Map<string, RosRecord>();
  private readonly radiusSessions = new Map<string, RadiusSessionInfo>();
  private nextRadiusId = 1;
  private nextHotspotProfileId = 1;
  private nextAcctSession = 0x81a00000;
  /** The address the router puts in NAS-IP-Address (what it says about itself; never trusted by a server). */
  nasIpAddress = '192.168.88.1';
  /** The RADIUS client (NAS) side: Access-Request, accounting, Session-Timeout. */
  readonly radius: RadiusNas;
  private nextUserId = 1;
  private nextProfileId = 1;
  private nextActiveId = 1;

  constructor(opts: { identity?: string; version: string; servers?: string[]; profiles?: SimProfileInput[]; users?: SimUserInput[]; radius?: SimRadiusInput }) {
    this.identity = opts.identity ?? 'MikroTik';
    this.version = opts.version;
    this.servers = opts.servers ?? ['hotspot1'];
    this.profiles.set('*0', { '.id': '*0', ...DEFAULT_PROFILE });
    for (const p of opts.profiles ?? []) this.addProfile(p);
    for (const u of opts.users ?? []) this.addUser(u);
    this.hotspot = new HotspotServerProfiles(this.servers, (name) => Boolean(this.profileNamed(name)), RosTrap);
    this.addHotspotProfile({ name: 'hsprof1' });
    this.radius = new RadiusNas({
      identity: () => this.identity,
      nasIpAddress: () => this.nasIpAddress,
      server: () => this.radiusServer(),
      interimFromProfile: () => interimSeconds(this.radiusProfile()?.['radius-interim-update']),
      expire: (id) => this.endActive(id, 'Session-Timeout'),
    });
    if (opts.radius) {
      const r = opts.radius;
      this.addRadius({
        service: 'hotspot', address: r.address, secret: r.secret, 'authentication-port': String(r.authPort),
        'accounting-port': String(r.acctPort), ...(r.srcAddress ? { 'src-address': r.srcAddress } : {}), timeout: r.timeout ?? '3s',
      });
      this.setHotspotProfile('hsprof1', { 'use-radius': 'yes', 'radius-accounting': 'yes', 'radius-interim-update': r.interimUpdate ?? 'received' });
    }
  }

  // ---- RADIUS client configuration (/radius, /ip/hotspot/profile) ----

  get radiusList(): RosRecord[] { return [...this.radiusEntries.values()].map((r) => ({ ...r })); }
  get hotspotProfileList(): RosRecord[] { return [...this.hotspotProfiles.values()].map((p) => ({ ...p })); }

  addRadius(input: RosRecord): string {
    for (const key of Object.keys(input)) if (!RADIUS_FIELDS.has(key)) throw new RosTrap(`unknown parameter ${key}`);
    if (!input.address) throw new RosTrap('failure: address must be specified');
    const service = (input.service ?? '').split(',').filter(Boolean);
    const known = ['hotspot', 'login', 'ppp', 'wireless', 'dhcp', 'ipsec', 'dot1x'];
    if (service.some((s) => !known.includes(s))) throw new RosTrap('input does not match any value of service', 1);
    for (const key of ['authentication-port', 'accounting-port']) {
      if (input[key] !== undefined && !/^\d{1,5}$/.test(input[key]!)) throw new RosTrap(`value of ${key} must be a number`, 1);
    }
    const id = hexId(this.nextRadiusId++);
    this.radiusEntries.set(id, {
      '.id': id, service: service.join(','), 'called-id': '', domain: '', secret: '', 'authentication-port': '1812',
      'accounting-port': '1813', timeout: '300ms', 'accounting-backup': 'false', realm: '', 'src-address': '0.0.0.0',
      disabled: 'false', comment: '', ...input, address: input.address,
    });
    return id;
  }

  removeRadius(id: string): void {
    if (!this.radiusEntries.delete(id)) throw new RosTrap('no such item');
  }

  resolveRadius(numbers: string): string[] {
    return numbers.split(',').map((ref) => {
      if (!this.radiusEntries.has(ref)) throw new RosTrap('no such item');
      return ref;
    });
  }

  addHotspotProfile(input: RosRecord): string {
    if (!input.name) throw new RosTrap('failure: name must be specified');
    if ([...this.hotspotProfiles.values()].some((p) => p.name === input.name)) throw new RosTrap('failure: already have profile with this name');
    const id = hexId(this.nextHotspotProfileId++);
    this.hotspotProfiles.set(id, {
      '.id': id, name: input.name, 'hotspot-address': '10.5.50.1', 'dns-name': '', 'html-directory': 'hotspot',
      'login-by': 'cookie,http-chap', 'use-radius': 'false', 'radius-accounting': 'true', 'radius-interim-update': 'received',
      default: 'false',
    });
    this.setHotspotProfile(id, input);
    return id;
  }

  setHotspotProfile(ref: string, input: RosRecord): void {
    const profile = this.hotspotProfiles.get(ref) ?? [...this.hotspotProfiles.values()].find((p) => p.name === ref);
    if (!profile) throw new RosTrap('no such item');
    for (const [key, value] of Object.entries(input)) {
      if (key === '.id' || key === 'numbers') continue;
      if (!HOTSPOT_PROFILE_FIELDS.has(key)) throw new RosTrap(`unknown parameter ${key}`);
      if (key === 'use-radius' || key === 'radius-accounting') profile[key] = normalizeBool(key, value);
      else if (key === 'radius-interim-update') profile[key] = value === 'received' ? value : normalizeDuration(key, value);
      else profile[key] = value;
    }
  }

  private radiusProfile(): RosRecord | undefined {
    return [...this.hotspotProfiles.values()].find((p) => isTrue(p['use-radius']));
  }

  /** The first enabled hotspot RADIUS server, when a hotspot profile uses RADIUS. */
  private radiusServer() {
    if (!this.radiusProfile()) return undefined;
    const entry = [...this.radiusEntries.values()].find((r) => !isTrue(r.disabled) && r.service!.split(',').includes('hotspot'));
    if (!entry) return undefined;
    const src = entry['src-address'];
    return {
      address: entry.address!,
      secret: entry.secret ?? '',
      authPort: Number(entry['authentication-port']),
      acctPort: Number(entry['accounting-port']),
      srcAddress: src && src !== '0.0.0.0' ? src : undefined,
      timeoutMs: (parseRouterDuration(entry.timeout ?? '') ?? 0) * 1000 || Number(/^(\d+)ms$/.exec(entry.timeout ?? '')?.[1] ?? 300),
    };
  }

  private static freshCounters(): SimCounters {
    return {
      connectionsAccepted: 0, connectionsOpen: 0, loginsSucceeded: 0, loginsFailed: 0,
      commandsTotal: 0, commands: {}, inFlight: 0, maxInFlight: 0, droppedAfterApply: 0,
    };
  }

  /** Zero the counters except the gauges of what is open right now. */
  resetCounters(): void {
    const { connectionsOpen, inFlight } = this.counters;
    this.counters = { ...RouterState.freshCounters(), connectionsOpen, inFlight, maxInFlight: inFlight };
  }

  // ---- inspection (copies, so tests cannot corrupt the state by accident) ----

  get userList(): RosRecord[] { return [...this.users.values()].map((u) => ({ ...u })); }
  get profileList(): RosRecord[] { return [...this.profiles.values()].map((p) => ({ ...p })); }
  get activeList(): RosRecord[] { return [...this.active.keys()].map((id) => this.printActive(id)); }
  findUser(name: string): RosRecord | undefined {
    const u = [...this.users.values()].find((x) => x.name === name);
    return u ? { ...u } : undefined;
  }

  /** Test/demo helper: a user's counters as if the customer had been online (uptime in seconds). */
  recordUsage(name: string, usage: { uptimeSeconds?: number; bytesIn?: number; bytesOut?: number }): void {
    const user = [...this.users.values()].find((x) => x.name === name);
    if (!user) throw new RosTrap('no such item');
    if (usage.uptimeSeconds !== undefined) user.uptime = formatRouterDuration(usage.uptimeSeconds);
    if (usage.bytesIn !== undefined) user['bytes-in'] = String(usage.bytesIn);
    if (usage.bytesOut !== undefined) user['bytes-out'] = String(usage.bytesOut);
  }

  // ---- profiles ----

  addProfile(input: SimProfileInput): string {
    if ([...this.profiles.values()].some((p) => p.name === input.name)) throw new RosTrap('failure: already have profile with this name');
    const record: RosRecord = { ...DEFAULT_PROFILE, default: 'false' };
    for (const [key, value] of Object.entries(input)) {
      record[key] = PROFILE_DURATIONS.includes(key) ? normalizeDuration(key, value) : value;
    }
    const id = hexId(this.nextProfileId++);
    this.profiles.set(id, { '.id': id, ...record });
    return id;
  }

  printProfiles(): RosRecord[] {
    return this.profileList;
  }

  /** `/ip/hotspot/user/profile/set`: durations normalised; the name stays unique. */
  setProfile(id: string, input: Record<string, string>): void {
    const current = this.profiles.get(id);
    if (!current) throw new RosTrap('no such item');
    if (input.name && [...this.profiles.values()].some((p) => p.name === input.name && p['.id'] !== id)) throw new RosTrap('failure: already have profile with this name');
    for (const [key, value] of Object.entries(input)) current[key] = PROFILE_DURATIONS.includes(key) ? normalizeDuration(key, value) : value;
  }

  /** `/ip/hotspot/user/profile/remove`: not the default one, nor one a user or a server profile's trial uses. */
  removeProfile(id: string): void {
    const current = this.profiles.get(id);
    if (!current) throw new RosTrap('no such item');
    if (current.default === 'true') throw new RosTrap('failure: cannot remove default profile');
    if (this.hotspot.profileList.some((p) => p['trial-user-profile'] === current.name)) throw new RosTrap('failure: profile is used by hotspot server profile');
    this.profiles.delete(id);
  }

  resolveProfiles(numbers: string): string[] {
    return numbers.split(',').map((ref) => {
      if (this.profiles.has(ref)) return ref;
      const byName = this.profileNamed(ref);
      if (!byName) throw new RosTrap('no such item');
      return byName['.id']!;
    });
  }

  /**
   * A device takes the router's trial on the login page: a dynamic `T-<MAC>`
   * user on the trial user profile, logged in `by trial` (once per device and
   * `trial-uptime-reset`; refused when the server profile has no `trial`).
   */
  loginTrial(args: { ip: string; mac: string; server?: string }): string {
    const mac = normalizeMac(args.mac);
    if ([...this.active.values()].some((s) => s.address === args.ip)) throw new RosTrap('host already logged in');
    const trial = this.hotspot.trialLogin(args.server, mac);
    const profile = this.profileNamed(trial.profile);
    this.trialUser(trial.user, trial.profile, mac, args.server);
    const id = hexId(this.nextActiveId++);
    this.active.set(id, {
      '.id': id, server: args.server ?? this.servers[0] ?? 'hotspot1', user: trial.user, domain: '', address: args.ip, 'mac-address': mac,
      'login-by': 'trial', 'keepalive-timeout': profile?.['keepalive-timeout'] ?? '2m', 'session-time-left': formatRouterDuration(trial.uptimeLimitSeconds),
      'bytes-in': '0', 'bytes-out': '0', 'packets-in': '0', 'packets-out': '0', radius: 'false', since: String(Date.now()),
    });
    return id;
  }

  /**
   * RouterOS keeps a trial's counters in a dynamic `/ip/hotspot/user` entry
   * named `T-<MAC>` on the trial user profile (flag D in WinBox), there for the
   * rest of the device's `trial-uptime-reset` period; a new period starts it
   * from zero. (`/ip/hotspot/host` has no user name: the device shows there as
   * an authorized host, see printHosts.)
   */
  private trialUser(name: string, profile: string, mac: string, server: string | undefined): void {
    const existing = [...this.users.values()].find((u) => u.name === name);
    if (existing) {
      Object.assign(existing, { profile, uptime: '0s', 'bytes-in': '0', 'bytes-out': '0', 'packets-in': '0', 'packets-out': '0' });
      return;
    }
    const id = hexId(this.nextUserId++);
    this.users.set(id, {
      '.id': id, server: server ?? this.servers[0] ?? 'hotspot1', name, password: '', profile, 'mac-address': mac, uptime: '0s',
      'bytes-in': '0', 'bytes-out': '0', 'packets-in': '0', 'packets-out': '0', dynamic: 'true', disabled: 'false',
    });
  }

  /** Test helper: a device's trial period ends (`trial-uptime-reset` passed): its dynamic `T-<MAC>` user goes, and it may take the trial again. */
  endTrialPeriod(mac: string): void {
    const normalized = normalizeMac(mac);
    this.hotspot.resetTrial(normalized);
    for (const [id, u] of this.users) if (u.dynamic === 'true' && u.name === `T-${normalized}`) this.users.delete(id);
  }

  /**
   * `/ip/hotspot/host`: every device the hotspot sees; logged-in ones (a trial
   * too) are `authorized`. RouterOS prints no user name here: which login a
   * host used is in `/ip/hotspot/active` (`login-by=trial`, user `T-<MAC>`).
   */
  printHosts(): RosRecord[] {
    return [...this.active.values()].map((s, i) => ({
      '.id': hexId(i + 1), 'mac-address': s['mac-address']!, address: s.address!, 'to-address': s.address!, server: s.server!,
      'found-by': 'DHCP', authorized: 'true', bypassed: 'false', uptime: formatRouterDuration(Math.floor((Date.now() - Number(s.since)) / 1000)),
      'idle-time': '0s', 'keepalive-timeout': s['keepalive-timeout'] ?? '2m', 'host-dead-time': '0s', dynamic: 'true',
    }));
  }

  private profileNamed(name: string): RosRecord | undefined {
    return [...this.profiles.values()].find((p) => p.name === name);
  }

  // ---- hotspot users ----

  printUsers(): RosRecord[] {
    // A trial's dynamic T-<MAC> user lasts until its trial-uptime-reset period is over.
    for (const [id, u] of this.users) {
      if (u.dynamic === 'true' && u.name?.startsWith('T-') && !this.hotspot.inTrialPeriod(u.name.slice(2))) this.users.delete(id);
    }
    return this.userList;
  }

  addUser(input: SimUserInput | RosRecord): string {
    const fields = this.validateUserFields(input as Record<string, string | undefined>, undefined);
    if (!fields.name) throw new RosTrap('failure: user name must be specified');
    const id = hexId(this.nextUserId++);
    const record: RosRecord = {
      '.id': id,
      server: 'all',
      name: fields.name,
      password: '',
      profile: 'default',
      uptime: '0s',
      'bytes-in': '0',
      'bytes-out': '0',
      'packets-in': '0',
      'packets-out': '0',
      dynamic: 'false',
      disabled: 'false',
      ...fields,
    };
    this.users.set(id, record);
    return id;
  }

  setUser(id: string, input: RosRecord): void {
    const current = this.users.get(id);
    if (!current) throw new RosTrap('no such item');
    Object.assign(current, this.validateUserFields(input, id));
  }

  removeUser(id: string): void {
    if (!this.users.delete(id)) throw new RosTrap('no such item');
  }

  /** Resolves a `numbers` value (comma-separated ids or names) to ids; `no such item` if any is unknown. */
  resolveUsers(numbers: string): string[] {
    return numbers.split(',').map((ref) => {
      if (this.users.has(ref)) return ref;
      const byName = [...this.users.values()].find((u) => u.name === ref);
      if (!byName) throw new RosTrap('no such item');
      return byName['.id']!;
    });
  }

  private validateUserFields(input: Record<string, string | undefined>, selfId: string | undefined): RosRecord {
    const out: RosRecord = {};
    for (const [key, raw] of Object.entries(input)) {
      if (raw === undefined || key === '.id' || key === 'numbers') continue;
      if (!USER_FIELDS.has(key)) throw new RosTrap(`unknown parameter ${key}`);
      const value = String(raw);
      switch (key) {
        case 'name':
          if (value === '') throw new RosTrap('failure: user name must be specified');
          if ([...this.users.values()].some((u) => u.name === value && u['.id'] !== selfId)) {
            throw new RosTrap('failure: already have user with this name');
          }
          out.name = value;
          break;
        case 'profile':
          if (!this.profileNamed(value)) throw new RosTrap('input does not match any value of profile', 1);
          out.profile = value;
          break;
        case 'server':
          if (value !== 'all' && !this.servers.includes(value)) throw new RosTrap('input does not match any value of server', 1);
          out.server = value;
          break;
        case 'limit-uptime': {
          const normalized = normalizeDuration(key, value);
          if (normalized !== 'none' && normalized !== '0s') out[key] = normalized;
          break;
        }
        case 'limit-bytes-total': case 'limit-bytes-in': case 'limit-bytes-out':
          out[key] = normalizeBytes(key, value);
          break;
        case 'mac-address':
          out[key] = normalizeMac(value);
          break;
        case 'disabled':
          out.disabled = normalizeBool(key, value);
          break;
        default:
          out[key] = value;
      }
    }
    return out;
  }

  // ---- active sessions ----

  printActive(id: string): RosRecord {
    const s = this.active.get(id)!;
    const { since, ...rest } = s;
    const uptime = Math.floor((Date.now() - Number(since)) / 1000);
    const out: RosRecord = { ...rest, uptime: formatRouterDuration(uptime), 'idle-time': '0s' };
    const user = this.findUser(s.user!);
    const radius = this.radiusSessions.get(id);
    const limit = radius ? radius.sessionTimeout ?? null : user?.['limit-uptime'] ? parseRouterDuration(user['limit-uptime']) : null;
    if (limit !== null) out['session-time-left'] = formatRouterDuration(limit - uptime);
    return out;
  }

  printActiveSessions(): RosRecord[] {
    return this.activeList;
  }

  private checkLoginArgs(args: { user?: string; ip?: string; mac?: string }): string {
    const missing = [!args.user && 'user', !args.ip && 'ip'].filter(Boolean);
    if (missing.length > 0) throw new RosTrap(`missing value(s) of argument(s) ${missing.join(' ')}`);
    if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(args.ip!) || args.ip!.split('.').some((o) => Number(o) > 255)) {
      throw new RosTrap('invalid value for argument ip', 1);
    }
    return args.mac ? normalizeMac(args.mac) : '00:00:00:00:00:00';
  }

  /**
   * A hotspot login as the router decides it: a local user first; with no local
   * user of that name and a hotspot profile with `use-radius=yes`, an
   * Access-Request (PAP, or CHAP when `chap` carries the browser's answer).
   */
  async login(args: { user?: string; password?: string; ip?: string; mac?: string; chap?: { id: number; challenge: Buffer; response: Buffer } }): Promise<string> {
    const mac = this.checkLoginArgs(args);
    if (this.findUser(args.user!) || !this.radius.enabled) return this.loginActive(args);
    const existing = [...this.active.values()].find((s) => s.address === args.ip);
    if (existing) {
      if (existing.user === args.user) return existing['.id']!;
      throw new RosTrap('host already logged in');
    }
    const server = this.servers[0] ?? 'hotspot1';
    const acctSessionId = (this.nextAcctSession++).toString(16);
    const credentials: RadiusLoginCredentials = args.chap ? { chap: args.chap } : { password: args.password ?? '' };
    const outcome = await this.radius.authenticate({ user: args.user!, ip: args.ip!, mac, server, acctSessionId, credentials });
    if (!outcome.ok) throw new RosTrap(outcome.message);
    const again = [...this.active.values()].find((s) => s.address === args.ip);
    if (again) throw new RosTrap('host already logged in');
    const a = outcome.attributes;
    const id = hexId(this.nextActiveId++);
    const sessionTimeout = secondsAttr(a, 'Session-Timeout');
    const record: RosRecord & { since: string } = {
      '.id': id, server, user: args.user!, domain: '', address: args.ip!, 'mac-address': mac,
      'login-by': args.chap ? 'http-chap' : 'http-pap', 'keepalive-timeout': '2m',
      'bytes-in': '0', 'bytes-out': '0', 'packets-in': '0', 'packets-out': '0', radius: 'true', since: String(Date.now()),
    };
    const idle = secondsAttr(a, 'Idle-Timeout');
    if (idle !== undefined) record['idle-timeout'] = formatRouterDuration(idle);
    const rate = attr(a, 'Mikrotik-Rate-Limit');
    if (typeof rate === 'string') record['limit-rate'] = rate;
    const group = attr(a, 'Mikrotik-Group');
    this.active.set(id, record);
    const cls = attr(a, 'Class');
    const info: RadiusSessionInfo = {
      user: args.user!, address: args.ip!, mac, server, acctSessionId, since: Number(record.since),
      sessionTimeout, idleTimeout: idle, interim: secondsAttr(a, 'Acct-Interim-Interval'),
      rateLimit: typeof rate === 'string' ? rate : undefined, group: typeof group === 'string' ? group : undefined,
      class: Buffer.isBuffer(cls) ? cls : undefined,
      bytesIn: () => Number(this.active.get(id)?.['bytes-in'] ?? 0),
      bytesOut: () => Number(this.active.get(id)?.['bytes-out'] ?? 0),
      packetsIn: () => Number(this.active.get(id)?.['packets-in'] ?? 0),
      packetsOut: () => Number(this.active.get(id)?.['packets-out'] ?? 0),
    };
    this.radiusSessions.set(id, info);
    this.radius.started(id, info);
    return id;
  }

  /** The RADIUS answer a session was opened with (tests: rate limit, group, timeout). */
  radiusSession(id: string): Omit<RadiusSessionInfo, 'bytesIn' | 'bytesOut' | 'packetsIn' | 'packetsOut'> | undefined {
    const s = this.radiusSessions.get(id);
    if (!s) return undefined;
    const { bytesIn: _a, bytesOut: _b, packetsIn: _c, packetsOut: _d, ...rest } = s;
    return { ...rest };
  }

  /** `/ip/hotspot/active/login` with a local user only (synchronous; `login()` adds RADIUS). */
  loginActive(args: { user?: string; password?: string; ip?: string; mac?: string }): string {
    const mac = this.checkLoginArgs(args);
    const user = this.findUser(args.user!);
    if (!user || user.password !== (args.password ?? '')) throw new RosTrap('invalid username or password');
    if (isTrue(user.disabled)) throw new RosTrap(`user ${user.name} is disabled`);
    const profile = this.profileNamed(user.profile!);
    const sessions = [...this.active.values()].filter((s) => s.user === user.name);
    const existing = [...this.active.values()].find((s) => s.address === args.ip);
    if (existing) {
      if (existing.user === user.name) return existing['.id']!;
      throw new RosTrap('host already logged in');
    }
    const shared = Number(profile?.['shared-users'] ?? '1');
    if (Number.isFinite(shared) && shared > 0 && sessions.length >= shared) throw new RosTrap('no more sessions are allowed for user');
    const id = hexId(this.nextActiveId++);
    this.active.set(id, {
      '.id': id,
      server: user.server === 'all' ? this.servers[0] ?? 'hotspot1' : user.server!,
      user: user.name!,
      domain: '',
      address: args.ip!,
      'mac-address': mac,
      'login-by': 'http-pap',
      'keepalive-timeout': profile?.['keepalive-timeout'] ?? '2m',
      'bytes-in': '0',
      'bytes-out': '0',
      'packets-in': '0',
      'packets-out': '0',
      radius: 'false',
      since: String(Date.now()),
    });
    return id;
  }

  resolveActive(numbers: string): string[] {
    return numbers.split(',').map((ref) => {
      if (!this.active.has(ref)) throw new RosTrap('no such item');
      return ref;
    });
  }

  /** Traffic through a session, as the router counts it (tests and the demo: what an online device has used). */
  addActiveTraffic(id: string, traffic: { bytesIn: number; bytesOut: number }): void {
    const s = this.active.get(id);
    if (!s) throw new RosTrap('no such item');
    s['bytes-in'] = String(Number(s['bytes-in'] ?? '0') + traffic.bytesIn);
    s['bytes-out'] = String(Number(s['bytes-out'] ?? '0') + traffic.bytesOut);
    s['packets-in'] = String(Number(s['packets-in'] ?? '0') + Math.ceil(traffic.bytesIn / 1500));
    s['packets-out'] = String(Number(s['packets-out'] ?? '0') + Math.ceil(traffic.bytesOut / 1500));
  }

  removeActive(id: string): void {
    if (!this.active.has(id)) throw new RosTrap('no such item');
    this.endActive(id, 'Admin-Reset');
  }

  /** A session ends (timeout, kick, logout): RADIUS sessions send their Stop. */
  endActive(id: string, cause: 'Admin-Reset' | 'Session-Timeout' | 'User-Request' | 'Idle-Timeout' | 'Lost-Carrier'): void {
    if (!this.active.has(id)) return;
    const radius = this.radiusSessions.get(id);
    if (radius) {
      // Stop carries the session's final counters: send it before the session is gone.
      this.radius.ended(id, radius, cause);
      this.radiusSessions.delete(id);
    }
    this.active.delete(id);
  }

  /**
   * The router reboots: every session is gone without an Accounting-Stop (what
   * leaves open radacct rows behind); with `accountingOn` it then says so.
   */
  reboot(opts: { accountingOn?: boolean } = {}): void {
    this.radius.dropAll();
    this.radiusSessions.clear();
    this.active.clear();
    if (opts.accountingOn) this.radius.accountingOn();
  }

  // ---- system ----

  systemResource(): RosRecord {
    const v7 = Number(this.version.split('.')[0]) >= 7;
    const channel = v7 ? 'stable' : 'long-term';
    return {
      uptime: formatRouterDuration((Date.now() - this.startedAt) / 1000),
      version: `${this.version} (${channel})`,
      'build-time': v7 ? '2025-02-24 11:31:52' : 'Nov/30/2023 10:12:08',
      'factory-software': v7 ? '7.5' : '6.44.6',
      'free-memory': '201326592',
      'total-memory': '268435456',
      cpu: 'ARMv7',
      'cpu-count': '4',
      'cpu-frequency': '716',
      'cpu-load': '2',
      'free-hdd-space': '3706880',
      'total-hdd-space': '16777216',
      'write-sect-since-reboot': '512',
      'write-sect-total': '104858',
      'architecture-name': 'arm',
      'board-name': 'hAP ac^2',
      platform: 'MikroTik',
    };
  }
}
