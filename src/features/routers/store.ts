/**
 * The only code that reads or writes routers, router_api_keys,
 * api_key_usage_batches and api_key_expiry_warnings. Methods that take a `tx`
 * run inside the caller's transaction (see platform/db/objection.ts).
 */
import type { Knex } from 'knex';
import { on, pick, raw, type Tx } from '../../platform/db/objection';
import { ApiKeyExpiryWarningModel, ApiKeyUsageBatchModel, RouterApiKeyModel, RouterModel } from './models';

/** Router columns that may leave the service: never the password. */
export const ROUTER_PUBLIC_COLUMNS = [
  'id', 'empresa_id', 'nombre', 'host', 'puerto', 'tls', 'tls_insecure', 'usuario', 'ubicacion', 'activo', 'creado_en', 'actualizado_en', 'prueba',
  'modo', 'radius_direccion', 'ultimo_latido', 'direccion_compartida', 'direccion_compartida_en',
] as const;
/** Key columns that may leave the service: never the token hash. */
export const KEY_COLUMNS = ['key_id', 'router_id', 'empresa_id', 'issued_at', 'expires_at', 'revoked', 'revoked_at', 'last_used', 'use_count'] as const;

export type RouterRow = Pick<RouterModel, (typeof ROUTER_PUBLIC_COLUMNS)[number] | 'password_enc'>;
/** A RADIUS-mode router's sealed credentials (never leave the service sealed or not, except to its own company). */
export type RouterRadiusSecrets = Pick<RouterModel, 'radius_secret_enc' | 'token_enc' | 'token_hash'>;
export type RouterForLatido = Pick<RouterModel, 'id' | 'empresa_id' | 'modo' | 'activo' | 'radius_secret_enc' | 'radius_direccion' | 'ultimo_latido'>;
export type RouterPublic = Pick<RouterRow, (typeof ROUTER_PUBLIC_COLUMNS)[number]>;
export type ApiKeyRecord = Pick<RouterApiKeyModel, (typeof KEY_COLUMNS)[number]>;
export type NewApiKeyRow = Pick<RouterApiKeyModel, 'key_id' | 'router_id' | 'empresa_id' | 'token_sha256' | 'issued_at' | 'expires_at'> & { api_key_enc?: string | null };
export type RouterValues = Partial<Omit<RouterRow, 'id' | 'empresa_id' | 'creado_en' | 'actualizado_en'> & RouterRadiusSecrets>;

type Scope = { empresaId?: string };

