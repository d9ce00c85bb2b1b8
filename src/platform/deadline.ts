/**
 * The one deadline helper: `withDeadline(work, ms)` settles like `work`, or
 * rejects with {@link DeadlineExceeded} after `ms`. The losing promise's
 * rejection is swallowed (it may still settle later, e.g. an SDK call or a
 * Redis command we cannot abort), so it is never an unhandled rejection.
 */
export class DeadlineExceeded extends Error {
  constructor(ms: number, message = `deadline of ${ms} ms exceeded`) {
    super(message);
    this.name = 'DeadlineExceeded';
  }
}

export function withDeadline<T>(work: Promise<T>, ms: number, message?: string): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms, message)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
