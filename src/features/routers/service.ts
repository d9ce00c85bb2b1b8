/**
 * Routers of a company and the lifecycle of their API keys (seed 003).
 *
 * - The full key is returned by create and regenerate; PostgreSQL checks it by
 *   its sha256 and keeps it sealed (Fernet) only for its company's portal
 *   download (issue 23: the key is public by design, it ships in the portal's
 *   config.js). Router responses never carry the password, the key hash nor
 *   the sealed key.
 * - At most one usable key per router: regenerate locks the router row
 *   (SELECT ... FOR UPDATE), revokes, then inserts, in one transaction, and a
 *   partial unique index backs it up.
 * - Usage counts are live: stored totals plus what Redis has not flushed yet.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { RunInTransaction, Tx } from '../../platform/db/objection';
import type { RouterApiKeys } from './api-keys';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { Logger } from '../../platform/logger';
import { BadRequestError, NotFoundError, ValidationError } from '../../platform/errors';
import { issueRadiusCredentials } from './radius-service';
import type { RadiusClientsStore } from './radius-clients-store';
import { ROUTER_ADDRESS_CODE, type RouterAddressPolicy } from '../../platform/router-address';
import { ID_PATTERNS, newRouterId } from '../../platform/ids';
import { withLiveUsage, type KeyUsageLive } from './api-key-usage';
import { assertSameEmpresa, requireEmpresa, type EmpresasStore } from '../empresas';
import { pgErrorCode, withFreshId } from '../../platform/db/unique';
import type { ApiKeyRecord, RouterPublic, RouterValues, RoutersStore } from './store';
import type { routerCreateBody, routerUpdateBody } from './schemas';
import type { PruebaService } from './prueba';
export type { ApiKeyRecord, RouterPublic };

export const ADMIN_ROUTER_NOT_FOUND = 'Router no encontrado o no pertenece a la empresa';
export const KEY_NOT_FOUND = 'API Key no encontrada';
/** A key expiring within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

const ROUTER_ID = new RegExp(ID_PATTERNS.router);
const KEY_ID = new RegExp(ID_PATTERNS.apiKey);

/**
 * The products of a router, as far as deleting the router cares (the productos
 * feature's store, wired in by the composition root: productos depends on
 * routers, not the other way round).
 */
export interface RouterProductos {
  /** Products of the router not deleted. */
  countLive(routerId: string, tx?: Tx): Promise<number>;
  /** Deletes the router's soft-deleted products (their sales keep a snapshot). */
  purgeDeleted(routerId: string, tx?: Tx): Promise<void>;
}

/**
 * POST /admin/empresas/:empresa_id/routers, as its schema (schemas.ts)
 * validated it. `puerto` is 8728 when omitted; `tls` follows the port unless given.
 */
export type RouterCreate = FromSchema<typeof routerCreateBody>;

/** PUT /admin/empresas/:empresa_id/routers/:router_id: every field optional (an omitted one keeps its value). */
export type RouterUpdate = FromSchema<typeof routerUpdateBody>;

/** Usage not yet flushed to PostgreSQL (api-key-usage.ts). */
export interface KeyUsageReader {
  live(keyIds: string[]): Promise<Map<string, KeyUsageLive>>;
}

const apiKeyInfo = (row: { key_id: string; issued_at: Date; expires_at: Date }) => ({
  key_id: row.key_id,
  issued_at: row.issued_at,
  expires_at: row.expires_at,
  type: 'router_api_key' as const,
});

/** In api mode the service dials the router: host, API user and password are required. */
function requireApiFields(values: { host?: string | undefined; usuario?: string | undefined; password?: string | undefined }): void {
  for (const field of ['host', 'usuario', 'password'] as const) {
    if (values[field] === undefined || values[field] === '') {
      // The schema's own wording (the field was required by the schema before RADIUS mode).
      throw new ValidationError(`El campo '${field}' es obligatorio`, field);
    }
  }
}

/** API-SSL on its usual port unless the caller said otherwise. */
function tlsFor(puerto: number | undefined, tls: boolean | undefined, current?: boolean): boolean | undefined {
  if (tls !== undefined) return tls;
  if (puerto === 8729) return true;
  if (puerto === 8728) return false;
  return current;
}

