/**
 * Login attempts are limited per email+IP and per IP; only failures count, and
 * a success resets the email+IP count. The login route and Bull Board's Basic
 * auth both use it, so the two cannot drift.
 */
import type { RateLimits } from '../../platform/rate-limits';

export const LOGIN_LIMIT_DETAIL = 'Demasiados intentos de inicio de sesión. Intente de nuevo en {s} segundos';

export interface LoginAttempt {
  onFailure(): Promise<void>;
  onSuccess(): Promise<void>;
}

export type LoginGuard = (ctx: { ip: string }, email: string) => Promise<LoginAttempt>;

export function createLoginGuard(rateLimits: RateLimits): LoginGuard {
  const detail = LOGIN_LIMIT_DETAIL;
  return async (ctx, email) => {
    const byEmail = `${email.trim().toLowerCase()}|${ctx.ip}`;
    await rateLimits.check('loginPerIp', ctx.ip, detail);
    await rateLimits.check('loginPerEmailIp', byEmail, detail);
    return {
      onFailure: async () => {
        // Counting a failure must not turn a wrong password into another error.
        await rateLimits.consume('loginPerEmailIp', byEmail, detail).catch(() => undefined);
        await rateLimits.consume('loginPerIp', ctx.ip, detail).catch(() => undefined);
      },
      onSuccess: () => rateLimits.reset('loginPerEmailIp', byEmail),
    };
  };
}
