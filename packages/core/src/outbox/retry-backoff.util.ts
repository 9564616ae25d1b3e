/** Exponential backoff for failed publishes: the delay before attempt n+1 grows as base * 2^n up to `capMs`. */
export interface BackoffPolicy {
  /** Upper bound of the first retry delay, in ms. */
  baseMs: number;
  /** Upper bound of any retry delay, in ms: a broker that is away for hours is still retried this often. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 5 * 60_000 };

/**
 * When to retry an event that has now failed for the (attempts+1)-th time. Full jitter (a uniform delay between 0 and
 * the exponential bound) spreads the retries of many relays and events instead of letting them hit a recovering
 * broker in waves. `attempts` is the number of failures before this one; `random` returns a number in [0, 1).
 */
export function computeRetryAt(attempts: number, now: Date, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): Date {
  const exponent = Math.min(Math.max(0, Math.floor(attempts)), 30); // 2^30 * base already exceeds any sane cap
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const delay = Math.floor(random() * bound);
  return new Date(now.getTime() + delay);
}
