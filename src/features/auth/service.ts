/** Admin login, logout, password changes and the first super admin. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../platform/config';
import type { PasswordHasher } from './passwords';
import type { SessionTokens } from './session-tokens';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { UserPrincipal } from '../../platform/http/context';

export const PUBLIC_USER_COLUMNS = ['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en'] as const;
export const MIN_PASSWORD_LENGTH = 8;
/** How long a successful check is remembered for callers that ask (`remember`), e.g. Bull Board's Basic auth. */
const REMEMBER_MS = 60_000;

export function createAuthService(deps: { knex: Knex; passwords: PasswordHasher; sessions: SessionTokens }) {
  const { knex, passwords, sessions } = deps;
  // bcrypt is slow on purpose; a caller that checks on every request (Bull Board)
  // may ask to remember a success briefly, keyed by the stored hash so a password
  // change or reset invalidates it at once. `activo` and `rol` are re-read every time.
  const remembered = new Map<string, number>();

  /**
   * The one login check: the email trimmed and case-insensitive, the password
   * against its bcrypt hash, the user active. 401 or 403 otherwise.
   */
  async function authenticate(email: string, password: string, options: { remember?: boolean } = {}) {
    const user = await knex('usuarios').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
    const cacheKey = crypto.createHash('sha256').update(`${user?.password_hash ?? ''}\0${password}`).digest('hex');
    const cached = options.remember && user && (remembered.get(cacheKey) ?? 0) > Date.now();
    const ok = cached || (await passwords.verify(password, user?.password_hash ?? ''));
    if (!user || !ok) throw new UnauthorizedError('Credenciales incorrectas');
    if (!user.activo) throw new ForbiddenError('Usuario inactivo');
    if (options.remember && !cached) {
      if (remembered.size > 1000) remembered.clear();
      remembered.set(cacheKey, Date.now() + REMEMBER_MS);
    }
    return user as { id: number; email: string; rol: 'super_admin' | 'cliente_admin'; empresa_id: string | null; activo: boolean; password_hash: string };
  }

  return {
    authenticate,

    async login(email: string, password: string) {
      const user = await authenticate(email, password);
      const [updated] = await knex('usuarios').where({ id: user.id }).update({ ultimo_login: knex.fn.now() }).returning([...PUBLIC_USER_COLUMNS]);
      const { token, claims } = sessions.issue(user);
      return {
        access_token: token,
        token_type: 'bearer' as const,
        expires_at: new Date(claims.exp * 1000).toISOString(),
        user: updated,
      };
    },

    async logout(user: UserPrincipal) {
      await knex('sesiones_revocadas')
        .insert({ jti: user.claims.jti, expira_en: new Date(user.claims.exp * 1000) })
        .onConflict('jti').ignore();
      // Expired revocations are useless: the token's own exp already refuses it.
      await knex('sesiones_revocadas').where('expira_en', '<', knex.fn.now()).delete();
      return { message: 'Sesión cerrada correctamente' };
    },

    async changePassword(user: UserPrincipal, current: string, next: string) {
      const row = await knex('usuarios').where({ id: user.id }).first('password_hash');
      if (!row || !(await passwords.verify(current, row.password_hash))) {
        throw new BadRequestError('La contraseña actual es incorrecta');
      }
      if (current === next) throw new BadRequestError('La nueva contraseña debe ser distinta de la actual');
      await knex('usuarios').where({ id: user.id }).update({
        password_hash: await passwords.hash(next),
        password_cambiado_en: knex.fn.now(),
      });
      return { message: 'Contraseña actualizada correctamente. Inicie sesión de nuevo.' };
    },

    async me(user: UserPrincipal) {
      return knex('usuarios').where({ id: user.id }).first(...PUBLIC_USER_COLUMNS);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Creates the initial super admin once. ON CONFLICT makes restarts and
 * concurrent starts of several dynos harmless; the password is never logged.
 */
export async function ensureSuperAdmin(knex: Knex, config: Pick<Config, 'superAdmin'>, passwords: PasswordHasher): Promise<boolean> {
  const { email, password } = config.superAdmin;
  const exists = await knex('usuarios').whereRaw('lower(email) = lower(?)', [email]).first('id');
  if (exists) return false;
  const inserted = await knex.raw(
    `INSERT INTO usuarios (email, password_hash, nombre, rol) VALUES (?, ?, ?, 'super_admin')
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
    [email, await passwords.hash(password), 'Super Admin'],
  );
  return inserted.rows.length > 0;
}
