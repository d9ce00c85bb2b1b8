/**
 * RADIUS mode's router recognition (issue 22, item 3).
 *
 * - A RADIUS-mode router has its own RADIUS shared secret and its own router
 *   token (neither is the portal's API key, which is public in the portal
 *   files), both sealed with the secret box; the token's sha256 finds the
 *   router on a heartbeat. Generated when the router enters RADIUS mode,
 *   rotated only on request.
 * - `POST /api/v1/routers/latido` with `Authorization: Bearer <router token>`
 *   records the address the request came from as the router's RADIUS client
 *   address (its `nas` row: FreeRADIUS serves it within its client lifetime,
 *   no restart). A router keeps its address until it reports another.
 * - Carrier NAT can put two of our routers behind one address: then the
 *   address cannot tell them apart. While its holder has sent a heartbeat in
 *   the last 10 minutes, another router's heartbeat from that address is a 409
 *   `direccion_compartida` and the holder keeps it; after that the newcomer
 *   takes it.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { RunInTransaction, Tx } from '../../platform/db/objection';
import { BadRequestError, ConflictError, ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { RadiusClientsStore } from './radius-clients-store';
import type { RoutersStore, RouterRadiusSecrets } from './store';
import { sha256Hex } from './api-keys';

/** How long a heartbeat keeps an address its router's against another router's claim. */
export const SHARED_ADDRESS_WINDOW_MS = 10 * 60_000;
/** A heartbeat this recent makes a RADIUS-mode router "activo" (validar-empresa-router); routers send one a minute. */
export const LATIDO_ACTIVO_MS = 5 * 60_000;

export const TOKEN_PREFIX = 'rtk_';
const TOKEN_PATTERN = /^rtk_[A-Za-z0-9_-]{43}$/;

export const DIRECCION_COMPARTIDA_DETAIL = (address: string) =>
  `Otro router de este servicio ya usa la dirección pública ${address} (el proveedor de internet comparte una misma dirección entre varios clientes, CGNAT), `
  + 'así que el servidor RADIUS no puede distinguirlos por dirección. Este router no quedó registrado. '
  + 'Conéctelo por un túnel (WireGuard) o con una dirección pública propia, y vuelva a enviar el latido.';

