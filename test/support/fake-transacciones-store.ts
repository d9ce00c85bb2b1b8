/**
 * An in-memory stand-in for the part of the transacciones store that moves a
 * sale through its states (`transition`, with `get`, `update`, `event`,
 * `history`, `claimCharge`): what the outcome mapping, the confirmation job
 * and webhooks use. The state machine itself is the feature's (resolveTransition,
 * ACCESS_ENDS_WITH_PAGO, STATE_TIMESTAMP), so only the storage is faked; the
 * conditional UPDATE and its history row are reproduced here.
 * test/transacciones/transitions-contract.test.ts runs the same cases against
 * this and the real store, so it cannot drift.
 *
 * It lives in test/support (not beside the store) while src/features/transacciones
 * is being reorganised on another branch.
 */
import {
  ACCESS_ENDS_WITH_PAGO, resolveTransition, STATE_TIMESTAMP,
  type EstadoPago, type FactEvent, type TransaccionRow, type TransaccionesStore, type TransitionSpec,
} from '../../src/features/transacciones';

export type TransitionsStore = Pick<TransaccionesStore, 'get' | 'transition' | 'update' | 'event' | 'history' | 'claimCharge'>;

type HistoryRow = Awaited<ReturnType<TransaccionesStore['history']>>[number];

export interface FakeTransitionsStore extends TransitionsStore {
  /** Puts a row in (a fixture: what insertTransaccion does in PostgreSQL). */
  seed(row: Partial<TransaccionRow> & { id: string }): TransaccionRow;
}

/** The table's CHECK transacciones_hotspot_requires_payment: no access moves before the money (what PostgreSQL raises, 23514). */
function checkRow(row: TransaccionRow): void {
  if (['pending', 'disabled'].includes(row.estado_hotspot) || ['paid', 'refunded', 'charged_back'].includes(row.estado_pago)) return;
  throw Object.assign(new Error('new row for relation "transacciones" violates check constraint "transacciones_hotspot_requires_payment"'), { code: '23514' });
}

export function createFakeTransitionsStore(options: { now?: () => Date } = {}): FakeTransitionsStore {
  const rows = new Map<string, TransaccionRow>();
  const events = new Map<string, HistoryRow[]>();
  const now = options.now ?? (() => new Date());
  const record = (id: string, e: Omit<HistoryRow, 'creado_en'>) => {
    events.set(id, [...(events.get(id) ?? []), { ...e, creado_en: now() }]);
  };

  return {
    seed(row) {
      const at = now();
      const full = {
        estado_pago: 'pending', estado_hotspot: 'pending', gateway_id: null, decline_code: null, decline_message: null,
        intentos_aprovisionamiento: 0, ultimo_error: null, requiere_revision: null, cobro_iniciado_en: null,
        monto: '20.00', creado_en: at, actualizado_en: at, pagado_en: null, activado_en: null, ...row,
      } as TransaccionRow;
      if (full.estado_hotspot === 'pending' && ['paid', 'refunded', 'charged_back'].includes(full.estado_pago) && row.estado_hotspot === undefined) full.estado_hotspot = 'active';
      checkRow(full);
      rows.set(row.id, full);
      return structuredClone(full);
    },

    async get(id) {
      const row = rows.get(id);
      return row && structuredClone(row);
    },

    async transition(id: string, spec: TransitionSpec) {
      const move = resolveTransition(spec.event, spec.from); // refuses what the machine does not allow (IllegalTransitionError)
      const row = rows.get(id);
      if (!row) return null;
      const prev = { estado_pago: row.estado_pago, estado_hotspot: row.estado_hotspot };
      if (!move.from.includes(String(prev[move.field]))) return null;
      if (spec.requirePago && !spec.requirePago.includes(prev.estado_pago)) return null;
      const at = now();
      const set: Record<string, unknown> = { ...(spec.set ?? {}), [move.field]: move.to };
      checkRow({ ...row, ...set } as TransaccionRow); // one statement: nothing is written when the table refuses it
      Object.assign(row, set);
      const cells = row as unknown as Record<string, unknown>;
      for (const column of spec.increment ?? []) cells[column] = (cells[column] as number) + 1;
      if (move.stamp && !(move.stamp in set)) cells[move.stamp] = at;
      const accessEnds = move.field === 'estado_pago' ? ACCESS_ENDS_WITH_PAGO[move.to as EstadoPago] : undefined;
      if (accessEnds && !('estado_hotspot' in set) && prev.estado_hotspot === 'pending') {
        row.estado_hotspot = accessEnds;
        const stamp = STATE_TIMESTAMP.estado_hotspot[accessEnds];
        if (stamp) cells[stamp] = at;
      }
      row.actualizado_en = at;
      record(id, { tipo: spec.event, de: String(prev[move.field]), a: move.to, detalle: structuredClone(spec.detail ?? {}) });
      return structuredClone(row);
    },

    async update(id, set) {
      const row = rows.get(id);
      if (row) Object.assign(row, set, { actualizado_en: now() });
    },

    async event(id: string, tipo: FactEvent, detalle: Record<string, unknown> = {}) {
      record(id, { tipo, de: null, a: null, detalle: structuredClone(detalle) });
    },

    async history(id) {
      return structuredClone(events.get(id) ?? []);
    },

    async claimCharge(id) {
      const row = rows.get(id);
      if (!row || row.estado_pago !== 'pending' || row.cobro_iniciado_en !== null || row.gateway_id !== null) return false;
      const at = now();
      Object.assign(row, { cobro_iniciado_en: at, actualizado_en: at });
      return true;
    },
  };
}
