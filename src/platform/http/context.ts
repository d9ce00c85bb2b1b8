import type { ParameterizedContext } from 'koa';
import type { Logger } from '../logger';

/** Who a portal request speaks for: the router API key's claims, checked against the database. */
export interface RouterPrincipal {
  keyId: string;
  routerId: string;
  empresaId: string;
}

/** The claims of an admin session token. */
export interface SessionClaims {
  sub: string;
  rol: 'super_admin' | 'cliente_admin';
  empresa: string | null;
  jti: string;
  type: 'session';
  /** The user's session epoch when issued (absent in tokens issued before epochs existed: 0). */
  ep?: number;
  iat: number;
  exp: number;
}

export interface UserPrincipal {
  id: number;
  email: string;
  nombre: string;
  rol: 'super_admin' | 'cliente_admin';
  empresa_id: string | null;
  claims: SessionClaims;
}

export interface AppState {
  requestId: string;
  log: Logger;
  /** Route template for metrics and logs (never the raw path with ids). */
  route?: string;
  user?: UserPrincipal;
  router?: RouterPrincipal;
  /** Generation of admin-managed data this request was authenticated against (null: no caching). */
  authGeneration?: string | null;
}

export type AppContext = ParameterizedContext<AppState>;

/** Who may call a route. */
export type AuthRequirement = 'public' | 'session' | 'super_admin' | 'cliente_admin' | 'router_key';

/** Implemented by the auth feature; the HTTP kernel only calls it. */
export interface Authenticator {
  require(ctx: AppContext, requirement: AuthRequirement): Promise<void>;
  /** Session user from a raw token (also used by Bull Board's login). */
  userFromToken(token: string): Promise<UserPrincipal>;
}
