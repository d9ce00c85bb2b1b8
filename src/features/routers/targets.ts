/** Where and how to reach a router: its row, with the password decrypted, for the RouterOS client. */
import type { RoutersStore } from './store';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { RouterTarget } from '../../integrations/mikrotik';
import { ConflictError } from '../../platform/errors';
import { GenerationCache } from '../../platform/auth-generation';

export type RouterModo = 'api' | 'radius';

/**
 * A router as its callers need it. In RADIUS mode (issue 22) the service never
 * dials it: `host`, `username` and `password` may be empty; check `modo` first
 * (requireApiMode) before any RouterOS call.
 */
export type LoadedRouterTarget = RouterTarget & {
  activo: boolean;
  empresa_id: string;
  modo: RouterModo;
  /** RADIUS mode: the last heartbeat (null: none yet). */
  ultimo_latido: Date | null;
};

export interface RouterTargets {
  load(routerId: string): Promise<LoadedRouterTarget | null>;
}

export const MODO_RADIUS_DETAIL = 'Este router está en modo RADIUS: el servicio no se conecta a su API, así que esta operación no está disponible. '
  + 'Los accesos se autorizan cuando el router pregunta al servidor RADIUS.';

/**
 * The one place that says a router may be dialled: a RADIUS-mode router is a
 * 409 `modo_radius` (Spanish detail) before any RouterOS connection is tried.
 */
export function requireApiMode<T extends { modo: RouterModo }>(target: T, detail = MODO_RADIUS_DETAIL): T {
  if (target.modo === 'radius') throw new ConflictError(detail, { code: 'modo_radius' });
  return target;
}

export function createRouterTargets(store: Pick<RoutersStore, 'findWithSecret'>, secrets: SecretBox): RouterTargets {
  return {
    async load(routerId) {
      const row = await store.findWithSecret(routerId);
      if (!row) return null;
      return {
        id: row.id, host: row.host ?? '', port: row.puerto, username: row.usuario ?? '', password: secrets.open(row.password_enc) ?? '',
        tls: row.tls, tlsInsecure: row.tls_insecure, activo: row.activo, empresa_id: row.empresa_id,
        modo: row.modo, ultimo_latido: row.ultimo_latido,
      };
    },
  };
}

/**
 * The same targets, reused in this process while the auth generation is
 * unchanged (every admin write, a router's included, moves it before it
 * answers: auth-generation.ts) and for `ttlMs` at most. Costs one Redis GET
 * instead of a PostgreSQL read; with Redis unable to say, it reads PostgreSQL.
 */
export function cachedRouterTargets(targets: RouterTargets, generation: () => Promise<string | null>, ttlMs = 30_000): RouterTargets {
  const cache = new GenerationCache<LoadedRouterTarget>(ttlMs, 10_000);
  return {
    async load(routerId) {
      const current = await generation();
      const hit = cache.get(routerId, current);
      if (hit) return hit;
      const target = await targets.load(routerId);
      if (target) cache.set(routerId, current, target);
      return target;
    },
  };
}
