/**
 * Router API keys: `jwt_` + an HS JWT signed with JWT_APIKEY_SECRET. The key is
 * checked against its stored sha256; the routers service also keeps it sealed
 * for the company's portal download (it is public by design: it ships in the
 * portal page).
 *
 * A valid signature is not enough: the key is checked in PostgreSQL (the stored
 * one, not revoked, its router and company active). A process reuses a check
 * only while the auth generation it was made in is current (see
 * auth-generation.ts and portal-gate.ts), so a revocation through the API takes
 * effect on the next request on every process.
 */
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { RoutersStore } from './store';
import type { Config } from '../../platform/config';
import { UnauthorizedError } from '../../platform/errors';
import { newApiKeyId } from '../../platform/ids';
import { GenerationCache } from '../../platform/auth-generation';
import type { RouterPrincipal } from '../../platform/http/context';
export type { RouterPrincipal };

export const API_KEY_PREFIX = 'jwt_';
export const API_KEY_ISSUER = 'mikrotik-payment-api';

export interface ApiKeyClaims {
  jti: string;
  iss: string;
  sub: string;
  empresa: string;
  iat: number;
  exp: number;
  type: 'router_api_key';
}

export interface IssuedApiKey {
  apiKey: string;
  row: { key_id: string; router_id: string; empresa_id: string; token_sha256: string; issued_at: Date; expires_at: Date };
}


export const sha256Hex = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

export interface RouterApiKeys {
  /** Signs a new key; the caller stores `row` (inside its own transaction). */
  issue(routerId: string, empresaId: string, now?: Date): IssuedApiKey;
  /** With a generation (see auth-generation.ts), a key checked in this generation is not re-read. */
  authenticate(rawKey: string, generation?: string | null): Promise<RouterPrincipal>;
  /** The principal a recent check of this key found, and the generation it was checked in; still to be confirmed current. */
  recentlyChecked(rawKey: string): { principal: RouterPrincipal; generation: string } | undefined;
}

const CACHE_TTL_MS = 30_000;

export function createRouterApiKeys(config: Pick<Config, 'jwt'>, store: Pick<RoutersStore, 'keyForAuth'>): RouterApiKeys {
  const { apiKeySecret, algorithm, apiKeyExpireDays } = config.jwt;
  // A KeyObject made once: given a string, jsonwebtoken re-derives it (and first
  // tries it as a public key) on every call, a large share of a portal request.
  const secretKey = crypto.createSecretKey(Buffer.from(apiKeySecret, 'utf8'));
  const checked = new GenerationCache<RouterPrincipal & { exp: number }>(CACHE_TTL_MS);

  function decode(rawKey: string): ApiKeyClaims {
    if (!rawKey.startsWith(API_KEY_PREFIX) || rawKey.length < API_KEY_PREFIX.length + 20) {
      throw new UnauthorizedError('Formato de API Key inválido');
    }
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(rawKey.slice(API_KEY_PREFIX.length), secretKey, { algorithms: [algorithm], issuer: API_KEY_ISSUER });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new UnauthorizedError('API Key expirada');
      throw new UnauthorizedError('API Key no válida o revocada');
    }
    if (
      typeof payload !== 'object' || payload.type !== 'router_api_key' ||
      typeof payload.jti !== 'string' || typeof payload.sub !== 'string' || typeof payload.empresa !== 'string'
    ) {
      throw new UnauthorizedError('API Key no válida o revocada');
    }
    return payload as ApiKeyClaims;
  }

  return {
    issue(routerId, empresaId, now = new Date()) {
      const keyId = newApiKeyId();
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + apiKeyExpireDays * 86_400;
      const claims: ApiKeyClaims = { jti: keyId, iss: API_KEY_ISSUER, sub: routerId, empresa: empresaId, iat, exp, type: 'router_api_key' };
      const apiKey = API_KEY_PREFIX + jwt.sign(claims, secretKey, { algorithm });
      return {
        apiKey,
        row: {
          key_id: keyId, router_id: routerId, empresa_id: empresaId, token_sha256: sha256Hex(apiKey),
          issued_at: new Date(iat * 1000), expires_at: new Date(exp * 1000),
        },
      };
    },

    recentlyChecked(rawKey) {
      const entry = checked.peek(rawKey);
      if (!entry || entry.value.exp * 1000 <= Date.now()) return undefined;
      const { keyId, routerId, empresaId } = entry.value;
      return { principal: { keyId, routerId, empresaId }, generation: entry.generation };
    },

    async authenticate(rawKey, generation = null) {
      const cached = checked.get(rawKey, generation);
      if (cached && cached.exp * 1000 > Date.now()) return { keyId: cached.keyId, routerId: cached.routerId, empresaId: cached.empresaId };
      const claims = decode(rawKey);
      const row = await store.keyForAuth(claims.jti);
      const expected = Buffer.from(sha256Hex(rawKey), 'hex');
      if (
        !row || row.revoked || row.router_id !== claims.sub || row.empresa_id !== claims.empresa ||
        !crypto.timingSafeEqual(expected, Buffer.from(row.token_sha256, 'hex'))
      ) {
        throw new UnauthorizedError('API Key no válida o revocada');
      }
      if (!row.empresa_activa) throw new UnauthorizedError('Empresa no activa');
      if (!row.router_activo) throw new UnauthorizedError('Router no activo');
      const principal = { keyId: claims.jti, routerId: row.router_id, empresaId: row.empresa_id };
      checked.set(rawKey, generation, { ...principal, exp: claims.exp });
      return principal;
    },
  };
}