/** A RADIUS shared secret RouterOS and a script can carry as is (letters and digits, 32 characters). */
export function newRadiusSecret(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from({ length: 32 }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
}

export function newRouterToken(): string {
  return `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
}

/** The columns of freshly generated credentials (sealed) and the clear values (shown once to the company). */
export function issueRadiusCredentials(secrets: SecretBox, which: { secreto: boolean; token: boolean } = { secreto: true, token: true }) {
  const radiusSecret = which.secreto ? newRadiusSecret() : null;
  const token = which.token ? newRouterToken() : null;
  const columns: Partial<RouterRadiusSecrets> = {};
  if (radiusSecret !== null) columns.radius_secret_enc = secrets.seal(radiusSecret);
  if (token !== null) {
    columns.token_enc = secrets.seal(token);
    columns.token_hash = sha256Hex(token);
  }
  return { radiusSecret, token, columns };
}

/** The IPv4 address of a request's source, or null when it came over IPv6. */
export function ipv4Of(ip: string): string | null {
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(plain) ? plain : null;
}

export function createRadiusRoutersService(deps: {
  store: RoutersStore;
  clients: RadiusClientsStore;
  transaction: RunInTransaction;
  secrets: SecretBox;
  logger?: Logger;
  /** Stores the heartbeat's trial count (issue 24, item 4). */
  pruebas?: { latido(routerId: string, activas: number, now: Date): Promise<unknown> };
}) {
  const { store, clients, transaction, secrets } = deps;

  return {
    /**
     * A heartbeat. `authorization` is the request's header; `sourceIp` the
     * address it came from (behind our proxies: the one they saw).
     */
    async latido(authorization: string | undefined, sourceIp: string, now = new Date(), extra: { pruebasActivas?: number } = {}) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) throw new UnauthorizedError('Falta el token del router (Authorization: Bearer <token del router>)');
      const token = match[1]!;
      // Anything but a router token (the portal's API key included) never matches a hash.
      if (!TOKEN_PATTERN.test(token)) throw new UnauthorizedError('Token de router inválido');
      const address = ipv4Of(sourceIp);
      const outcome = await transaction(async (tx: Tx) => {
        const router = await store.findByTokenHash(sha256Hex(token), tx);
        if (!router) throw new UnauthorizedError('Token de router inválido');
        if (!router.activo) throw new ForbiddenError('El router está inactivo');
        if (!address) {
          throw new BadRequestError('El latido llegó por IPv6: el router envía RADIUS por IPv4, así que el latido debe ir a la dirección IPv4 del servicio (la del script de configuración)');
        }
        await store.lockAddress(address, tx);
        const holders = await store.addressHolders(address, router.id, tx);
        const fresh = holders.filter((h) => h.ultimo_latido && now.getTime() - new Date(h.ultimo_latido).getTime() < SHARED_ADDRESS_WINDOW_MS);
        if (fresh.length > 0) {
          deps.logger?.warn({ router_id: router.id, holders: fresh.map((h) => h.id) }, 'latido RADIUS desde una dirección que ya usa otro router');
          return { shared: true as const, routerId: router.id, address };
        }
        // Holders silent for 10 minutes lose the address to the router that reports it now.
        const stale = holders.map((h) => h.id);
        await store.clearAddress(stale, tx);
        await clients.remove(stale, tx);
        await store.recordLatido(router.id, address, now, tx);
        await clients.upsert(router.id, address, secrets.open(router.radius_secret_enc!), tx);
        return { shared: false as const, body: { message: 'Latido registrado', router_id: router.id, direccion: address, ultimo_latido: now } };
      });
      if (outcome.shared) {
        // Remembered outside the heartbeat's transaction, so the panel can tell this router's operator (never the holder's name).
        await store.recordDireccionCompartida(outcome.routerId, outcome.address, now);
        throw new ConflictError(DIRECCION_COMPARTIDA_DETAIL(outcome.address), { code: 'direccion_compartida' });
      }
      if (extra.pruebasActivas !== undefined && deps.pruebas) {
        // After the address is kept: a count that cannot be stored never costs the router its RADIUS address.
        await deps.pruebas.latido(outcome.body.router_id, extra.pruebasActivas, now)
          .catch((error: Error) => deps.logger?.warn({ router_id: outcome.body.router_id, err: { message: error.message } }, 'conteo de pruebas del latido no guardado'));
      }
      return outcome.body;
    },

    /** The clear RADIUS secret and router token of a RADIUS-mode router (its company's setup script). */
    async credenciales(routerId: string): Promise<{ radius_secret: string | null; router_token: string | null }> {
      const row = await store.radiusSecrets(routerId);
      return { radius_secret: secrets.open(row?.radius_secret_enc ?? null), router_token: secrets.open(row?.token_enc ?? null) };
    },

    /**
     * New RADIUS secret and/or router token (the router needs the new values:
     * its setup script shows them). The new secret reaches FreeRADIUS at once.
     * The caller has located and checked the router (RADIUS mode, its company).
     */
    async rotar(routerId: string, which: { secreto: boolean; token: boolean }) {
      return transaction(async (tx) => {
        await store.radiusSecrets(routerId, { tx, forUpdate: true });
        const issued = issueRadiusCredentials(secrets, which);
        await store.patch(routerId, issued.columns, tx);
        if (issued.radiusSecret !== null) await clients.setSecret(routerId, issued.radiusSecret, tx);
        return { router_id: routerId, radius_secret: issued.radiusSecret, router_token: issued.token };
      });
    },
  };
}

export type RadiusRoutersService = ReturnType<typeof createRadiusRoutersService>;
