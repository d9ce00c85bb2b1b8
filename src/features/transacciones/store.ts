/**
 * The transacciones store: the only code that queries `transacciones`,
 * `transaccion_eventos` and `webhook_eventos` (through the Objection models in
 * models.ts), and the transaction state machine's enforcement point.
 *
 * Every transition is one conditional UPDATE (`... WHERE estado_x IN (from)`),
 * written together with its history event in the same statement, and only the
 * moves state-machine.ts allows are accepted. Two paths racing to the same
 * transition (the API and a webhook, two workers) cannot both win: the loser
 * gets `null` and must re-read.
 */
import type { Knex } from 'knex';
import { TransaccionEventoModel, TransaccionModel, WebhookEventoModel } from './models';
import { ACCESS_ENDS_WITH_PAGO, resolveTransition, STATE_TIMESTAMP, type FactEvent, type TransitionEvent } from './state-machine';
import type { EstadoHotspot, EstadoPago } from './states';
export type { EstadoHotspot, EstadoPago };

/** A sale's row: derived from its one model (models.ts). */
import type { TransaccionRow } from './models';
export type { TransaccionRow };

export interface TransitionSpec {
  /** Names the move: the state machine decides the column and the target state. */
  event: TransitionEvent;
  /** A narrower set of start states than the machine allows (default: all the machine allows). */
  from?: readonly string[];
  /** Extra columns to set (values, or knex.raw). */
  set?: Record<string, unknown>;
  /** Counter columns to add one to. */
  increment?: ReadonlyArray<'intentos_aprovisionamiento'>;
  /** Extra guard on the other state column. */
  requirePago?: readonly EstadoPago[];
  detail?: Record<string, unknown>;
}

/** What a sales list row shows: no hotspot password (not even encrypted), no idempotency key. */
const LIST_COLUMNS = [
  'id', 'router_id', 'producto_id', 'producto_nombre', 'perfil_mikrotik_nombre', 'gateway', 'gateway_id', 'monto', 'moneda',
  'cliente_nombre', 'cliente_email', 'cliente_telefono', 'cliente_mac', 'cliente_ip', 'tipo_usuario', 'hotspot_usuario',
  'hotspot_expira_en', 'estado_pago', 'estado_hotspot', 'decline_code', 'decline_message', 'intentos_aprovisionamiento',
  'ultimo_error', 'requiere_revision', 'creado_en', 'actualizado_en', 'pagado_en', 'activado_en',
  // How it was paid (issue 15): tarjeta, or cash at a store with its reference.
  'metodo_pago', 'referencia_pago', 'referencia_expira_en',
] as const;

/** A sale's detail adds every timestamp and the limits of what was sold. */
const DETAIL_COLUMNS = [
  ...LIST_COLUMNS, 'empresa_id', 'limit_uptime', 'limit_bytes_total', 'vigencia_minutos', 'limite_velocidad', 'dispositivos', 'vigencia_desde',
  'primer_uso_en', 'device_id', 'conexion_automatica',
  'auto_conexion', 'confirmar_hasta', 'declinado_en', 'pago_expirado_en', 'reembolsado_en', 'contracargo_en', 'aprovisionando_en',
  'fallido_en', 'deshabilitado_en', 'hotspot_expirado_en', 'hotspot_password_enc',
] as const;

/** The list rows' extra column: `creado_en` with its microseconds (a JS Date would truncate them), for the cursor. */
export const CURSOR_KEY = '_cursor_ts';

/** A page of a company's sales, filters already checked (ventas-service). */
export interface VentasQuery {
  empresaId: string;
  limit: number;
  estado_pago?: string;
  estado_hotspot?: string;
  router_id?: string;
  email?: string;
  usuario?: string;
  desde?: Date;
  /** Inclusive upper bound. */
  hasta?: Date;
  /** Exclusive upper bound. */
  antesDe?: Date;
  cursor?: { creadoEn: string; id: string };
  /** The original's offset pagination (never with a cursor). */
  offset?: number;
}

