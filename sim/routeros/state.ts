/**
 * The simulated router's configuration and runtime state: hotspot users, user
 * profiles, active sessions, identity, plus counters the tests inspect. All
 * rule checks live here (with RouterOS's own error texts) so seeding from a test
 * and a command arriving over the API behave the same.
 */
import { formatRosDuration, parseRosDuration } from './time';

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
  const seconds = parseRosDuration(value);
  if (seconds === null) throw new RosTrap(`value of ${key} must be time interval`, 1);
  return formatRosDuration(seconds);
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
  private nextUserId = 1;
  private nextProfileId = 1;
  private nextActiveId = 1;

  constructor(opts: { identity?: string; version: string; servers?: string[]; profiles?: SimProfileInput[]; users?: SimUserInput[] }) {
    this.identity = opts.identity ?? 'MikroTik';
    this.version = opts.version;
    this.servers = opts.servers ?? ['hotspot1'];
    this.profiles.set('*0', { '.id': '*0', ...DEFAULT_PROFILE });
    for (const p of opts.profiles ?? []) this.addProfile(p);
    for (const u of opts.users ?? []) this.addUser(u);
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
    if (usage.uptimeSeconds !== undefined) user.uptime = formatRosDuration(usage.uptimeSeconds);
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

  /** Ids of the profiles named or numbered by `numbers` (comma-separated names or *ids); a missing one traps. */
  resolveProfiles(numbers: string): string[] {
    return numbers.split(',').map((ref) => {
      if (this.profiles.has(ref)) return ref;
      const found = [...this.profiles.entries()].find(([, p]) => p.name === ref);
      if (!found) throw new RosTrap('no such item');
      return found[0];
    });
  }

  setProfile(id: string, input: RosRecord): void {
    const current = this.profiles.get(id);
    if (!current) throw new RosTrap('no such item');
    if (input.name !== undefined && [...this.profiles.entries()].some(([other, p]) => other !== id && p.name === input.name)) {
      throw new RosTrap('failure: already have profile with this name');
    }
    for (const [key, value] of Object.entries(input)) {
      if (value !== undefined) current[key] = PROFILE_DURATIONS.includes(key) ? normalizeDuration(key, value) : value;
    }
  }

  private profileNamed(name: string): RosRecord | undefined {
    return [...this.profiles.values()].find((p) => p.name === name);
  }

  // ---- hotspot users ----

  printUsers(): RosRecord[] {
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
    const out: RosRecord = { ...rest, uptime: formatRosDuration(uptime), 'idle-time': '0s' };
    const user = this.findUser(s.user!);
    const limit = user?.['limit-uptime'] ? parseRosDuration(user['limit-uptime']) : null;
    if (limit !== null) out['session-time-left'] = formatRosDuration(limit - uptime);
    return out;
  }

  printActiveSessions(): RosRecord[] {
    return this.activeList;
  }

  /** `/ip/hotspot/active/login`: what the hotspot does when a device logs in. */
  loginActive(args: { user?: string; password?: string; ip?: string; mac?: string }): string {
    const missing = [!args.user && 'user', !args.ip && 'ip'].filter(Boolean);
    if (missing.length > 0) throw new RosTrap(`missing value(s) of argument(s) ${missing.join(' ')}`);
    if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(args.ip!) || args.ip!.split('.').some((o) => Number(o) > 255)) {
      throw new RosTrap('invalid value for argument ip', 1);
    }
    const mac = args.mac ? normalizeMac(args.mac) : '00:00:00:00:00:00';
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
    if (!this.active.delete(id)) throw new RosTrap('no such item');
  }

  // ---- system ----

  systemResource(): RosRecord {
    const v7 = Number(this.version.split('.')[0]) >= 7;
    const channel = v7 ? 'stable' : 'long-term';
    return {
      uptime: formatRosDuration((Date.now() - this.startedAt) / 1000),
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
