/** Admin login, logout, password changes and the first super admin. */
import type { Config } from '../../platform/config';
import type { PasswordHasher } from './passwords';
import type { SessionTokens } from './session-tokens';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { UserPrincipal } from '../../platform/http/context';
import type { UsuariosStore } from './store';

export const MIN_PASSWORD_LENGTH = 8;

export function createAuthService(deps: { store: UsuariosStore; passwords: PasswordHasher; sessions: SessionTokens }) {
  const { store, passwords, sessions } = deps;

  return {
    async login(email: string, password: string) {
      const user = await store.findByEmail(email.trim());
      const ok = await passwords.verify(password, user?.password_hash ?? '');
      if (!user || !ok) throw new UnauthorizedError('Credenciales incorrectas');
      if (!user.activo) throw new ForbiddenError('Usuario inactivo');
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
      await store.setPassword(user.id, await passwords.hash(next));
      return { message: 'Contraseña actualizada correctamente. Inicie sesión de nuevo.' };
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
