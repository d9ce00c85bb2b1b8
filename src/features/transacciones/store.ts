/**
 * The transaction state machine, in PostgreSQL.
 *
 * Every transition is one conditional UPDATE (`... WHERE estado_x IN (from)`),
 * written together with its history event in the same statement. Two paths
 * racing to the same transition (the API and a webhook, two workers) cannot
 * both win: the loser gets `null` and must re-read.
 */
import type { Knex } from 'knex';
import { fn } from 'objection';
import { TransaccionModel } from './models';

import type { EstadoHotspot, EstadoPago } from './states';
export type { EstadoHotspot, EstadoPago };

export interface TransaccionRow {
  id: string;
  empresa_id: string;
  router_id: string;
  producto_id: number;
  producto_nombre: string;
  perfil_mikrotik_nombre: string;
  limit_uptime: string | null;
  limit_bytes_total: number | null;
  vigencia_minutos: number | null;
  gateway: 'conekta' | 'mercadopago';
  gateway_id: string | null;
  idempotency_key: string;
  request_hash: string;
  monto: string;
  moneda: 'MXN' | 'USD' | 'EUR';
  cliente_nombre: string;
  cliente_email: string;
  cliente_telefono: string | null;
  cliente_mac: string | null;
  cliente_ip: string | null;
  device_id: string | null;
  tipo_usuario: 'usuario_contrasena' | 'pin';
  hotspot_usuario: string;
  hotspot_password_enc: string;
  hotspot_expira_en: Date | null;
  conexion_automatica: boolean;
  auto_conexion: Record<string, unknown> | null;
  estado_pago: EstadoPago;
  estado_hotspot: EstadoHotspot;
  decline_code: string | null;
  decline_message: string | null;
  intentos_aprovisionamiento: number;
  ultimo_error: string | null;
  requiere_revision: string | null;
  confirmar_hasta: Date;
  /** When the request allowed to charge claimed it, just before the gateway call (null: never sent). */
  cobro_iniciado_en: Date | null;
  creado_en: Date;
  actualizado_en: Date;
  pagado_en: Date | null;
  activado_en: Date | null;
  [column: string]: unknown;
}

export interface TransitionSpec {
  field: 'estado_pago' | 'estado_hotspot';
  from: readonly string[];
  to: string;
  /** Extra columns to set (values, or knex.raw). */
  set?: Record<string, unknown>;
  /** Extra guard on the other state column. */
  requirePago?: readonly EstadoPago[];
  event: string;
  detail?: Record<string, unknown>;
}

const TIMESTAMP_OF: Record<string, string> = {
  'estado_pago:paid': 'pagado_en',
  'estado_pago:declined': 'declinado_en',
  'estado_pago:expired': 'pago_expirado_en',
  'estado_pago:refunded': 'reembolsado_en',
  'estado_pago:charged_back': 'contracargo_en',
  'estado_hotspot:provisioning': 'aprovisionando_en',
  'estado_hotspot:active': 'activado_en',
  'estado_hotspot:failed': 'fallido_en',
  'estado_hotspot:disabled': 'deshabilitado_en',
  'estado_hotspot:expired': 'hotspot_expirado_en',
};

export function createTransactionsStore(knex: Knex) {
  async function transition(id: string, spec: TransitionSpec, db: Knex | Knex.Transaction = knex): Promise<TransaccionRow | null> {
    const stamp = TIMESTAMP_OF[`${spec.field}:${spec.to}`];
    const set: Record<string, unknown> = { ...(spec.set ?? {}), [spec.field]: spec.to };
    const assignments: string[] = [];
    const bindings: unknown[] = [];
    for (const [column, value] of Object.entries(set)) {
      assignments.push(`"${column}" = ?`);
      bindings.push(value);
    }
    if (stamp && !(stamp in set)) assignments.push(`"${stamp}" = now()`);
    assignments.push('actualizado_en = now()');
    const pagoGuard = spec.requirePago ? `AND prev.estado_pago = ANY(?::text[])` : '';
    const result = await db.raw<{ rows: Array<TransaccionRow & { prev_state?: string }> }>(
      `WITH prev AS (
         SELECT id, estado_pago, estado_hotspot FROM transacciones WHERE id = ? FOR UPDATE
       ), upd AS (
         UPDATE transacciones t SET ${assignments.join(', ')}
           FROM prev
          WHERE t.id = prev.id AND prev.${spec.field} = ANY(?::text[]) ${pagoGuard}
         RETURNING t.*, prev.${spec.field} AS prev_state
       ), ev AS (
         INSERT INTO transaccion_eventos (transaccion_id, tipo, de, a, detalle)
         SELECT id, ?, prev_state, ?, ?::jsonb FROM upd
       )
       SELECT * FROM upd`,
      [
        id, ...(bindings as Knex.RawBinding[]), [...spec.from] as unknown as Knex.RawBinding,
        ...(spec.requirePago ? [[...spec.requirePago] as unknown as Knex.RawBinding] : []),
        spec.event, spec.to, JSON.stringify(spec.detail ?? {}),
      ] as Knex.RawBinding[],
    );
    const row = result.rows[0] as (TransaccionRow & { prev_state?: string }) | undefined;
    if (!row) return null;
    delete row.prev_state;
    return row;
  }

  return {
    transition,

    async get(id: string, db: Knex | Knex.Transaction = knex): Promise<TransaccionRow | undefined> {
      return db('transacciones').where({ id }).first();
    },

    async findByIdempotencyKey(routerId: string, key: string): Promise<TransaccionRow | undefined> {
      return knex('transacciones').where({ router_id: routerId, idempotency_key: key }).first();
    },

    async findByGatewayId(gateway: string, gatewayId: string): Promise<TransaccionRow | undefined> {
      return knex('transacciones').where({ gateway, gateway_id: gatewayId }).first();
    },

    /** Inserts a new pending row; on an idempotency-key clash returns the existing row instead. */
    async insertPending(row: Partial<TransaccionRow>): Promise<{ row: TransaccionRow; created: boolean }> {
      const inserted = await knex('transacciones').insert(row).onConflict(['router_id', 'idempotency_key']).ignore().returning('*');
      if (inserted.length > 0) {
        await this.event(inserted[0].id, 'creada', { gateway: row.gateway, monto: row.monto, moneda: row.moneda });
        return { row: inserted[0], created: true };
      }
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
      const claimed = await TransaccionModel.query(knex)
        .patch({ cobro_iniciado_en: fn.now() as unknown as Date, actualizado_en: fn.now() as unknown as Date })
        .where({ id, estado_pago: 'pending' })
        .whereNull('cobro_iniciado_en')
        .whereNull('gateway_id');
      return claimed === 1;
    },

    /** Facts that are not state changes (gateway answers, router errors) go to the history too. */
    async event(id: string, tipo: string, detalle: Record<string, unknown> = {}, db: Knex | Knex.Transaction = knex) {
      await db('transaccion_eventos').insert({ transaccion_id: id, tipo, detalle: JSON.stringify(detalle) });
    },

    async update(id: string, set: Record<string, unknown>) {
      await knex('transacciones').where({ id }).update({ ...set, actualizado_en: knex.fn.now() });
    },

    async history(id: string) {
      return knex('transaccion_eventos').where({ transaccion_id: id }).orderBy('id', 'asc').select('tipo', 'de', 'a', 'detalle', 'creado_en');
    },
  };
}

export type TransactionsStore = ReturnType<typeof createTransactionsStore>;
