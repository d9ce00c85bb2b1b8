/**
 * The router's own trial login (issue 24): the hotspot server profile of every
 * hotspot server gains `trial` in `login-by`, with `trial-uptime-limit`,
 * `trial-uptime-reset` and a `trial-user-profile` of ours carrying the speed
 * limit. What each profile had before is remembered (the caller stores it), so
 * turning the trial off removes only what we added: `trial` stays in
 * `login-by` when the operator had it, the previous trial values come back,
 * and our user profile goes only if we created it.
 *
 * Every command is a fixed word list; the only values are numbers we format
 * and a rate limit checked against RouterOS's syntax.
 */
import { ValidationError } from '../../platform/errors';
import { RouterError, RouterTrapError } from './errors';
import type { MikrotikPool } from './pool';
import type { RouterTarget } from './types';

/** The trial as a company sets it for one router. */
export interface TrialSettings {
  activa: boolean;
  /** Minutes of internet per device and period (`trial-uptime-limit`). */
  minutos: number;
  /** Hours until the same device may take the trial again (`trial-uptime-reset`). */
  reinicio_horas: number;
  /** RouterOS `rate-limit` of the trial user profile (rx/tx, e.g. "2M/2M"); null: no limit. */
  limite_velocidad: string | null;
}

/** What applying the trial changed on the router, to undo exactly that later. */
export interface TrialRouterState {
  /** Per server profile (by name): whether we added `trial` to `login-by`, and the trial values it had. */
  perfiles: Record<string, { trial_agregado: boolean; anterior: Record<TrialField, string> }>;
  /** Whether our trial user profile was created by us (and may be removed). */
  perfil_usuario_creado: boolean;
}

type TrialField = 'trial-uptime-limit' | 'trial-uptime-reset' | 'trial-user-profile';
const TRIAL_FIELDS: TrialField[] = ['trial-uptime-limit', 'trial-uptime-reset', 'trial-user-profile'];

/** The hotspot user profile our trial users get (its rate limit is the trial's speed). */
export const TRIAL_USER_PROFILE = 'pagos-prueba';

/** RouterOS rate-limit: rx[/tx] with optional k/M/G units (bursts are not offered here). */
const RATE_LIMIT = /^\d{1,6}[kKMG]?(\/\d{1,6}[kKMG]?)?$/;

/** The router cannot take the trial (no hotspot, an old RouterOS, a refused value): Spanish, for whoever set it. */
export class RouterTrialRejectedError extends RouterError {
  constructor(detail: string, readonly routerMessage?: string) {
    super(detail, { status: 422, code: 'router_rejected' });
  }
}

/** Checks the settings before any router sees them (a 422 naming the field). */
export function checkTrialSettings(settings: TrialSettings): TrialSettings {
  if (!Number.isInteger(settings.minutos) || settings.minutos < 1 || settings.minutos > 1440) {
    throw new ValidationError('prueba.minutos debe ser un número entero de 1 a 1440', 'prueba.minutos');
  }
  if (!Number.isInteger(settings.reinicio_horas) || settings.reinicio_horas < 1 || settings.reinicio_horas > 720) {
    throw new ValidationError('prueba.reinicio_horas debe ser un número entero de 1 a 720', 'prueba.reinicio_horas');
  }
  if (settings.limite_velocidad !== null && !RATE_LIMIT.test(settings.limite_velocidad)) {
    throw new ValidationError('prueba.limite_velocidad debe ser como "2M/2M" (subida/bajada; k, M o G) o null', 'prueba.limite_velocidad');
  }
  return settings;
}

const splitLoginBy = (value: string | undefined) => (value ?? '').split(',').map((m) => m.trim()).filter(Boolean);

/**
 * The RouterOS script lines that set the trial on every hotspot server profile
 * (RADIUS mode: the setup script the operator pastes). Keeps what `login-by`
 * had. Turned off, it removes `trial` from `login-by` (a script cannot know
 * whether the operator had it before us).
 */
export function renderTrialRouterOsLines(settings: TrialSettings): string[] {
  const s = checkTrialSettings(settings);
  const rate = s.limite_velocidad ? ` rate-limit=${s.limite_velocidad}` : ' rate-limit=""';
  // Full menu paths on every line (no menu context): each line runs alone, and the setup script's checker reads it.
  if (!s.activa) {
    return [
      '# Prueba gratuita: desactivada',
      ':foreach p in=[/ip hotspot profile find] do={ :local lb [/ip hotspot profile get $p login-by]; :local nuevo ""; :foreach m in=$lb do={ :if ($m != "trial") do={ :set nuevo ($nuevo . "," . $m) } }; /ip hotspot profile set $p login-by=[:pick $nuevo 1 [:len $nuevo]] }',
    ];
  }
  return [
    `# Prueba gratuita: ${s.minutos} min por dispositivo cada ${s.reinicio_horas} h`,
    `:if ([:len [/ip hotspot user profile find where name="${TRIAL_USER_PROFILE}"]] = 0) do={ /ip hotspot user profile add name="${TRIAL_USER_PROFILE}" shared-users=1 }`,
    `/ip hotspot user profile set [find where name="${TRIAL_USER_PROFILE}"]${rate}`,
    `:foreach p in=[/ip hotspot profile find] do={ :local lb [/ip hotspot profile get $p login-by]; :if ([:typeof [:find $lb "trial"]] = "nil") do={ /ip hotspot profile set $p login-by=($lb, "trial") }; `
      + `/ip hotspot profile set $p trial-uptime-limit=${s.minutos}m trial-uptime-reset=${s.reinicio_horas}h trial-user-profile="${TRIAL_USER_PROFILE}" }`,
  ];
}

