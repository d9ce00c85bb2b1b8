/** Thrown to ask the queue for another attempt later (router offline, busy...). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}
