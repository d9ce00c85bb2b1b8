/**
 * The transacciones feature's public entry (the core of a sale: its one model, its
 * store, the state machine, the outcome of a gateway answer, the reconciler).
 * Other features, the composition root and tests import only this, and only
 * what is named here.
 */
export { createCashReferencesStore, type CashReferencesStore } from './cash-store';
export { generateHotspotCredentials } from './credentials';
export { createGatewayFactory, type GatewayFactory } from './gateway-factory';
export { createFollowUps, createOutcomeApplier, notifySale, type EnqueueOrLeave, type OutcomeApplier } from './outcomes';
export { createReconciler, type Reconciler } from './reconciler';
export { applySettledSignal, settledSignal } from './settled-signal';
export { createTransaccionesStore, CURSOR_KEY, type TransaccionRow, type TransaccionesStore, type TransitionSpec, type VentasQuery } from './store';
export { createSalesStatsStore, type DailyTotalsRow, type PeriodTotalsRow, type SalesStatsStore } from './stats-store';
export { ESTADOS_HOTSPOT, ESTADOS_PAGO, type EstadoHotspot, type EstadoPago } from './states';
export {
  ACCESS_ENDS_WITH_PAGO, canTransition, HOTSPOT_TRANSITIONS, IllegalTransitionError, PAGO_TRANSITIONS, resolveTransition, sourcesOf, STATE_TIMESTAMP, STATES, TRANSITION_EVENTS,
  type FactEvent,
} from './state-machine';
