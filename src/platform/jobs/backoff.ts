/**
 * Exponential backoff with a cap and full jitter: a router that is offline for
 * hours is retried for hours, and many jobs failing together do not retry in step.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, capMs: number, random = Math.random): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
