/**
 * The hotspot's server profiles (`/ip/hotspot/profile`), the hotspot servers
 * (`/ip/hotspot`) that use them, and the router's own trial login (issue 24):
 * `login-by` with `trial`, `trial-uptime-limit`, `trial-uptime-reset` and
 * `trial-user-profile` (a user profile that must exist). A device (by MAC)
 * gets one trial per reset period; its session is a dynamic `T-<MAC>` user
 * on the trial user profile, logged in `by trial`.
 */
import { formatRouterDuration, parseRouterDuration } from '../../shared/routeros-duration';

type RosRecord = Record<string, string>;
/** RouterState's RosTrap, passed in (state.ts imports this file). */
type Trap = new (message: string, category?: number) => Error;

const LOGIN_METHODS = new Set(['mac', 'cookie', 'http-chap', 'http-pap', 'https', 'trial', 'mac-cookie']);

/** What RouterOS prints for a server profile made by `/ip hotspot setup`. */
const SERVER_PROFILE_DEFAULTS: RosRecord = {
  'hotspot-address': '10.5.50.1', 'dns-name': '', 'html-directory': 'hotspot', 'rate-limit': '', 'http-proxy': '0.0.0.0:0',
  'smtp-server': '0.0.0.0', 'login-by': 'cookie,http-chap', 'http-cookie-lifetime': '3d', 'split-user-domain': 'false',
  'trial-uptime-limit': '30m', 'trial-uptime-reset': '1d', 'trial-user-profile': 'default', 'use-radius': 'false',
};

export class HotspotServerProfiles {
  private readonly profiles = new Map<string, RosRecord>();
  private readonly servers = new Map<string, RosRecord>();
  /** MAC → when its trial of the current period started, and that period's length (ms). */
  private readonly trials = new Map<string, { started: number; periodMs: number }>();
  private nextId = 1;

  constructor(serverNames: readonly string[], private readonly userProfileExists: (name: string) => boolean, private readonly RosTrap: Trap) {
    this.profiles.set('*0', { '.id': '*0', name: 'default', ...SERVER_PROFILE_DEFAULTS, default: 'true' });
    if (serverNames.length > 0) this.addProfile({ name: 'hsprof1' });
    serverNames.forEach((name, i) => {
      const id = `*${(i + 1).toString(16).toUpperCase()}`;
      this.servers.set(id, { '.id': id, name, interface: `bridge-hotspot${i || ''}`, 'address-pool': 'hs-pool-1', profile: 'hsprof1', 'idle-timeout': '5m', disabled: 'false', invalid: 'false' });
    });
  }

  addProfile(input: { name: string } & Record<string, string>): string {
    if ([...this.profiles.values()].some((p) => p.name === input.name)) throw new this.RosTrap('failure: already have server profile with this name');
    const id = `*${(this.nextId++).toString(16).toUpperCase()}`;
    this.profiles.set(id, { '.id': id, name: input.name, ...SERVER_PROFILE_DEFAULTS, default: 'false' });
    this.set(id, Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'name')));
    return id;
  }

  get profileList(): RosRecord[] { return [...this.profiles.values()].map((p) => ({ ...p })); }
  get serverList(): RosRecord[] { return [...this.servers.values()].map((s) => ({ ...s })); }
  profileNamed(name: string): RosRecord | undefined {
    const p = [...this.profiles.values()].find((x) => x.name === name);
    return p && { ...p };
  }

  resolve(numbers: string): string[] {
    return numbers.split(',').map((ref) => {
      if (this.profiles.has(ref)) return ref;
      const byName = [...this.profiles.values()].find((p) => p.name === ref);
      if (!byName) throw new this.RosTrap('no such item');
      return byName['.id']!;
    });
  }

  /** `/ip/hotspot/profile/set` with RouterOS's checks on the trial fields. */
  set(id: string, input: Record<string, string>): void {
    const current = this.profiles.get(id);
    if (!current) throw new this.RosTrap('no such item');
    const out: RosRecord = {};
    for (const [key, value] of Object.entries(input)) {
      switch (key) {
        case 'login-by': {
          const methods = value.split(',').map((m) => m.trim()).filter(Boolean);
          for (const m of methods) if (!LOGIN_METHODS.has(m)) throw new this.RosTrap(`invalid value ${m} for login-by`, 1);
          out[key] = [...new Set(methods)].join(',');
          break;
        }
        case 'trial-uptime-limit': case 'trial-uptime-reset': case 'http-cookie-lifetime': {
          const seconds = parseRouterDuration(value);
          if (seconds === null) throw new this.RosTrap(`value of ${key} must be time interval`, 1);
          out[key] = formatRouterDuration(seconds);
          break;
        }
        case 'trial-user-profile':
          if (!this.userProfileExists(value)) throw new this.RosTrap('input does not match any value of trial-user-profile', 1);
          out[key] = value;
          break;
        case 'name': case 'rate-limit': case 'dns-name': case 'html-directory': case 'hotspot-address': case 'use-radius': case 'split-user-domain':
          out[key] = value;
          break;
        default:
          throw new this.RosTrap(`unknown parameter ${key}`);
      }
    }
    Object.assign(current, out);
  }

  /** The trial login a device asks for on the login page (`dst=…&login-by=trial`, `username=T-<MAC>`). */
  trialLogin(serverName: string | undefined, mac: string, now = Date.now()): { user: string; profile: string; uptimeLimitSeconds: number } {
    const server = serverName ? [...this.servers.values()].find((s) => s.name === serverName) : [...this.servers.values()][0];
    if (!server) throw new this.RosTrap('no hotspot server');
    const profile = this.profileNamed(server.profile!);
    if (!profile || !profile['login-by']!.split(',').includes('trial')) throw new this.RosTrap('trial login is not allowed');
    const reset = parseRouterDuration(profile['trial-uptime-reset']!) ?? 86_400;
    const current = this.trials.get(mac);
    if (current !== undefined && now - current.started < reset * 1000) throw new this.RosTrap('trial time used up');
    this.trials.set(mac, { started: now, periodMs: reset * 1000 });
    return { user: `T-${mac}`, profile: profile['trial-user-profile']!, uptimeLimitSeconds: parseRouterDuration(profile['trial-uptime-limit']!) ?? 1800 };
  }

  /** Whether the device's trial period (from its trial login, `trial-uptime-reset` long) is still running. */
  inTrialPeriod(mac: string, now = Date.now()): boolean {
    const current = this.trials.get(mac);
    return current !== undefined && now - current.started < current.periodMs;
  }

  /** Test helper: a device's trial period ends as if `trial-uptime-reset` had passed. */
  resetTrial(mac: string): void { this.trials.delete(mac); }
}
