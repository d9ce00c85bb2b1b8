/**
 * Plans the service owns (issue 22 item 5) and what they become for
 * FreeRADIUS: pure rules, no I/O, so they are tested on fakes with a clock.
 *
 * A sale or voucher of a RADIUS-mode router is a user `<router id>:<user>`:
 * - radcheck: Cleartext-Password (CHAP needs it), Simultaneous-Use
 *   (dispositivos), Expiration (validity from activation), Expire-After
 *   (validity from the first login, counted by FreeRADIUS's expire_on_login
 *   counter), Max-All-Session (limit_uptime, by the noresetcounter counter);
 * - radreply: Session-Timeout (never longer than what is left of the plan),
 *   Acct-Interim-Interval, Mikrotik-Rate-Limit, Mikrotik-Group.
 * Disabling adds `Auth-Type := Reject`; ending deletes the user's rows.
 */
import { ValidationError } from '../../platform/errors';
import { parseRouterDuration } from '../../integrations/mikrotik';

export type VigenciaDesde = 'activacion' | 'primer_uso';
export const VIGENCIAS_DESDE: readonly VigenciaDesde[] = ['activacion', 'primer_uso'];

/** RouterOS rate-limit "subida/bajada": a positive integer with an optional k, M or G on each side. */
export const LIMITE_VELOCIDAD = /^[1-9][0-9]{0,9}[kMG]?\/[1-9][0-9]{0,9}[kMG]?$/;

/** `"2M/10M"` as stored (trimmed); null clears it; 422 in Spanish otherwise. */
export function normalizeLimiteVelocidad(value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim();
  if (!LIMITE_VELOCIDAD.test(text)) {
    throw new ValidationError(
      "El campo 'limite_velocidad' debe ser subida/bajada como en RouterOS: un número entero con k, M o G opcional a cada lado (por ejemplo \"2M/10M\" o \"512k/2M\")",
      'limite_velocidad',
    );
  }
  return text;
}


/** What was sold, as a sale or a voucher batch keeps it (a snapshot of the product). */
export interface Plan {
  productoId: number;
  perfil: string;
  limitUptime: string | null;
  vigenciaMinutos: number | null;
  limiteVelocidad: string | null;
  dispositivos: number;
  vigenciaDesde: VigenciaDesde;
}

/**
 * API mode: the hotspot user profile of ours a plan needs on the router (a
 * speed or more than one device), or null when the router's own profile
 * (`perfil_mikrotik_nombre`) is used as is. One profile per product,
 * `pagos-<producto id>`, kept up to date at every provisioning.
 */
export function ownProfileFor(plan: Plan): { name: string; rateLimit: string | null; sharedUsers: number } | null {
  if (!plan.limiteVelocidad && plan.dispositivos <= 1) return null;
  return { name: `pagos-${plan.productoId}`, rateLimit: plan.limiteVelocidad, sharedUsers: plan.dispositivos };
}

/** One user for FreeRADIUS. */
export interface RadiusUser {
  routerId: string;
  user: string;
  /** Clear: CHAP needs it (a documented exception to encryption at rest; rows die with the sale). */
  password: string;
  plan: Plan;
  /** Validity from activation: when it ends (null: no wall-clock end, or counted from first use). */
  expiresAt: Date | null;
}

export interface RadiusRow {
  attribute: string;
  op: ':=' | '=' | '+=';
  value: string;
}

/** The key FreeRADIUS looks users up by: `%{client:shortname}:%{User-Name}`, the client being our router id. */
export const radiusUsername = (routerId: string, user: string) => `${routerId}:${user}`;
/** The plan group of a product. */
export const planGroup = (productoId: number) => `prod_${productoId}`;

/** Upper bound of Session-Timeout when nothing else limits it: a day, so the router asks again at least daily. */
export const MAX_SESSION_TIMEOUT = 86_400;

/**
 * Session-Timeout for a login at `now`: no longer than what is left of the
 * validity (activation) or of the uptime limit; the counters shorten it
 * further at login (they see the time already used). Null: already over.
 */
export function sessionTimeout(plan: Plan, expiresAt: Date | null, now: Date): number | null {
  let seconds = MAX_SESSION_TIMEOUT;
  if (expiresAt) seconds = Math.min(seconds, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  const uptime = parseRouterDuration(plan.limitUptime);
  if (uptime !== null) seconds = Math.min(seconds, uptime);
  if (plan.vigenciaDesde === 'primer_uso' && plan.vigenciaMinutos) seconds = Math.min(seconds, plan.vigenciaMinutos * 60);
  return seconds > 0 ? seconds : null;
}

/** radcheck and radreply rows of a user, at `now` (Session-Timeout depends on it). */
export function rowsFor(user: RadiusUser, options: { interimSeconds: number; now: Date }): { check: RadiusRow[]; reply: RadiusRow[] } {
  const { plan } = user;
  const check: RadiusRow[] = [
    { attribute: 'Cleartext-Password', op: ':=', value: user.password },
    { attribute: 'Simultaneous-Use', op: ':=', value: String(plan.dispositivos) },
  ];
  const timeout = sessionTimeout(plan, user.expiresAt, options.now);
  if (user.expiresAt) check.push({ attribute: 'Expiration', op: ':=', value: String(Math.floor(user.expiresAt.getTime() / 1000)) });
  if (timeout === null) check.push({ attribute: 'Auth-Type', op: ':=', value: 'Reject' });
  if (plan.vigenciaDesde === 'primer_uso' && plan.vigenciaMinutos) check.push({ attribute: 'Expire-After', op: ':=', value: String(plan.vigenciaMinutos * 60) });
  const uptime = parseRouterDuration(plan.limitUptime);
  if (uptime !== null) check.push({ attribute: 'Max-All-Session', op: ':=', value: String(uptime) });

  const reply: RadiusRow[] = [{ attribute: 'Acct-Interim-Interval', op: ':=', value: String(options.interimSeconds) }];
  if (timeout !== null) reply.push({ attribute: 'Session-Timeout', op: ':=', value: String(timeout) });
  if (plan.limiteVelocidad) reply.push({ attribute: 'Mikrotik-Rate-Limit', op: ':=', value: plan.limiteVelocidad });
  if (plan.perfil) reply.push({ attribute: 'Mikrotik-Group', op: ':=', value: plan.perfil });
  return { check, reply };
}
