/** closed: calls go out; open: every call is refused without trying; half-open: one trial call decides. */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** How long it stays open before one trial call is let through. Default 10 000 ms. */
  openMs?: number;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}

/**
 * Stops calling a dependency that keeps failing, so that each request does not wait for its timeout, and probes it
 * with one call at a time until it answers again. Whoever asks decides what a refusal means; the token verifier
 * refuses the token (fails closed).
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | undefined;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#openMs = options.openMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    if (this.#threshold < 1 || this.#openMs < 0) throw new RangeError('circuit breaker: failureThreshold >= 1 and openMs >= 0');
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#openMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open only one (the trial) until it reports its outcome. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** The call answered: the breaker closes. */
  success(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#trialInFlight = false;
  }

  /** The call failed: after `failureThreshold` in a row, or when it was the trial, the breaker opens (again). */
  failure(): void {
    this.#failures += 1;
    if (this.#trialInFlight || this.#failures >= this.#threshold) this.#openedAt = this.#now();
    this.#trialInFlight = false;
  }
}
