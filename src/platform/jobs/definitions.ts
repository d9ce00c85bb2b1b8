/**
 * Every job the service runs: its queue, payload type, id and retry policy, in
 * one place (the worker refuses to start unless each has a processor).
 */
export const QUEUE_PREFIX = '{pagos}'; // hash tag: all keys on one Redis Cluster slot

export const QueueName = {
  Payments: 'payments',
  Hotspot: 'hotspot',
  /** Voucher work only, so a 1000-voucher batch never stands in front of a paid sale (issue 21). */
  Fichas: 'fichas',
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobPayloads {
  /** Asks the gateway again about an ambiguous or pending charge. */
  'confirm-charge': { transaccionId: string };
  /** Creates the paid transaction's hotspot user on its router. */
  'provision-user': {
    transaccionId: string;
    /** The sale's router, when the enqueuer knew it: a retry while its circuit is open then writes nothing (older jobs: read first). */
    routerId?: string;
  };
  /** Disables the user of a refunded or charged-back transaction. */
  'disable-user': { transaccionId: string };
  /** Disables a user whose validity ended. */
  'expire-user': { transaccionId: string };
  /**
   * Creates a printed voucher's hotspot user on its router (issue 15). The
   * company and router let the worker keep each company to its fair share
   * (issue 21); a job without them (queued before) is looked up.
   */
  'provision-ficha': FichaJob;
  /** Disables a voided voucher's user on its router. */
  'void-ficha': FichaJob;
  /** Pending vouchers whose job was lost or gave up get it again. */
  'reconcile-fichas': Record<string, never>;
  /** Reads the routers' hotspot users to mark vouchers used. */
  'fichas-usage': Record<string, never>;
  /** Tells the company's Telegram chat about a sale or a decline (when it enabled notifications). */
  'notify-telegram': { transaccionId: string; evento: 'venta' | 'rechazo' };
  'flush-key-usage': Record<string, never>;
  'key-expiry-warnings': Record<string, never>;
  reconcile: Record<string, never>;
  'expire-hotspot-users': Record<string, never>;
  /** RADIUS mode: reads accounting (vouchers used, first logins) and closes sessions a rebooted router left open. */
  'radius-accounting': Record<string, never>;
  /** API mode: reads the trials the routers report (issue 24, item 4). */
  'pruebas-routers': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export interface FichaJob {
  fichaId: string;
  empresaId?: string;
  routerId?: string;
}

/**
 * Jobs that older releases put in another queue: that queue's worker still
 * runs them (drains what was queued before a deploy) instead of failing them.
 */
export const LEGACY_QUEUE: Partial<Record<JobName, QueueName>> = {
  'provision-ficha': QueueName.Hotspot,
  'void-ficha': QueueName.Hotspot,
};

export const JOB_QUEUE: { [N in JobName]: QueueName } = {
  'confirm-charge': QueueName.Payments,
  'provision-user': QueueName.Hotspot,
  'disable-user': QueueName.Hotspot,
  'expire-user': QueueName.Hotspot,
  'provision-ficha': QueueName.Fichas,
  'void-ficha': QueueName.Fichas,
  'reconcile-fichas': QueueName.Maintenance,
  'fichas-usage': QueueName.Maintenance,
  'notify-telegram': QueueName.Maintenance,
  'flush-key-usage': QueueName.Maintenance,
  'key-expiry-warnings': QueueName.Maintenance,
  reconcile: QueueName.Maintenance,
  'expire-hotspot-users': QueueName.Maintenance,
  'radius-accounting': QueueName.Maintenance,
  'pruebas-routers': QueueName.Maintenance,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

/**
 * The one place job ids are decided. A per-transaction id makes a duplicate
 * enqueue (API + webhook + reconciler) a no-op while the job exists. BullMQ
 * ids may not contain ':' nor be all digits.
 */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayloads[N]): string | undefined {
  if ('evento' in payload) return `${name}-${(payload as { evento: string }).evento}-${(payload as { transaccionId: string }).transaccionId}`;
  if ('transaccionId' in payload) return `${name}-${(payload as { transaccionId: string }).transaccionId}`;
  if ('fichaId' in payload) return `${name}-${(payload as { fichaId: string }).fichaId}`;
  return undefined;
}

export interface RetryPolicy {
  attempts: number;
}

/** Periodic jobs and how often they run (milliseconds or a cron pattern). */
export type Schedule = { every: number } | { pattern: string };
