/**
 * "Make sure this hotspot user exists on the router": the one way a sale
 * (hotspot/service.ts) and a voucher (fichas, through this feature's index.ts)
 * create their user in API mode, with one answer for each thing the router
 * can say.
 *
 * - Created, or already there with our comment (an earlier attempt that
 *   reached the router): done.
 * - The name belongs to someone else's user: `'name_taken'`; the caller draws
 *   new credentials (a sale) or a new code (a voucher) and tries again later.
 * - The router has no such profile: `UnknownProfileError`, permanent. No
 *   retry can fix it (an operator must create the profile or change the
 *   product), so the caller records why and the job fails at once.
 * - Anything else (connection, timeout, another refusal) propagates: the
 *   caller decides between retrying and failing.
 */
import { PermanentJobError, RetryLaterError } from '../../platform/jobs/errors';
import { HotspotClient, RouterDuplicateUserError, RouterUnknownProfileError, type RouterTarget } from '../../integrations/mikrotik';
import { ownProfileFor, type Plan } from '../radius';

/** The router has no hotspot profile by this name. `detail` is the Spanish reason the sale or voucher records. */
export class UnknownProfileError extends PermanentJobError {
  readonly profile: string;
  readonly detail: string;
  constructor(profile: string) {
    const detail = `El perfil '${profile}' no existe en el router`;
    super(detail);
    this.profile = profile;
    this.detail = detail;
  }
}

export interface HotspotUserSpec {
  name: string;
  password: string;
  /** What was sold: the profile (or our own, for a speed or several devices) and the uptime limit. */
  plan: Plan;
  /** Whose user it is: the sale's id or the voucher's batch and code. Our user is the one with this comment. */
  comment: string;
  limitBytesTotal?: string | number | null;
}

export type EnsureUserOutcome =
  | { outcome: 'created' }
  /** Our user was already there (an earlier attempt reached the router): its RouterOS id. */
  | { outcome: 'already_existed'; routerUserId: string }
  | { outcome: 'name_taken' };

export async function ensureHotspotUser(client: HotspotClient, target: RouterTarget, spec: HotspotUserSpec): Promise<EnsureUserOutcome> {
  // A plan with a speed or several devices gets a profile of ours on the router, made or brought up to date now.
  const own = ownProfileFor(spec.plan);
  const profile = own ? own.name : spec.plan.perfil;
  try {
    if (own) await client.ensureProfile(target, own);
    await client.createUser(target, {
      name: spec.name,
      password: spec.password,
      profile,
      comment: spec.comment,
      ...(spec.plan.limitUptime ? { limitUptime: spec.plan.limitUptime } : {}),
      ...(spec.limitBytesTotal ? { limitBytesTotal: String(spec.limitBytesTotal) } : {}),
    });
    return { outcome: 'created' };
  } catch (error) {
    if (error instanceof RouterUnknownProfileError) throw new UnknownProfileError(profile);
    if (!(error instanceof RouterDuplicateUserError)) throw error;
    const existing = await client.findUserByName(target, spec.name).catch(() => null);
    if (!existing) throw new RetryLaterError('usuario duplicado no encontrado');
    return existing.comment === spec.comment ? { outcome: 'already_existed', routerUserId: existing.id } : { outcome: 'name_taken' };
  }
}
