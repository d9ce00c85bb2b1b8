import type { ParameterizedContext } from 'koa';
import type { Logger } from '../logger';
import type { RouterPrincipal } from '../auth/router-api-keys';
import type { SessionClaims } from '../auth/session-tokens';

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
