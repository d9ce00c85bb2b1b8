import { UnrecoverableError } from 'bullmq';

/** Thrown to ask the queue for another attempt later (router offline, busy...). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}

/**
 * Thrown when no later attempt can succeed (e.g. the router has no such
 * profile: an operator must act). BullMQ fails the job at once, without
 * spending the remaining attempts; the thrower has already recorded why.
 */
export class PermanentJobError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    // BullMQ also recognises the error by this name, whatever subclass carries it.
    this.name = 'UnrecoverableError';
  }
}
