/** Admin login, logout, password changes and the first super admin. */
import crypto from 'node:crypto';
import type { Config } from '../../platform/config';
import type { PasswordHasher } from './passwords';
import type { SessionTokens } from './session-tokens';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { UserPrincipal } from '../../platform/http/context';
import type { UsuariosStore } from './store';

export const MIN_PASSWORD_LENGTH = 8;
/** How long a successful check is remembered for callers that ask (`remember`), e.g. Bull Board's Basic auth. */
const REMEMBER_MS = 60_000;

export function createAuthService(deps: { store: UsuariosStore; passwords: PasswordHasher; sessions: SessionTokens }) {
  const { store, passwords, sessions } = deps;
  // bcrypt is slow on purpose; a caller that checks on every request (Bull Board)
  // may ask to remember a success briefly, keyed by the stored hash so a password
  // change or reset invalidates it at once. `activo` and `rol` are re-read every time.
  const remembered = new Map<string, number>();

  /**
   * The one login check: the email trimmed and case-insensitive, the password
   * against its bcrypt hash, the user active. 401 or 403 otherwise.
   */
  async function authenticate(email: string, password: string, options: { remember?: boolean } = {}) {
    const user = await store.findByEmail(email.trim());
    const cacheKey = crypto.createHash('sha256').update(`${user?.password_hash ?? ''}\0${password}`).digest('hex');
    const cached = options.remember && user && (remembered.get(cacheKey) ?? 0) > Date.now();
    const ok = cached || (await passwords.verify(password, user?.password_hash ?? ''));
    if (!user || !ok) throw new UnauthorizedError('Credenciales incorrectas');
    if (!user.activo) throw new ForbiddenError('Usuario inactivo');
    if (options.remember && !cached) {
      if (remembered.size > 1000) remembered.clear();
      remembered.set(cacheKey, Date.now() + REMEMBER_MS);
    }
    return user;
  }

  return {
    authenticate,

    async login(email: string, password: string) {
      const user = await authenticate(email, password);
      if (user.rol === 'cliente_admin' && user.empresa_activa !== true) throw new ForbiddenError('Empresa inactiva: contacte al operador');
      const updated = await store.recordLogin(user.id);
      const { token, claims } = sessions.issue(user);
      return {
        access_token: token,
        token_type: 'bearer' as const,
        expires_at: new Date(claims.exp * 1000).toISOString(),
        user: updated,
      };
    },

    async logout(user: UserPrincipal) {
      await store.revokeSession(user.claims.jti, new Date(user.claims.exp * 1000));
      return { message: 'Sesión cerrada correctamente' };
    },

    async changePassword(user: UserPrincipal, current: string, next: string) {
      const hash = await store.passwordHash(user.id);
      if (hash === undefined || !(await passwords.verify(current, hash))) {
        throw new BadRequestError('La contraseña actual es incorrecta');
      }
      if (current === next) throw new BadRequestError('La nueva contraseña debe ser distinta de la actual');
      // Every other session ends; the one that made the change goes on (OWASP ASVS 3.3.3).
      await store.setPassword(user.id, await passwords.hash(next), user.claims.jti);
      return { message: 'Contraseña actualizada correctamente. Se cerraron sus demás sesiones.' };
    },

    async me(user: UserPrincipal) {
      return store.findPublic(user.id);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Creates the initial super admin once. ON CONFLICT makes restarts and
 * concurrent starts of several dynos harmless; the password is never logged.
 */
export async function ensureSuperAdmin(store: UsuariosStore, config: Pick<Config, 'superAdmin'>, passwords: PasswordHasher): Promise<boolean> {
  const { email, password } = config.superAdmin;
  if (await store.emailTaken(email)) return false;
  return store.insertSuperAdminOnce(email, await passwords.hash(password), 'Super Admin');
}
