/** What the relay reports about its store's availability (see `OutboxRelayMetrics.onStoreOutage`). */
export type StoreOutageEvent =
  /** The first failure after the store worked (or since start), with its error. */
  | { state: 'down'; error: unknown }
  /** A reminder while the store keeps failing: `failures` in a row over `downMs`, and the latest error. */
  | { state: 'still-down'; failures: number; downMs: number; error: unknown }
  /** The store worked again after `failures` failures in a row over `downMs`. */
  | { state: 'recovered'; failures: number; downMs: number };

/**
 * Follows consecutive store failures so that a database that is down for an hour is reported a handful of times
 * instead of on every poll: when it starts failing, as a reminder at most every `reminderMs`, and when it is back.
 */
export class StoreOutage {
  readonly #reminderMs: number;
  #failures = 0;
  #sinceMs = 0;
  #lastReportMs = 0;

  constructor(reminderMs: number) {
    this.#reminderMs = reminderMs;
  }

  /** Failures in a row so far; 0 while the store works. */
  get failures(): number {
    return this.#failures;
  }

  /** Notes a failure at `nowMs`; returns what to report, if anything. */
  failed(error: unknown, nowMs: number): StoreOutageEvent | undefined {
    this.#failures += 1;
    if (this.#failures === 1) {
      this.#sinceMs = nowMs;
      this.#lastReportMs = nowMs;
      return { state: 'down', error };
    }
    if (nowMs - this.#lastReportMs < this.#reminderMs) return undefined;
    this.#lastReportMs = nowMs;
    return { state: 'still-down', failures: this.#failures, downMs: nowMs - this.#sinceMs, error };
  }

  /** Notes a success at `nowMs`; returns the recovery to report when the store was failing. */
  succeeded(nowMs: number): StoreOutageEvent | undefined {
    if (this.#failures === 0) return undefined;
    const recovered: StoreOutageEvent = { state: 'recovered', failures: this.#failures, downMs: nowMs - this.#sinceMs };
    this.#failures = 0;
    return recovered;
  }
}
