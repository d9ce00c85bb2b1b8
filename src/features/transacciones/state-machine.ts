/**
 * The transaction's state machine, declared once (ARCHITECTURE.md, "Data model and states"; issue 12 item 3):
 * which state each `estado_pago` / `estado_hotspot` may move to, the event that
 * names each move in `transaccion_eventos`, and the timestamp column each target
 * state stamps. The store's `transition()` refuses any move not listed here, so
 * purchase, confirmation, webhooks, reconciler, refunds, admin actions and the
 * hotspot jobs all obey the same table.
 */
import { ESTADOS_HOTSPOT, ESTADOS_PAGO, type EstadoHotspot, type EstadoPago } from './states';

export type EstadoField = 'estado_pago' | 'estado_hotspot';
export type EstadoOf<F extends EstadoField> = F extends 'estado_pago' ? EstadoPago : EstadoHotspot;

/** from → the states it may move to. */
export const PAGO_TRANSITIONS: { readonly [From in EstadoPago]: readonly EstadoPago[] } = {
  pending: ['paid', 'declined', 'unknown', 'expired', 'refunded', 'charged_back'],
  unknown: ['paid', 'declined', 'expired', 'refunded', 'charged_back'],
  // A late approval after we gave up still gets the customer access.
  expired: ['paid'],
  paid: ['refunded', 'charged_back'],
  refunded: ['charged_back'],
  declined: [],
  charged_back: [],
};

export const HOTSPOT_TRANSITIONS: { readonly [From in EstadoHotspot]: readonly EstadoHotspot[] } = {
  // provisioning → provisioning: a retry of an attempt that died half way.
  pending: ['provisioning', 'failed', 'disabled'],
  provisioning: ['provisioning', 'active', 'failed', 'disabled'],
  failed: ['provisioning', 'disabled'],
  active: ['disabled', 'expired'],
  disabled: [],
  expired: [],
};

/** Events that move a state: the name recorded in the history and the state it moves to. */
export const TRANSITION_EVENTS = {
  pago_aprobado: { field: 'estado_pago', to: 'paid' },
  pago_declinado: { field: 'estado_pago', to: 'declined' },
  pago_rechazado_por_configuracion: { field: 'estado_pago', to: 'declined' },
  respuesta_ambigua: { field: 'estado_pago', to: 'unknown' },
  pago_expirado: { field: 'estado_pago', to: 'expired' },
  pago_reembolsado: { field: 'estado_pago', to: 'refunded' },
  contracargo: { field: 'estado_pago', to: 'charged_back' },
  aprovisionando: { field: 'estado_hotspot', to: 'provisioning' },
  usuario_activo: { field: 'estado_hotspot', to: 'active' },
  aprovisionamiento_fallido: { field: 'estado_hotspot', to: 'failed' },
  usuario_deshabilitado: { field: 'estado_hotspot', to: 'disabled' },
  usuario_expirado: { field: 'estado_hotspot', to: 'expired' },
} as const satisfies Record<string, { field: 'estado_pago'; to: EstadoPago } | { field: 'estado_hotspot'; to: EstadoHotspot }>;

export type TransitionEvent = keyof typeof TRANSITION_EVENTS;

/**
 * A payment that ends here never gives access: its `estado_hotspot`, still
 * `pending` (nothing is provisioned before paid), moves in the same statement
 * to this final state, so no view shows a declined sale's access as coming
 * (issue 23). An expired payment keeps `pending`: a late approval still pays.
 */
export const ACCESS_ENDS_WITH_PAGO: Partial<Record<EstadoPago, EstadoHotspot>> = { declined: 'disabled' };

/** Facts recorded in the history that do not change a state (gateway and router answers, operator actions). */
export const FACT_EVENTS = [
  'creada', 'pago_en_revision', 'gateway_referencia_distinta', 'monto_no_coincide', 'confirmacion', 'confirmacion_sin_respuesta',
  'reembolso_solicitado', 'reintento_manual',
  // A cash reference (OXXO, Paycash) was issued; the sale stays pending until it is paid at the store.
  'referencia_emitida', 'auto_conexion_fallida', 'usuario_renombrado', 'usuario_ya_existia', 'router_no_disponible',
  // The company's Telegram notice of a sale or a decline (notificaciones): sent, or refused by Telegram.
  'telegram_venta_enviado', 'telegram_rechazo_enviado', 'telegram_venta_rechazado', 'telegram_rechazo_rechazado',
] as const;
export type FactEvent = (typeof FACT_EVENTS)[number];

/** The column stamped with now() when a state is entered. */
export const STATE_TIMESTAMP: { estado_pago: Partial<Record<EstadoPago, string>>; estado_hotspot: Partial<Record<EstadoHotspot, string>> } = {
  estado_pago: {
    paid: 'pagado_en', declined: 'declinado_en', expired: 'pago_expirado_en', refunded: 'reembolsado_en', charged_back: 'contracargo_en',
  },
  estado_hotspot: {
    provisioning: 'aprovisionando_en', active: 'activado_en', failed: 'fallido_en', disabled: 'deshabilitado_en', expired: 'hotspot_expirado_en',
  },
};

export const STATES: { estado_pago: readonly EstadoPago[]; estado_hotspot: readonly EstadoHotspot[] } = {
  estado_pago: ESTADOS_PAGO,
  estado_hotspot: ESTADOS_HOTSPOT,
};

const TABLES = { estado_pago: PAGO_TRANSITIONS, estado_hotspot: HOTSPOT_TRANSITIONS } as const;

export function canTransition<F extends EstadoField>(field: F, from: EstadoOf<F>, to: EstadoOf<F>): boolean {
  const table = TABLES[field] as Record<string, readonly string[]>;
  return (table[from] ?? []).includes(to);
}

/** Every state the machine lets move into `to`. */
export function sourcesOf<F extends EstadoField>(field: F, to: EstadoOf<F>): EstadoOf<F>[] {
  const table = TABLES[field] as Record<string, readonly string[]>;
  return Object.keys(table).filter((from) => table[from]!.includes(to)) as EstadoOf<F>[];
}

export class IllegalTransitionError extends Error {
  constructor(field: EstadoField, from: string, to: string, event: string) {
    super(`transition ${field} ${from} → ${to} (${event}) is not allowed by the state machine`);
    this.name = 'IllegalTransitionError';
  }
}

/**
 * The states a transition may start from: `from` (a narrower guard a caller
 * asks for) or, by default, every source the machine allows. Throws when the
 * caller asks for a move the machine does not allow.
 */
export function resolveTransition(event: TransitionEvent, from?: readonly string[]): { field: EstadoField; to: string; from: string[]; stamp?: string } {
  const { field, to } = TRANSITION_EVENTS[event];
  const allowed = sourcesOf(field, to as never) as string[];
  const sources = from ? [...from] : allowed;
  for (const source of sources) {
    if (!allowed.includes(source)) throw new IllegalTransitionError(field, source, to, event);
  }
  const stamps = STATE_TIMESTAMP[field] as Record<string, string | undefined>;
  return { field, to, from: sources, stamp: stamps[to] };
}
