/**
 * Per-router circuit breaker. After `failureThreshold` consecutive
 * connection-level failures the circuit opens: calls fail at once, costing
 * nothing, for `cooldownMs`. Then it is half-open: exactly one trial call goes
 * through (everyone else still fails fast); its success closes the circuit, its
 * failure opens it for another cool-down.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';
export type BreakerTicket = 'normal' | 'trial';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
  onStateChange?: (state: BreakerState, consecutiveFailures: number) => void;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? (() => Date.now()); // looked up per call, so a fake clock is seen
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.cooledDown()) return 'half-open';
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Milliseconds until a call may be tried (0 when one may be tried now). */
  retryAfterMs(): number {
    if (this.current === 'open') return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
    if (this.current === 'half-open' && this.trialInFlight) return this.options.cooldownMs;
    return 0;
  }

  /** True when a call now would be refused; does not use up the half-open trial. */
  isRejecting(): boolean {
    return this.retryAfterMs() > 0;
  }

  /** Permission for one call, or null to fail fast. Report the outcome with the returned ticket. */
  tryAcquire(): BreakerTicket | null {
    if (this.current === 'closed') return 'normal';
    if (this.current === 'open') {
      if (!this.cooledDown()) return null;
      this.transition('half-open');
    }
    if (this.trialInFlight) return null;
    this.trialInFlight = true;
    return 'trial';
  }

  /** The router answered (a trap counts: the router is alive). */
  onSuccess(ticket: BreakerTicket): void {
    if (ticket === 'trial') this.trialInFlight = false;
    this.failures = 0;
    if (this.current !== 'closed') this.transition('closed');
  }

  /** Could not connect, log in, or get a reply. */
  onFailure(ticket: BreakerTicket): void {
    this.failures++;
    if (ticket === 'trial') {
      this.trialInFlight = false;
      this.open();
    } else if (this.current === 'closed' && this.failures >= this.options.failureThreshold) {
      this.open();
    }
  }

  /** The call ended without telling anything about the router (e.g. cancelled locally). */
  onNeutral(ticket: BreakerTicket): void {
    if (ticket === 'trial') this.trialInFlight = false;
  }

  private cooledDown(): boolean {
    return this.now() - this.openedAt >= this.options.cooldownMs;
  }

  private open(): void {
    this.openedAt = this.now();
    this.transition('open');
  }

  private transition(state: BreakerState): void {
    const changed = this.current !== state;
    this.current = state;
    if (changed || state === 'open') this.options.onStateChange?.(state, this.failures);
  }
}
