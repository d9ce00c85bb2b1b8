/**
 * The portal's one polling loop: a card sale still pending or activating, a cash or SPEI reference waiting
 * to be paid. One backoff policy for all of them: the first check after `startMs` (or at once), then each
 * wait 1.5 times the last one, up to `maxMs`; after a failed check, at least what the server's Retry-After
 * asked, up to twice `maxMs`. With `limitMs` the loop gives up (onGiveUp) once that long has passed.
 *
 * No DOM here: the page passes what to ask and what to do with each answer (the tests drive it with
 * a fake clock).
 */

export interface PollPolicy {
  /** The first wait (and the one after a 'restart'). */
  startMs: number;
  /** The longest wait after an answer; failures wait up to twice this. */
  maxMs: number;
  /** Give up after this long (none: until stopped). */
  limitMs?: number | null;
}

/** After an answer or a failure: stop, ask again (backing off), or ask again soon (the wait starts over). */
export type PollNext = 'stop' | 'again' | 'restart';

export interface PollTask<T> {
  /** One status request. */
  check(): Promise<T>;
  /** Called only while this loop is the current one. */
  onAnswer(value: T): PollNext;
  /** A failed check ('again' waits as after a failure: Retry-After is honoured). */
  onFailure(err: unknown): PollNext;
  /** `limitMs` passed without a final answer. */
  onGiveUp?(): void;
}

export const BACKOFF_FACTOR = 1.5;

/** The wait before the next check, after one of `lastMs` (0: none yet, the check was made at once). */
export function nextDelay(policy: PollPolicy, lastMs: number, failure?: { retryAfterMs: number }): number {
  const grown = lastMs > 0 ? lastMs * BACKOFF_FACTOR : policy.startMs;
  if (!failure) return Math.min(grown, policy.maxMs);
  return Math.min(Math.max(grown, failure.retryAfterMs), policy.maxMs * 2);
}

/** Retry-After of a failed request, in ms (the API client keeps it in seconds). */
function retryAfterMs(err: unknown): number {
  const seconds = err && typeof (err as { retryAfter?: unknown }).retryAfter === 'number' ? (err as { retryAfter: number }).retryAfter : 0;
  return seconds > 0 ? seconds * 1000 : 0;
}

/** One loop at a time: start() replaces the running one; answers of a replaced or stopped loop are dropped. */
export class Poller {
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly policy: PollPolicy) {}

  start<T>(task: PollTask<T>, opts?: { immediate?: boolean }): void {
    this.stop();
    const generation = this.generation;
    const live = () => generation === this.generation;
    const policy = this.policy;
    const started = Date.now();
    let delay = opts && opts.immediate ? 0 : policy.startMs;
    const schedule = (ms: number) => {
      if (policy.limitMs != null && Date.now() - started > policy.limitMs) {
        if (task.onGiveUp) task.onGiveUp();
        return;
      }
      this.timer = setTimeout(tick, ms);
    };
    const then = (next: PollNext, failure?: { retryAfterMs: number }) => {
      if (next === 'stop' || !live()) return;
      delay = next === 'restart' ? policy.startMs : nextDelay(policy, delay, failure);
      schedule(delay);
    };
    const tick = () => {
      if (!live()) return;
      task.check().then((value) => {
        if (live()) then(task.onAnswer(value));
      }, (err: unknown) => {
        if (live()) then(task.onFailure(err), { retryAfterMs: retryAfterMs(err) });
      });
    };
    schedule(delay);
  }

  stop(): void {
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
