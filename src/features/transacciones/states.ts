/**
 * The transaction's states, declared once (ARCHITECTURE.md, "Data model and states"). The database CHECK
 * constraints list the same words; migrations cannot import code, so the
 * schema test compares them.
 */
export const ESTADOS_PAGO = ['pending', 'paid', 'declined', 'unknown', 'expired', 'refunded', 'charged_back'] as const;
export const ESTADOS_HOTSPOT = ['pending', 'provisioning', 'active', 'failed', 'disabled', 'expired'] as const;

export type EstadoPago = (typeof ESTADOS_PAGO)[number];
export type EstadoHotspot = (typeof ESTADOS_HOTSPOT)[number];
