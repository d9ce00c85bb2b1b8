/** What the page holds while it runs (one customer, one page). */
import type { PublicConfig, Producto, Sale } from './types';

/** One payment attempt: a retry of it sends the very same request with the same Idempotency-Key. */
export interface Attempt { key: string; path: string; body: Record<string, unknown> }

export const state = {
  pub: null as PublicConfig | null,
  products: [] as Producto[],
  product: null as Producto | null,
  gateways: [] as string[],
  gateway: null as string | null,
  attempt: null as Attempt | null,
  busy: false,
  lastResult: null as Sale | null,
  /** The router's trial as config/public offers it. */
  prueba: null as { minutos: number } | null,
  cooldownTimer: undefined as ReturnType<typeof setInterval> | undefined,
};