export class HotspotTrialClient {
  constructor(private readonly pool: MikrotikPool) {}

  private async run(router: RouterTarget, words: string[]) {
    try {
      return await this.pool.run(router, words);
    } catch (error) {
      if (error instanceof RouterTrapError) {
        throw new RouterTrialRejectedError(
          'El router no aceptó la configuración de la prueba gratuita. Revisa que su versión de RouterOS admita el acceso de prueba del hotspot '
            + '(login-by «trial») y que el hotspot esté configurado.',
          error.routerMessage,
        );
      }
      throw error;
    }
  }

  /** The server profiles used by the router's hotspot servers (a 422 when it has none). */
  private async serverProfiles(router: RouterTarget) {
    const servers = await this.run(router, ['/ip/hotspot/print']);
    if (servers.length === 0) {
      throw new RouterTrialRejectedError('El router no tiene un servidor hotspot: configúralo (IP → Hotspot → Hotspot Setup) antes de activar la prueba gratuita.');
    }
    const names = new Set(servers.map((s) => s['profile']).filter((p): p is string => Boolean(p)));
    return (await this.run(router, ['/ip/hotspot/profile/print'])).filter((p) => names.has(p['name'] ?? ''));
  }

  /**
   * Applies the settings; `previous` is what an earlier application changed
   * (null the first time). Resolves with what to remember for the next call.
   */
  async apply(router: RouterTarget, input: TrialSettings, previous: TrialRouterState | null): Promise<TrialRouterState> {
    const settings = checkTrialSettings(input);
    const profiles = await this.serverProfiles(router);
    const userProfiles = await this.run(router, ['/ip/hotspot/user/profile/print', `?name=${TRIAL_USER_PROFILE}`]);
    const state: TrialRouterState = { perfiles: { ...(previous?.perfiles ?? {}) }, perfil_usuario_creado: previous?.perfil_usuario_creado ?? false };

    if (settings.activa) {
      const rate = `=rate-limit=${settings.limite_velocidad ?? ''}`;
      if (userProfiles.length === 0) {
        await this.run(router, ['/ip/hotspot/user/profile/add', `=name=${TRIAL_USER_PROFILE}`, '=shared-users=1', ...(settings.limite_velocidad ? [rate] : [])]);
        state.perfil_usuario_creado = true;
      } else {
        await this.run(router, ['/ip/hotspot/user/profile/set', `=.id=${userProfiles[0]!['.id']}`, rate]);
      }
      for (const p of profiles) {
        const name = p['name']!;
        const loginBy = splitLoginBy(p['login-by']);
        const remembered = state.perfiles[name] ?? {
          trial_agregado: !loginBy.includes('trial'),
          anterior: Object.fromEntries(TRIAL_FIELDS.map((f) => [f, p[f] ?? ''])) as Record<TrialField, string>,
        };
        state.perfiles[name] = remembered;
        await this.run(router, [
          '/ip/hotspot/profile/set', `=.id=${p['.id']}`,
          `=login-by=${[...loginBy.filter((m) => m !== 'trial'), 'trial'].join(',')}`,
          `=trial-uptime-limit=${settings.minutos}m`, `=trial-uptime-reset=${settings.reinicio_horas}h`, `=trial-user-profile=${TRIAL_USER_PROFILE}`,
        ]);
      }
      return state;
    }

    // Off: undo what we did, profile by profile, then our user profile.
    for (const p of profiles) {
      const remembered = state.perfiles[p['name']!];
      if (!remembered) continue;
      const loginBy = splitLoginBy(p['login-by']);
      const restored = remembered.trial_agregado ? loginBy.filter((m) => m !== 'trial') : loginBy;
      const words = ['/ip/hotspot/profile/set', `=.id=${p['.id']}`, `=login-by=${restored.join(',')}`];
      for (const f of TRIAL_FIELDS) {
        const value = remembered.anterior[f];
        // A trial user profile that is ours goes back to the factory one.
        if (value) words.push(`=${f}=${f === 'trial-user-profile' && value === TRIAL_USER_PROFILE ? 'default' : value}`);
      }
      await this.run(router, words);
    }
    if (state.perfil_usuario_creado && userProfiles.length > 0) {
      await this.run(router, ['/ip/hotspot/user/profile/remove', `=.id=${userProfiles[0]!['.id']}`]);
    }
    return { perfiles: {}, perfil_usuario_creado: false };
  }

  /**
   * The trials the router reports (issue 24, item 4): the devices whose trial
   * is in its current period (RouterOS keeps a dynamic `/ip/hotspot/user`
   * entry `T-<MAC>` per device until `trial-uptime-reset`) and how many trial
   * sessions are online now (`/ip/hotspot/active` with `login-by=trial`).
   * Background work: it never takes a paid sale's slot.
   */
  async readTrials(router: RouterTarget): Promise<{ devices: string[]; active: number }> {
    const run = (words: string[]) => this.pool.run(router, words, { background: true });
    const users = await run(['/ip/hotspot/user/print', '=.proplist=name,dynamic,mac-address', '?dynamic=true']);
    const active = await run(['/ip/hotspot/active/print', '=.proplist=user,login-by', '?login-by=trial']);
    const devices = new Set<string>();
    for (const u of users) {
      const name = u['name'] ?? '';
      if (!name.startsWith('T-')) continue;
      devices.add((u['mac-address'] || name.slice(2)).toUpperCase());
    }
    return { devices: [...devices], active: active.filter((a) => (a['login-by'] ?? '').split(',').includes('trial')).length };
  }

}
