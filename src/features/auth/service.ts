/** Admin login, logout, password changes and the first super admin. */
import type { Knex } from 'knex';
import type { Config } from '../../platform/config';
import type { PasswordHasher } from './passwords';
import type { SessionTokens } from './session-tokens';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { UserPrincipal } from '../../platform/http/context';

export const PUBLIC_USER_COLUMNS = ['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en'] as const;
export const MIN_PASSWORD_LENGTH = 8;

export function createAuthService(deps: { knex: Knex; passwords: PasswordHasher; sessions: SessionTokens }) {
  const { knex, passwords, sessions } = deps;

  return {
    async login(email: string, password: string) {
      const user = await knex('usuarios as u').leftJoin('empresas as e', 'e.id', 'u.empresa_id')
        .whereRaw('lower(u.email) = lower(?)', [email.trim()]).first('u.*', 'e.activa as empresa_activa');
      const ok = await passwords.verify(password, user?.password_hash ?? '');
      if (!user || !ok) throw new UnauthorizedError('Credenciales incorrectas');
      if (!user.activo) throw new ForbiddenError('Usuario inactivo');
      if (user.rol === 'cliente_admin' && user.empresa_activa !== true) throw new ForbiddenError('Empresa inactiva: contacte al operador');
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
        sesion_epoca: knex.raw('sesion_epoca + 1'),
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