export function createTransaccionesStore(knex: Knex) {
  const trx = (db: Knex | Knex.Transaction = knex) => TransaccionModel.query(db).castTo<TransaccionRow[]>();

  async function transition(id: string, spec: TransitionSpec, db: Knex | Knex.Transaction = knex): Promise<TransaccionRow | null> {
    const move = resolveTransition(spec.event, spec.from);
    const set: Record<string, unknown> = { ...(spec.set ?? {}), [move.field]: move.to };
    const assignments: string[] = [];
    const bindings: unknown[] = [];
    for (const [column, value] of Object.entries(set)) {
      assignments.push(`"${column}" = ?`);
      bindings.push(value);
    }
    for (const column of spec.increment ?? []) assignments.push(`"${column}" = "${column}" + 1`);
    if (move.stamp && !(move.stamp in set)) assignments.push(`"${move.stamp}" = now()`);
    const accessEnds = move.field === 'estado_pago' ? ACCESS_ENDS_WITH_PAGO[move.to as EstadoPago] : undefined;
    if (accessEnds && !('estado_hotspot' in set)) {
      const stamp = STATE_TIMESTAMP.estado_hotspot[accessEnds];
      assignments.push(`estado_hotspot = CASE WHEN prev.estado_hotspot = 'pending' THEN ? ELSE prev.estado_hotspot END`);
      bindings.push(accessEnds);
      if (stamp) assignments.push(`"${stamp}" = CASE WHEN prev.estado_hotspot = 'pending' THEN now() ELSE t."${stamp}" END`);
    }
    assignments.push('actualizado_en = now()');
    const pagoGuard = spec.requirePago ? `AND prev.estado_pago = ANY(?::text[])` : '';
    // Raw: Objection cannot write a locked read, a guarded UPDATE and the history INSERT as one statement.
    const result = await db.raw<{ rows: Array<TransaccionRow & { prev_state?: string }> }>(
      `WITH prev AS (
         SELECT id, estado_pago, estado_hotspot FROM transacciones WHERE id = ? FOR UPDATE
       ), upd AS (
         UPDATE transacciones t SET ${assignments.join(', ')}
           FROM prev
          WHERE t.id = prev.id AND prev.${move.field} = ANY(?::text[]) ${pagoGuard}
         RETURNING t.*, prev.${move.field} AS prev_state
       ), ev AS (
         INSERT INTO transaccion_eventos (transaccion_id, tipo, de, a, detalle)
         SELECT id, ?, prev_state, ?, ?::jsonb FROM upd
       )
       SELECT * FROM upd`,
      [
        id, ...(bindings as Knex.RawBinding[]), move.from as unknown as Knex.RawBinding,
        ...(spec.requirePago ? [[...spec.requirePago] as unknown as Knex.RawBinding] : []),
        spec.event, move.to, JSON.stringify(spec.detail ?? {}),
      ] as Knex.RawBinding[],
    );
    const row = result.rows[0] as (TransaccionRow & { prev_state?: string }) | undefined;
    if (!row) return null;
    delete row.prev_state;
    return row;
  }

  /** Facts that are not state changes (gateway answers, router errors) go to the history too. */
  async function event(id: string, tipo: FactEvent, detalle: Record<string, unknown> = {}, db: Knex | Knex.Transaction = knex) {
    await TransaccionEventoModel.query(db).insert({ transaccion_id: id, tipo, detalle: JSON.stringify(detalle) });
  }

  async function idsWhere(build: (query: ReturnType<typeof trx>) => unknown): Promise<string[]> {
    const query = trx().select('id');
    build(query);
    const rows = (await query) as unknown as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Keyset pagination: newest first, exactly the index `transacciones_empresa_keyset
   * (empresa_id, creado_en DESC, id DESC)`, one row more than the page to know
   * whether there is a next one.
   */
  function ventasQuery(q: VentasQuery) {
    const query = TransaccionModel.query(knex)
      // Raw: the cursor column keeps microseconds, which Objection cannot format.
      .select(...LIST_COLUMNS, knex.raw(`to_char(creado_en AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${CURSOR_KEY}`))
      .where('empresa_id', q.empresaId);
    if (q.estado_pago) query.where('estado_pago', q.estado_pago);
    if (q.estado_hotspot) query.where('estado_hotspot', q.estado_hotspot);
    if (q.router_id) query.where('router_id', q.router_id);
    if (q.email) query.whereRaw('lower(cliente_email) = lower(?)', [q.email]);
    if (q.usuario) query.where('hotspot_usuario', q.usuario);
    if (q.desde) query.where('creado_en', '>=', q.desde);
    if (q.hasta) query.where('creado_en', '<=', q.hasta);
    if (q.antesDe) query.where('creado_en', '<', q.antesDe);
    // Raw: a row-value comparison, so the cursor is an index condition.
    if (q.cursor) query.whereRaw('(creado_en, id) < (?::timestamptz, ?)', [q.cursor.creadoEn, q.cursor.id]);
    query.orderBy([{ column: 'creado_en', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(q.limit + 1);
    if (q.offset && !q.cursor) query.offset(q.offset);
    return query;
  }

  return {
    transition,
    event,

    ventasPageQuery: (q: VentasQuery) => ventasQuery(q).toKnexQuery(),

    /** How many sales match the filters (cursor and offset aside): the original's `total`. */
    async countVentas(q: VentasQuery): Promise<number> {
      const { cursor: _c, offset: _o, ...rest } = q;
      const row = await ventasQuery(rest).toKnexQuery().clearSelect().clearOrder().clear('limit').count<{ total: string }[]>('* as total').first();
      return Number(row?.total ?? 0);
    },

    async ventasPage(q: VentasQuery): Promise<Array<Record<string, any>>> {
      return ventasQuery(q).toKnexQuery() as unknown as Promise<Array<Record<string, any>>>;
    },

    /** One sale of a company, with its encrypted hotspot password (for the operator). */
    async ventaDetalle(empresaId: string, id: string): Promise<Record<string, any> | undefined> {
      return TransaccionModel.query(knex).where({ id, empresa_id: empresaId }).select(...DETAIL_COLUMNS).first()
        .castTo<Record<string, any> | undefined>();
    },

    async get(id: string, db: Knex | Knex.Transaction = knex): Promise<TransaccionRow | undefined> {
      // Raw: on every purchase's and job's path; the same row Objection's findById gives, without its query building.
      const result = await db.raw<{ rows: TransaccionRow[] }>('SELECT * FROM transacciones WHERE id = ?', [id]);
      return result.rows[0];
    },

    async findByIdempotencyKey(routerId: string, key: string): Promise<TransaccionRow | undefined> {
      return trx().where({ router_id: routerId, idempotency_key: key }).first() as unknown as Promise<TransaccionRow | undefined>;
    },

    async findByGatewayId(gateway: string, gatewayId: string): Promise<TransaccionRow | undefined> {
      return trx().where({ gateway, gateway_id: gatewayId }).first() as unknown as Promise<TransaccionRow | undefined>;
    },

    /** A router's sale by the gateway's payment id (the original's estado-pago). */
    async findByPaymentId(routerId: string, paymentId: string): Promise<TransaccionRow | undefined> {
      return trx().whereIn('gateway', ['conekta', 'mercadopago']) // the (gateway, gateway_id) unique index
        .where({ gateway_id: paymentId, router_id: routerId }).first() as unknown as Promise<TransaccionRow | undefined>;
    },

    /** Which company a Mercado Pago payment belongs to (the original's webhook URL carried no company). */
    async empresaOfMercadoPagoPayment(paymentId: string): Promise<string | null> {
      if (!/^\d{1,20}$/.test(paymentId)) return null;
      const row = await TransaccionModel.query(knex).where({ gateway: 'mercadopago', gateway_id: paymentId }).select('empresa_id').first()
        .castTo<{ empresa_id: string } | undefined>();
      return row?.empresa_id ?? null;
    },

    /** The sale a hotspot user belongs to on a router (reconnect). */
    async findByHotspotUser(routerId: string, usuario: string): Promise<TransaccionRow | undefined> {
      return trx().where({ router_id: routerId, hotspot_usuario: usuario }).first() as unknown as Promise<TransaccionRow | undefined>;
    },

    /**
     * Inserts a new pending row with its `creada` event, in one statement; on an
     * idempotency-key clash returns the existing row instead (same statement,
     * or one more read when the clashing row was committed after it started).
     */
    async insertPending(row: Partial<TransaccionRow>): Promise<{ row: TransaccionRow; created: boolean }> {
      const columns = (Object.keys(row) as Array<keyof TransaccionRow>).filter((column) => row[column] !== undefined);
      const insert = {
        sql: `INSERT INTO transacciones (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
              ON CONFLICT (router_id, idempotency_key) DO NOTHING RETURNING *`,
        bindings: columns.map((column) => row[column] as Knex.RawBinding),
      };
      // Raw: Objection cannot write the INSERT, its history event and the fallback read as one statement.
      const result = await knex.raw<{ rows: Array<TransaccionRow & { _created: boolean }> }>(
        `WITH ins AS (${insert.sql}), ev AS (
           INSERT INTO transaccion_eventos (transaccion_id, tipo, detalle) SELECT id, 'creada', ?::jsonb FROM ins
         )
         SELECT ins.*, true AS _created FROM ins
         UNION ALL
         SELECT t.*, false AS _created FROM transacciones t
          WHERE t.router_id = ? AND t.idempotency_key = ? AND NOT EXISTS (SELECT 1 FROM ins)`,
        [
          ...(insert.bindings as Knex.RawBinding[]), JSON.stringify({ gateway: row.gateway, monto: row.monto, moneda: row.moneda }),
          row.router_id!, row.idempotency_key!,
        ],
      );
      const found = result.rows[0];
      if (found) {
        const { _created: created, ...rest } = found;
        return { row: rest as TransaccionRow, created };
      }
      // The clashing row was committed after this statement's snapshot was taken.
      const existing = await this.findByIdempotencyKey(row.router_id!, row.idempotency_key!);
      if (!existing) throw new Error('idempotency conflict without a row');
      return { row: existing, created: false };
    },

    /**
     * The right to call the gateway for this transaction: true for the first
     * caller only (a conditional UPDATE). Claimed just before charging, so a
     * pending row with no claim was certainly never sent to the gateway.
     */
    async claimCharge(id: string): Promise<boolean> {
      // Raw: on every purchase's path; one conditional UPDATE without Objection's query building.
      const claimed = await knex.raw<{ rowCount: number }>(
        `UPDATE transacciones SET cobro_iniciado_en = now(), actualizado_en = now()
          WHERE id = ? AND estado_pago = 'pending' AND cobro_iniciado_en IS NULL AND gateway_id IS NULL`,
        [id],
      );
      return claimed.rowCount === 1;
    },

    async update(id: string, set: Record<string, unknown>) {
      await TransaccionModel.query(knex).findById(id).patch({ ...set, actualizado_en: knex.fn.now() } as never);
    },

    async history(id: string) {
      return TransaccionEventoModel.query(knex).where({ transaccion_id: id }).orderBy('id', 'asc').select('tipo', 'de', 'a', 'detalle', 'creado_en')
        .castTo<Array<{ tipo: string; de: string | null; a: string | null; detalle: unknown; creado_en: Date }>>();
    },

    // ---- work lists (reconciler, expiry job)

    // The reconciler's lists take the rows it looked at longest ago first (never looked at: first of all),
    // then the oldest; it stamps what it looked at (markReconciled), so a long list rotates (issue 21).

    /** Paid, without a user yet, and not touched since `staleBefore`. */
    paidWithoutUser: (staleBefore: Date, limit: number) => idsWhere((q) => q
      .where('estado_pago', 'paid').whereIn('estado_hotspot', ['pending', 'provisioning'])
      .where('actualizado_en', '<', staleBefore).orderBy([{ column: 'reconciliado_en', order: 'asc', nulls: 'first' }, { column: 'actualizado_en' }]).limit(limit)),

    /** Pending or ambiguous and not touched since `staleBefore` (never the ones held for review). */
    unsettled: (staleBefore: Date, limit: number) => idsWhere((q) => q
      .whereIn('estado_pago', ['pending', 'unknown']).where('actualizado_en', '<', staleBefore).whereNull('requiere_revision')
      .orderBy([{ column: 'reconciliado_en', order: 'asc', nulls: 'first' }, { column: 'actualizado_en' }]).limit(limit)),

    /** Expired after `expiredAfter` and not asked again since `askedBefore`. */
    recentlyExpired: (expiredAfter: Date, askedBefore: Date, limit: number) => idsWhere((q) => q
      .where('estado_pago', 'expired').where('pago_expirado_en', '>', expiredAfter)
      .where('actualizado_en', '<', askedBefore).whereNull('requiere_revision')
      .orderBy([{ column: 'reconciliado_en', order: 'asc', nulls: 'first' }, { column: 'actualizado_en' }]).limit(limit)),

    /** The reconciler looked at these rows now (whatever it did): they go to the back of its lists. */
    async markReconciled(ids: string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await TransaccionModel.query(knex).patch({ reconciliado_en: at } as never).whereIn('id', ids);
    },

    /** Refunded or charged back while a user may still be enabled. */
    refundedWithUser: (staleBefore: Date, limit: number) => idsWhere((q) => q
      .whereIn('estado_pago', ['refunded', 'charged_back']).whereIn('estado_hotspot', ['active', 'provisioning', 'failed'])
      .where('actualizado_en', '<', staleBefore).limit(limit)),

    /** Active users whose validity has ended. */
    activeExpiredBy: (now: Date, limit: number) => idsWhere((q) => q
      .where('estado_hotspot', 'active').where('hotspot_expira_en', '<=', now).orderBy('hotspot_expira_en').limit(limit)),

    /** Active sales whose validity counts from the first login, not seen logging in yet: (id, router, user). */
    async activePrimerUsoSinInicio(limit: number): Promise<Array<{ id: string; router_id: string; hotspot_usuario: string; vigencia_minutos: number | null }>> {
      return TransaccionModel.query(knex).select('id', 'router_id', 'hotspot_usuario', 'vigencia_minutos')
        .where({ estado_hotspot: 'active', vigencia_desde: 'primer_uso' }).whereNull('primer_uso_en').orderBy('activado_en').limit(limit)
        .castTo<Array<{ id: string; router_id: string; hotspot_usuario: string; vigencia_minutos: number | null }>>();
    },

    /** The first login of a primer_uso sale: its validity now ends `vigencia_minutos` later (set once). */
    async markPrimerUso(id: string, at: Date, expiresAt: Date | null): Promise<boolean> {
      const n = await TransaccionModel.query(knex).patch({ primer_uso_en: at, hotspot_expira_en: expiresAt, actualizado_en: knex.fn.now() } as never)
        .where({ id }).whereNull('primer_uso_en');
      return Number(n) > 0;
    },

    // ---- webhook deliveries

    /** Records a delivery; returns its id, or null when this event was already received (and verified). */
    async recordWebhook(input: { gateway: string; eventId: string; empresaId: string; valid: boolean; reason: string | null; payloadJson: string }): Promise<number | null> {
      // Raw: the conflict target is a partial unique index (WHERE firma_valida), which Objection's onConflict cannot name.
      const inserted = await knex.raw(
        `INSERT INTO webhook_eventos (gateway, event_id, empresa_id, firma_valida, firma_motivo, payload)
         VALUES (?, ?, ?, ?, ?, ?::jsonb)
         ON CONFLICT (gateway, empresa_id, event_id) WHERE firma_valida DO NOTHING RETURNING id`,
        [input.gateway, input.eventId.slice(0, 200), input.empresaId, input.valid, input.reason, input.payloadJson],
      );
      return inserted.rows[0]?.id ?? null;
    },

    async finishWebhook(recordId: number, resultado: string, transaccionId: string | null = null) {
      await WebhookEventoModel.query(knex).findById(recordId).patch({ resultado, transaccion_id: transaccionId, procesado_en: knex.fn.now() } as never);
    },

    /** Forgets a delivery so the gateway's retry of it is processed. */
    async forgetWebhook(recordId: number) {
      await WebhookEventoModel.query(knex).deleteById(recordId);
    },
  };
}

export type TransaccionesStore = ReturnType<typeof createTransaccionesStore>;