export function createRoutersService(deps: {
  store: RoutersStore;
  empresas: EmpresasStore;
  productos: RouterProductos;
  transaction: RunInTransaction;
  secrets: SecretBox;
  apiKeys: RouterApiKeys;
  keyUsage?: KeyUsageReader;
  logger?: Logger;
  /** FreeRADIUS's clients: a router leaving RADIUS mode (or deleted) stops being served. */
  radiusClients?: Pick<RadiusClientsStore, 'remove'>;
  /** Which hosts a router may have (ROUTER_ALLOWED_NETWORKS); without it any host is accepted. */
  addresses?: Pick<RouterAddressPolicy, 'check'>;
  /** Applies the router's trial on the device (prueba.ts); without it `prueba` is refused. */
  prueba?: Pick<PruebaService, 'apply'>;
}) {
  const { store, empresas, transaction, secrets, apiKeys } = deps;

  /**
   * The one check of a router's host on every write, for super and company
   * admins alike: loopback, private, link-local and metadata addresses are a
   * 422 unless inside ROUTER_ALLOWED_NETWORKS. A router without a host
   * (RADIUS mode, nothing dials it) passes. Run before any transaction: a
   * DNS name is resolved here.
   */
  async function assertAllowedHost(host: string | null | undefined) {
    const refusal = deps.addresses ? await deps.addresses.check(host) : null;
    if (refusal) throw new ValidationError(refusal, 'host', { code: ROUTER_ADDRESS_CODE });
  }

  /** 404 "Empresa no encontrada", then 404 for a router that is not this company's. */
  async function locate(empresaId: string, routerId: string, lock?: { tx: Tx }): Promise<RouterPublic> {
    await requireEmpresa(empresas, empresaId);
    if (!ROUTER_ID.test(routerId)) throw new NotFoundError(ADMIN_ROUTER_NOT_FOUND);
    const row = await store.find(empresaId, routerId, lock ? { tx: lock.tx, forUpdate: true } : {});
    if (!row) throw new NotFoundError(ADMIN_ROUTER_NOT_FOUND);
    return row;
  }

  async function withLive<T extends { key_id: string; use_count: number; last_used: Date | null }>(rows: T[]): Promise<T[]> {
    if (!deps.keyUsage || rows.length === 0) return rows;
    try {
      const live = await deps.keyUsage.live(rows.map((r) => r.key_id));
      return rows.map((row) => withLiveUsage(row, live));
    } catch (error) {
      // Redis down: the stored totals are still a correct (if slightly old) answer.
      deps.logger?.warn({ err: { message: (error as Error).message } }, 'live api key usage unavailable');
      return rows;
    }
  }

  return {
    locate: (empresaId: string, routerId: string) => locate(empresaId, routerId),

    /** Creates the router and its first key in one transaction; the key is in this answer only. */
    async create(empresaId: string, body: RouterCreate) {
      assertSameEmpresa(empresaId, body.empresa_id);
      const empresa = await requireEmpresa(empresas, empresaId);
      if (!empresa.activa) throw new BadRequestError('No se puede agregar un router a una empresa inactiva');
      await assertAllowedHost(body.host);
      const puerto = body.puerto ?? 8728;
      const modo = body.modo ?? 'api';
      if (modo === 'api') requireApiFields(body);
      return withFreshId(() => transaction(async (tx) => {
        const router = await store.insert({
          id: newRouterId(),
          empresa_id: empresaId,
          nombre: body.nombre.trim(),
          host: body.host ?? null,
          puerto,
          tls: tlsFor(puerto, body.tls) ?? false,
          tls_insecure: body.tls_insecure ?? false,
          usuario: body.usuario ?? null,
          password_enc: secrets.seal(body.password ?? null),
          ubicacion: body.ubicacion ?? null,
          activo: true,
          modo,
          // RADIUS mode: its own secret and heartbeat token from the start (shown in its setup script).
          ...(modo === 'radius' ? issueRadiusCredentials(secrets).columns : {}),
        }, tx);
        const issued = apiKeys.issue(router.id, empresaId);
        await store.insertKey({ ...issued.row, api_key_enc: secrets.seal(issued.apiKey) }, tx);
        return { ...router, api_key: issued.apiKey, api_key_info: apiKeyInfo(issued.row) };
      }), 'routers_pkey');
    },

    async list(empresaId: string): Promise<RouterPublic[]> {
      await requireEmpresa(empresas, empresaId);
      return store.listByEmpresa(empresaId);
    },

    get: (empresaId: string, routerId: string) => locate(empresaId, routerId),

    /** Partial update: absent fields keep their values; a new password is sealed. */
    async update(empresaId: string, routerId: string, body: RouterUpdate): Promise<RouterPublic> {
      assertSameEmpresa(empresaId, body.empresa_id);
      if (body.host !== undefined) await assertAllowedHost(body.host);
      const saved = await transaction(async (tx) => {
        const current = await locate(empresaId, routerId, { tx });
        // The stored password is never sent to a new address: whoever moves the router types it again.
        if (body.host !== undefined && body.host !== current.host && body.password === undefined) {
          throw new ValidationError('Para cambiar la dirección del router escriba también su contraseña: la guardada no se envía a una dirección nueva.', 'password', { code: 'router_password_required' });
        }
        const patch: RouterValues = {};
        const modo = body.modo ?? current.modo;
        if (modo === 'api') {
          const stored = await store.findWithSecret(routerId, tx);
          requireApiFields({
            host: body.host ?? stored?.host ?? undefined,
            usuario: body.usuario ?? stored?.usuario ?? undefined,
            password: body.password ?? (stored?.password_enc ? 'guardada' : undefined),
          });
        }
        if (modo !== current.modo) {
          patch.modo = modo;
          if (modo === 'radius') {
            const held = await store.radiusSecrets(routerId, { tx });
            // Credentials survive a round trip through api mode: the router keeps its configuration.
            if (!held?.token_hash || !held.radius_secret_enc) Object.assign(patch, issueRadiusCredentials(secrets).columns);
          } else {
            await store.clearAddress([routerId], tx);
            await deps.radiusClients?.remove([routerId], tx);
          }
        }
        if (body.nombre !== undefined) patch.nombre = body.nombre.trim();
        if (body.host !== undefined) patch.host = body.host;
        if (body.puerto !== undefined) patch.puerto = body.puerto;
        if (body.usuario !== undefined) patch.usuario = body.usuario;
        if (body.ubicacion !== undefined) patch.ubicacion = body.ubicacion;
        if (body.tls_insecure !== undefined) patch.tls_insecure = body.tls_insecure;
        if (body.password !== undefined) patch.password_enc = secrets.seal(body.password);
        const tls = tlsFor(body.puerto, body.tls, current.tls);
        if (tls !== current.tls) patch.tls = tls;
        if (Object.keys(patch).length === 0) return current;
        return (await store.patch(routerId, patch, tx))!; // locked above: it exists
      });
      // The trial goes to the device after the other fields are saved (with the new address and credentials).
      if (body.prueba === undefined) return saved;
      if (!deps.prueba) throw new BadRequestError('La prueba gratuita no se puede configurar aquí');
      return deps.prueba.apply(routerId, saved.prueba, body.prueba);
    },

    /** Flips `activo` atomically; an inactive router's key is refused on the next request. */
    async toggle(empresaId: string, routerId: string) {
      await locate(empresaId, routerId);
      const row = await store.toggle(empresaId, routerId);
      if (!row) throw new NotFoundError(ADMIN_ROUTER_NOT_FOUND);
      // An inactive router is not served by FreeRADIUS either; once active again, its next heartbeat (every minute) brings it back.
      if (!row.activo) {
        await store.clearAddress([routerId]);
        await deps.radiusClients?.remove([routerId]);
      }
      return {
        message: row.activo ? 'Router activado correctamente' : 'Router desactivado correctamente',
        router_id: row.id,
        activo: row.activo,
      };
    },

    /**
     * Revokes the current key and issues a new one. The router row is locked
     * for the whole transaction, so two concurrent regenerations run one after
     * the other and each revokes what the previous one issued.
     */
    async regenerate(empresaId: string, routerId: string) {
      return transaction(async (tx) => {
        const router = await locate(empresaId, routerId, { tx });
        if (!router.activo) throw new BadRequestError('No se puede regenerar API key de un router inactivo');
        const now = new Date();
        const revoked = await store.revokeActiveKeys(routerId, now, tx);
        const issued = apiKeys.issue(routerId, empresaId, now);
        await store.insertKey({ ...issued.row, api_key_enc: secrets.seal(issued.apiKey) }, tx);
        return {
          message: 'API Key regenerada exitosamente',
          router_id: routerId,
          new_api_key: issued.apiKey,
          api_key_info: apiKeyInfo(issued.row),
          // "true if a previous active key was found and revoked" (an expired one was no longer active).
          previous_key_revoked: revoked.some((k) => new Date(k.expires_at).getTime() > now.getTime()),
        };
      });
    },

    /**
     * The key in use, for its own company's portal download (the key is public by
     * design: it ships in the portal page); null when only its hash is kept.
     */
    async currentApiKey(empresaId: string, routerId: string, now = new Date()): Promise<string | null> {
      return secrets.open(await store.sealedActiveKey(empresaId, routerId, now));
    },

    /** Every key of the router, newest first, with live usage. */
    async keys(empresaId: string, routerId: string): Promise<ApiKeyRecord[]> {
      await locate(empresaId, routerId);
      return withLive(await store.keysOf(routerId));
    },

    async revoke(empresaId: string, routerId: string, keyId: string) {
      await locate(empresaId, routerId);
      if (!KEY_ID.test(keyId)) throw new NotFoundError(KEY_NOT_FOUND);
      const scope = { key_id: keyId, router_id: routerId, empresa_id: empresaId };
      if (!(await store.keyExists(scope))) throw new NotFoundError(KEY_NOT_FOUND);
      const row = await store.revokeKey(scope, new Date());
      if (!row) throw new BadRequestError('La API Key ya está revocada');
      return { message: 'API Key revocada exitosamente', key_id: row.key_id, router_id: routerId, revoked_at: row.revoked_at };
    },

    /** The active key (not revoked, not expired) with expiry and usage warnings. */
    async keyStatus(empresaId: string, routerId: string, now = new Date()) {
      await locate(empresaId, routerId);
      const stored = await store.activeKey(routerId, now);
      if (!stored) {
        return {
          router_id: routerId, has_active_key: false, key_id: null, issued_at: null, expires_at: null, expires_in_days: null,
          last_used: null, use_count: 0, status: 'no_key' as const, warning: null,
          recommendation: 'Generar una nueva API Key', message: 'No hay API Key activa para este router',
        };
      }
      const [key] = await withLive([stored]);
      const expiresInDays = Math.floor((new Date(key.expires_at).getTime() - now.getTime()) / DAY_MS);
      let warning: string | null = null;
      let recommendation: string | null = null;
      if (expiresInDays < EXPIRY_WARNING_DAYS) {
        warning = `La API Key expira en ${expiresInDays} días`;
        recommendation = 'Considerar regenerar la API Key pronto';
      } else if (Number(key.use_count) === 0) {
        warning = 'Esta API Key nunca ha sido usada';
        recommendation = 'Verificar que el cliente la esté usando correctamente';
      }
      // Warnings recorded by the daily expiry job (30, 7 and 1 days before).
      const expiryWarnings = await store.warningsOf(key.key_id);
      return {
        router_id: routerId, has_active_key: true, key_id: key.key_id, issued_at: key.issued_at, expires_at: key.expires_at,
        expires_in_days: expiresInDays, last_used: key.last_used, use_count: Number(key.use_count), status: 'active' as const,
        warning, recommendation, message: null, expiry_warnings: expiryWarnings,
      };
    },

    /**
     * Deletes the router with its key records and its soft-deleted products.
     * Refused while it has products; its transactions stay (they keep the id).
     */
    async remove(empresaId: string, routerId: string) {
      await transaction(async (tx) => {
        await locate(empresaId, routerId, { tx });
        const productos = await deps.productos.countLive(routerId, tx);
        if (productos > 0) {
          throw new BadRequestError(`No se puede eliminar el router porque tiene ${productos} producto(s) asociado(s)`);
        }
        await deps.productos.purgeDeleted(routerId, tx);
        await store.deleteKeys(routerId, tx);
        await deps.radiusClients?.remove([routerId], tx);
        try {
          await store.delete(empresaId, routerId, tx);
        } catch (error) {
          if (pgErrorCode(error) === '23503') {
            throw new BadRequestError('No se puede eliminar el router porque tiene registros asociados');
          }
          throw error;
        }
      });
      return { message: 'Router eliminado exitosamente', router_id: routerId, empresa_id: empresaId };
    },
  };
}

export type RoutersService = ReturnType<typeof createRoutersService>;
