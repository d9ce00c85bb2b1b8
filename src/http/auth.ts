/**
 * Turns request headers into a principal. Session tokens and router API keys
 * are told apart by the `jwt_` prefix and checked by different code with
 * different secrets: one is never accepted where the other is expected.
 */
import type { Knex } from 'knex';
import type { RouterApiKeys, RouterPrincipal } from '../auth/router-api-keys';
import { API_KEY_PREFIX } from '../auth/router-api-keys';
import type { SessionTokens } from '../auth/session-tokens';
import type { AuthGeneration } from '../auth/auth-generation';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { AppContext, UserPrincipal } from './context';

export type AuthRequirement = 'public' | 'session' | 'super_admin' | 'cliente_admin' | 'router_key';

export interface Authenticator {
  require(ctx: AppContext, requirement: AuthRequirement): Promise<void>;
  /** Session user from a raw token (also used by Bull Board's login). */
  userFromToken(token: string): Promise<UserPrincipal>;
}

export function bearerToken(ctx: AppContext): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export interface RouterKeyHook {
  /** Runs after a key authenticated (usage counting, rate limiting). */
  (ctx: AppContext, principal: RouterPrincipal): Promise<void>;
}

export function createAuthenticator(deps: {
  knex: Knex;
  sessions: SessionTokens;
  apiKeys: RouterApiKeys;
  onRouterKey?: RouterKeyHook;
  generation?: AuthGeneration;
}): Authenticator {
  const { knex, sessions, apiKeys } = deps;

  async function userFromToken(token: string): Promise<UserPrincipal> {
    if (token.startsWith(API_KEY_PREFIX)) {
      throw new UnauthorizedError('Token inválido: las API Keys de router no sirven en endpoints de administración');
    }
    const claims = sessions.verify(token);
    const userId = Number(claims.sub);
    const [user, revoked] = await Promise.all([
      Number.isSafeInteger(userId)
        ? knex('usuarios').where({ id: userId }).first('id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'password_cambiado_en')
        : undefined,
      knex('sesiones_revocadas').where({ jti: claims.jti }).first('jti'),
    ]);
    if (!user || revoked) throw new UnauthorizedError('Token inválido');
    if (!user.activo) throw new UnauthorizedError('Usuario inactivo');
    // A password change ends every session opened before it.
    if (user.password_cambiado_en && claims.iat * 1000 < new Date(user.password_cambiado_en).getTime() - 1000) {
      throw new UnauthorizedError('Token inválido');
    }
    return { id: user.id, email: user.email, nombre: user.nombre, rol: user.rol, empresa_id: user.empresa_id, claims };
  }

  async function routerKey(ctx: AppContext): Promise<RouterPrincipal> {
    const raw = bearerToken(ctx) ?? (ctx.get('x-api-key').trim() || undefined);
    if (!raw) throw new UnauthorizedError('Se requiere API Key');
    const generation = deps.generation ? await deps.generation.current() : null;
    ctx.state.authGeneration = generation;
    const principal = await apiKeys.authenticate(raw, generation);
    ctx.state.router = principal;
    if (deps.onRouterKey) await deps.onRouterKey(ctx, principal);
    return principal;
  }

  return {
    userFromToken,
    async require(ctx, requirement) {
      if (requirement === 'public') return;
      if (requirement === 'router_key') {
        await routerKey(ctx);
        return;
      }
      const token = bearerToken(ctx);
      if (!token) throw new UnauthorizedError('No autenticado');
      const user = await userFromToken(token);
      ctx.state.user = user;
      if (requirement === 'super_admin' && user.rol !== 'super_admin') throw new ForbiddenError('Se requiere rol SUPER_ADMIN');
      if (requirement === 'cliente_admin' && user.rol !== 'cliente_admin') throw new ForbiddenError('Se requiere rol CLIENTE_ADMIN');
    },
  };
}