export function createRoutersStore(knex: Knex) {
  const routers = (tx?: Tx) => RouterModel.query(on(knex, tx));
  const keys = (tx?: Tx) => RouterApiKeyModel.query(on(knex, tx));
  const warnings = (tx?: Tx) => ApiKeyExpiryWarningModel.query(on(knex, tx));
  const toPublic = (row: RouterModel): RouterPublic => pick(row, ROUTER_PUBLIC_COLUMNS);
  const byCreation = [{ column: 'creado_en', order: 'asc' }, { column: 'id', order: 'asc' }] as const;

  return {
    // ---- routers

    /** The company's router, locked for the transaction with `forUpdate`. */
    async find(empresaId: string, routerId: string, options: { tx?: Tx; forUpdate?: boolean } = {}): Promise<RouterPublic | undefined> {
      const q = routers(options.tx).select(...ROUTER_PUBLIC_COLUMNS).where({ id: routerId, empresa_id: empresaId }).first();
      if (options.forUpdate) q.forUpdate();
      const row = await q;
      return row && toPublic(row);
    },

    /** The whole row, password included (sealed): only for reaching the device. */
    async findWithSecret(routerId: string, tx?: Tx): Promise<RouterRow | undefined> {
      const row = await routers(tx).findById(routerId);
      return row && pick(row, [...ROUTER_PUBLIC_COLUMNS, 'password_enc']);
    },

    /** The company a router belongs to (any company's: the sales list refuses another company's router as a filter). */
    async empresaOf(routerId: string): Promise<string | undefined> {
      const row = await routers().select('empresa_id').findById(routerId);
      return row?.empresa_id;
    },

    /** The router's hotspot login page for printed vouchers' QR codes (issue 15), if it has its own. */
    async hotspotLoginUrl(routerId: string): Promise<string | null> {
      const row = await routers().select('hotspot_login_url').findById(routerId);
      return row?.hotspot_login_url ?? null;
    },

    async listByEmpresa(empresaId: string): Promise<RouterPublic[]> {
      return (await routers().select(...ROUTER_PUBLIC_COLUMNS).where({ empresa_id: empresaId }).orderBy([...byCreation])).map(toPublic);
    },

    async insert(values: Omit<RouterRow, 'creado_en' | 'actualizado_en' | 'radius_direccion' | 'ultimo_latido' | 'direccion_compartida' | 'direccion_compartida_en' | 'prueba'> & Partial<RouterRadiusSecrets>, tx?: Tx): Promise<RouterPublic> {
      const row = await routers(tx).insert(values).returning([...ROUTER_PUBLIC_COLUMNS]);
      return toPublic(row as unknown as RouterModel);
    },

    async patch(routerId: string, values: RouterValues, tx?: Tx): Promise<RouterPublic | undefined> {
      const [row] = await routers(tx).patch({ ...values, actualizado_en: raw('now()') } as never).where({ id: routerId })
        .returning([...ROUTER_PUBLIC_COLUMNS]) as unknown as RouterModel[];
      return row && toPublic(row);
    },

    /** What applying the router's trial changed on the device (internal, never answered). */
    async pruebaRouter(routerId: string): Promise<Record<string, unknown> | null> {
      const row = await routers().select('prueba_router').findById(routerId);
      return row?.prueba_router ?? null;
    },

    /** The trial as set and as applied on the device, saved together once the device took it. */
    async guardarPrueba(routerId: string, prueba: RouterModel['prueba'], pruebaRouter: Record<string, unknown> | null): Promise<RouterPublic | undefined> {
      const [row] = await routers().patch({ prueba, prueba_router: pruebaRouter, actualizado_en: raw('now()') } as never).where({ id: routerId })
        .returning([...ROUTER_PUBLIC_COLUMNS]) as unknown as RouterModel[];
      return row && toPublic(row);
    },

    /** Flips `activo` in one statement. */
    async toggle(empresaId: string, routerId: string): Promise<{ id: string; activo: boolean } | undefined> {
      const [row] = await routers().patch({ activo: raw('NOT activo'), actualizado_en: raw('now()') } as never)
        .where({ id: routerId, empresa_id: empresaId }).returning(['id', 'activo']) as unknown as RouterModel[];
      return row && pick(row, ['id', 'activo']);
    },

    // ---- RADIUS mode (issue 22)

    /** The sealed RADIUS secret and router token of a router of the company, locked with `forUpdate`. */
    async radiusSecrets(routerId: string, options: { tx?: Tx; forUpdate?: boolean } = {}): Promise<RouterRadiusSecrets | undefined> {
      const q = routers(options.tx).select('radius_secret_enc', 'token_enc', 'token_hash').findById(routerId);
      if (options.forUpdate) q.forUpdate();
      const row = await q;
      return row && pick(row, ['radius_secret_enc', 'token_enc', 'token_hash']);
    },

    /** The RADIUS-mode router whose heartbeat token has this sha256, locked for the heartbeat's transaction. */
    async findByTokenHash(tokenHash: string, tx: Tx): Promise<RouterForLatido | undefined> {
      const row = await routers(tx).select('id', 'empresa_id', 'modo', 'activo', 'radius_secret_enc', 'radius_direccion', 'ultimo_latido')
        .where({ token_hash: tokenHash, modo: 'radius' }).first().forUpdate();
      return row && pick(row, ['id', 'empresa_id', 'modo', 'activo', 'radius_secret_enc', 'radius_direccion', 'ultimo_latido']);
    },

    /**
     * Serialises every claim of one address until the transaction ends, so two
     * routers reporting the same address at once cannot both take it.
     */
    async lockAddress(address: string, tx: Tx): Promise<void> {
      // Raw: an advisory lock is a function call Objection has no builder for.
      await (tx as unknown as Knex.Transaction).raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`radius-address:${address}`]);
    },

    /** Other RADIUS-mode routers holding this address. */
    async addressHolders(address: string, exceptRouterId: string, tx: Tx): Promise<Array<Pick<RouterModel, 'id' | 'empresa_id' | 'ultimo_latido'>>> {
      const rows = await routers(tx).select('id', 'empresa_id', 'ultimo_latido')
        .where({ modo: 'radius', radius_direccion: address }).whereNot('id', exceptRouterId).forUpdate();
      return rows.map((r) => pick(r, ['id', 'empresa_id', 'ultimo_latido']));
    },

    /** Records a heartbeat: the router's RADIUS client address and when (a previous shared-address refusal is over). */
    async recordLatido(routerId: string, address: string, at: Date, tx: Tx): Promise<void> {
      await routers(tx).patch({ radius_direccion: address, ultimo_latido: at, direccion_compartida: null, direccion_compartida_en: null } as never)
        .where({ id: routerId });
    },

    /** Remembers a heartbeat refused because another router holds `address` (shown to the router's operator). */
    async recordDireccionCompartida(routerId: string, address: string, at: Date): Promise<void> {
      await routers().patch({ direccion_compartida: address, direccion_compartida_en: at } as never).where({ id: routerId });
    },

    /** The router no longer holds its address (another took it, or it left RADIUS mode). */
    async clearAddress(routerIds: string[], tx?: Tx): Promise<void> {
      if (routerIds.length === 0) return;
      await routers(tx).patch({ radius_direccion: null } as never).whereIn('id', routerIds);
    },

    async delete(empresaId: string, routerId: string, tx?: Tx): Promise<void> {
      await routers(tx).delete().where({ id: routerId, empresa_id: empresaId });
    },

    async counts(scope: Scope = {}): Promise<{ total: number; activos: number }> {
      const q = routers().select(raw('count(*)::int as total'), raw('count(*) filter (where activo)::int as activos')).first();
      if (scope.empresaId) q.where('empresa_id', scope.empresaId);
      const row = await q.castTo<{ total: number; activos: number }>();
      return { total: Number(row?.total ?? 0), activos: Number(row?.activos ?? 0) };
    },

    // ---- API keys

    async insertKey(row: NewApiKeyRow, tx?: Tx): Promise<void> {
      await keys(tx).insert(row);
    },

    /** Revokes the router's unrevoked keys; returns them. */
    async revokeActiveKeys(routerId: string, now: Date, tx?: Tx): Promise<Array<{ key_id: string; expires_at: Date }>> {
      const rows = await keys(tx).patch({ revoked: true, revoked_at: now }).where({ router_id: routerId, revoked: false })
        .returning(['key_id', 'expires_at']) as unknown as RouterApiKeyModel[];
      return rows.map((r) => pick(r, ['key_id', 'expires_at']));
    },

    /** Every key of the router, newest first. */
    async keysOf(routerId: string): Promise<ApiKeyRecord[]> {
      // Keys issued in the same second: the one still unrevoked, then the latest revoked, is newer.
      const rows = await keys().select(...KEY_COLUMNS).where({ router_id: routerId })
        .orderByRaw('issued_at DESC, revoked_at DESC NULLS FIRST, key_id DESC');
      return rows.map((r) => pick(r, KEY_COLUMNS));
    },

    async keyExists(scope: { key_id: string; router_id: string; empresa_id: string }): Promise<boolean> {
      return Boolean(await keys().select('key_id').where(scope).first());
    },

    /** Revokes the key if it is not yet; undefined when it already was. */
    async revokeKey(scope: { key_id: string; router_id: string; empresa_id: string }, now: Date): Promise<{ key_id: string; revoked_at: Date } | undefined> {
      const [row] = await keys().patch({ revoked: true, revoked_at: now }).where({ ...scope, revoked: false })
        .returning(['key_id', 'revoked_at']) as unknown as RouterApiKeyModel[];
      return row && { key_id: row.key_id, revoked_at: row.revoked_at! };
    },

    /** The sealed key in use (neither revoked nor expired) of this company's router; null when only its hash is kept. */
    async sealedActiveKey(empresaId: string, routerId: string, now: Date): Promise<string | null> {
      const row = await keys().select('api_key_enc').where({ router_id: routerId, empresa_id: empresaId, revoked: false })
        .andWhere('expires_at', '>', now).orderBy('issued_at', 'desc').first();
      return row?.api_key_enc ?? null;
    },

    /** The newest key neither revoked nor expired. */
    async activeKey(routerId: string, now: Date): Promise<ApiKeyRecord | undefined> {
      const row = await keys().select(...KEY_COLUMNS).where({ router_id: routerId, revoked: false }).andWhere('expires_at', '>', now)
        .orderBy('issued_at', 'desc').first();
      return row && pick(row, KEY_COLUMNS);
    },

    async deleteKeys(routerId: string, tx?: Tx): Promise<void> {
      await keys(tx).delete().where({ router_id: routerId });
    },

    /**
     * What the portal's key check needs, in one query on its hot path: the
     * stored key with its router's and company's `activo`. (The company's flag
     * is joined here rather than asked of the empresas store: one round trip.)
     */
    async keyForAuth(keyId: string) {
      return keys().alias('k')
        .join('routers as r', 'r.id', 'k.router_id')
        .join('empresas as e', 'e.id', 'k.empresa_id')
        .where('k.key_id', keyId)
        .select('k.token_sha256', 'k.revoked', 'k.router_id', 'k.empresa_id', 'r.activo as router_activo', 'e.activa as empresa_activa')
        .first()
        .castTo<{ token_sha256: string; revoked: boolean; router_id: string; empresa_id: string; router_activo: boolean; empresa_activa: boolean } | undefined>();
    },

    /** A key of a router, with the router (for the portal's own check of its configuration). */
    async keyWithRouter(routerId: string, keyId: string) {
      return keys().alias('k')
        .join('routers as r', 'r.id', 'k.router_id')
        .where({ 'r.id': routerId, 'k.key_id': keyId })
        .select('r.empresa_id', 'r.id as router_id', 'r.nombre as router_nombre', 'r.ubicacion', 'r.activo', 'k.key_id', 'k.expires_at')
        .first()
        .castTo<{ empresa_id: string; router_id: string; router_nombre: string; ubicacion: string | null; activo: boolean; key_id: string; expires_at: Date } | undefined>();
    },

    /** Active keys, and how many of them expire within `days`. */
    async keyCounts(scope: Scope, days: number): Promise<{ activas: number; por_expirar: number }> {
      const q = keys().where('revoked', false).andWhere('expires_at', '>', raw('now()'))
        .select(raw('count(*)::int as activas'), raw('count(*) filter (where expires_at <= now() + make_interval(days => ?))::int as por_expirar', [days]))
        .first();
      if (scope.empresaId) q.where('empresa_id', scope.empresaId);
      const row = await q.castTo<{ activas: number; por_expirar: number }>();
      return { activas: Number(row?.activas ?? 0), por_expirar: Number(row?.por_expirar ?? 0) };
    },

    /** Unrevoked keys expiring in (now, horizon], with their router. */
    async expiringKeys(now: Date, horizon: Date) {
      return keys().alias('k')
        .join('routers as r', 'r.id', 'k.router_id')
        .where('k.revoked', false).where('k.expires_at', '>', now).where('k.expires_at', '<=', horizon)
        .select('k.key_id', 'k.empresa_id', 'k.expires_at', 'r.nombre as router_nombre', 'r.id as router_id')
        .castTo<Array<{ key_id: string; empresa_id: string; expires_at: Date; router_nombre: string; router_id: string }>>();
    },

    // ---- expiry warnings

    async warningsOf(keyId: string) {
      const rows = await warnings().where({ key_id: keyId }).orderBy('threshold_days', 'desc')
        .select('threshold_days', 'days_left', 'created_at', 'telegram_status');
      return rows.map((r) => pick(r, ['threshold_days', 'days_left', 'created_at', 'telegram_status']));
    },

    /** Records the thresholds not recorded yet (the primary key makes a second one impossible); returns the new ones. */
    async insertWarnings(keyId: string, thresholds: readonly number[], daysLeft: number): Promise<number[]> {
      // Through the model's knex builder: Objection answers an ignored insert with the input rows, not with what was inserted.
      const rows: Array<{ threshold_days: number }> = await ApiKeyExpiryWarningModel.query(knex).toKnexQuery()
        .insert(thresholds.map((threshold) => ({ key_id: keyId, threshold_days: threshold, days_left: daysLeft })))
        .onConflict(['key_id', 'threshold_days']).ignore().returning('threshold_days');
      return rows.map((r) => r.threshold_days);
    },

    async setWarningStatus(keyId: string, thresholds: number[], status: string): Promise<void> {
      await warnings().patch({ telegram_status: status }).where({ key_id: keyId }).whereIn('threshold_days', thresholds);
    },

    /** The latest warnings with their key and router, newest first. */
    async recentWarnings(scope: Scope, limit: number) {
      const q = warnings().alias('w')
        .join('router_api_keys as k', 'k.key_id', 'w.key_id')
        .join('routers as r', 'r.id', 'k.router_id')
        .select(
          'w.key_id', 'k.router_id', 'r.nombre as router_nombre', 'k.empresa_id',
          'w.threshold_days', 'w.days_left', 'k.expires_at', 'k.revoked', 'w.telegram_status', 'w.created_at',
        )
        .orderBy([{ column: 'w.created_at', order: 'desc' }, { column: 'w.key_id', order: 'asc' }])
        .limit(limit);
      if (scope.empresaId) q.where('k.empresa_id', scope.empresaId);
      return q.castTo<Array<{
        key_id: string; router_id: string; router_nombre: string; empresa_id: string; threshold_days: number; days_left: number;
        expires_at: Date; revoked: boolean; telegram_status: string; created_at: Date;
      }>>();
    },

    // ---- usage flush batches (api-key-usage.ts)

    async appliedBatches(batchIds: string[]): Promise<Set<string>> {
      const rows = await ApiKeyUsageBatchModel.query(knex).select('batch_id').whereIn('batch_id', batchIds);
      return new Set(rows.map((r) => r.batch_id));
    },

    /**
     * Adds a batch of usage to the keys, once: the batch id is recorded in the
     * same transaction, and a batch already recorded changes nothing.
     */
    async applyUsageBatch(batchId: string, usage: ReadonlyArray<readonly [keyId: string, count: number, lastUsed: Date | null]>): Promise<void> {
      await knex.transaction(async (trx) => {
        // Through the model's knex builder: Objection answers an ignored insert with the input row, not with what was inserted.
        const inserted = await ApiKeyUsageBatchModel.query(trx).toKnexQuery().insert({ batch_id: batchId }).onConflict('batch_id').ignore()
          .returning('batch_id');
        if (inserted.length === 0 || usage.length === 0) return;
        // Raw: Objection has no UPDATE ... FROM (VALUES ...), and one statement for the whole batch matters.
        await trx.raw(
          `UPDATE router_api_keys AS k
              SET use_count = k.use_count + v.n,
                  last_used = GREATEST(k.last_used, v.last_used)
             FROM (VALUES ${usage.map(() => '(?, ?::bigint, ?::timestamptz)').join(', ')}) AS v(key_id, n, last_used)
            WHERE k.key_id = v.key_id`,
          usage.flat(),
        );
      });
    },
  };
}

export type RoutersStore = ReturnType<typeof createRoutersStore>;
