/**
 * Turns request headers into a principal. Session tokens and router API keys
 * are told apart by the `jwt_` prefix and checked by different code with
 * different secrets: one is never accepted where the other is expected.
 */
import type { RouterApiKeys, RouterPrincipal } from '../routers';
import { API_KEY_PREFIX } from '../routers';
import type { SessionTokens } from './session-tokens';
import type { AuthGeneration } from '../../platform/auth-generation';
import type { GatePass, PortalGate } from './portal-gate';
import type { UsuariosStore } from './store';
import { ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { AppContext, UserPrincipal } from '../../platform/http/context';

import type { Authenticator, AuthRequirement } from '../../platform/http/context';
export type { Authenticator, AuthRequirement };

export function bearerToken(ctx: AppContext): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function createAuthenticator(deps: {
  usuarios: Pick<UsuariosStore, 'findForSession' | 'isRevoked'>;
  sessions: SessionTokens;
  apiKeys: RouterApiKeys;
  /** Without it (tests of the bare check), every key is read from PostgreSQL and nothing is counted. */
  portal?: { gate: PortalGate; generation: AuthGeneration };
}): Authenticator {
  const { usuarios, sessions, apiKeys } = deps;

  async function userFromToken(token: string): Promise<UserPrincipal> {
    if (token.startsWith(API_KEY_PREFIX)) {
      throw new UnauthorizedError('Token inválido: las API Keys de router no sirven en endpoints de administración');
    }
    const claims = sessions.verify(token);
    const userId = Number(claims.sub);
    const [user, revoked] = await Promise.all([
      Number.isSafeInteger(userId) ? usuarios.findForSession(userId) : undefined,
      usuarios.isRevoked(claims.jti),
    ]);
    if (!user || revoked) throw new UnauthorizedError('Token inválido');
    if (!user.activo) throw new UnauthorizedError('Usuario inactivo');
    // A password change or reset moves the epoch: every session opened before it ends,
    // except the one that changed its own password (ASVS 3.3.3).
    if ((claims.ep ?? 0) !== user.sesion_epoca && claims.jti !== user.sesion_conservada) throw new UnauthorizedError('Sesión cerrada: la contraseña cambió. Inicie sesión de nuevo');
    // A deactivated company's admins lose their sessions on the next request.
    if (user.rol === 'cliente_admin' && user.empresa_activa !== true) throw new UnauthorizedError('Empresa inactiva: la sesión ya no es válida');
    return { id: user.id, email: user.email, nombre: user.nombre, rol: user.rol, empresa_id: user.empresa_id, claims };
  }

  /** The gate, or null when Redis cannot answer: then nothing is cached, counted or limited (and we log it). */
  async function passGate(ctx: AppContext, keyId: string, checkedIn?: string): Promise<GatePass | null> {
    try {
      return await deps.portal!.gate.pass(keyId, checkedIn);
    } catch (error) {
      ctx.state.log.warn({ err: { message: (error as Error).message } }, 'portal gate unavailable; key read from the database, usage not counted, no rate limit');
      return null;
    }
  }

  /**
   * The usual request is one Redis round trip: this process checked the key
   * recently and the gate confirms nothing changed since, then counts it.
   * Otherwise the key is read from PostgreSQL first, and counted after.
   */
  async function routerKey(ctx: AppContext): Promise<RouterPrincipal> {
    const raw = bearerToken(ctx) ?? (ctx.get('x-api-key').trim() || undefined);
    if (!raw) throw new UnauthorizedError('Se requiere API Key');
    if (!deps.portal) {
      ctx.state.authGeneration = null;
      return (ctx.state.router = await apiKeys.authenticate(raw, null));
    }
    const recent = apiKeys.recentlyChecked(raw);
    let pass = recent ? await passGate(ctx, recent.principal.keyId, recent.generation) : undefined;
    let principal: RouterPrincipal;
    if (recent && pass && !pass.stale) {
      principal = recent.principal;
    } else {
      // A gate that just failed, or a generation Redis could not give, means Redis is down: one attempt per request is enough.
      const generation = pass ? pass.generation : pass === null ? null : await deps.portal.generation.current();
      principal = await apiKeys.authenticate(raw, generation);
      pass = generation === null ? null : await passGate(ctx, principal.keyId);
    }
    ctx.state.router = principal;
    ctx.state.authGeneration = pass?.generation ?? null;
    if (pass && !pass.stale && pass.refusal) throw pass.refusal;
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
