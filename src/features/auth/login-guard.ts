/**
 * Login attempts are limited per email+address, per address and per account.
 * Every attempt is counted before the password is checked (so parallel guesses
 * cannot all be evaluated before the first failure is counted) and given back
 * when it succeeds. The address is the one our trusted proxy saw (TRUST_PROXY_HOPS).
 * The login route and Bull Board's Basic auth both use it, with the auth
 * service's `authenticate`, so the two cannot drift.
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
    const account = email.trim().toLowerCase();
    const byEmail = `${account}|${ctx.ip}`;
    await rateLimits.consume('loginPerIp', ctx.ip, detail);
    await rateLimits.consume('loginPerAccount', account, detail);
    await rateLimits.consume('loginPerEmailIp', byEmail, detail);
    return {
      onFailure: async () => undefined, // already counted
      onSuccess: async () => {
        await Promise.all([
          rateLimits.reset('loginPerEmailIp', byEmail),
          rateLimits.refund('loginPerAccount', account),
          rateLimits.refund('loginPerIp', ctx.ip),
        ]);
      },
    };
  };
}
