/** How many attempts one key may make in a fixed window that opens at its first counted attempt. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** `remaining`: attempts still allowed in the window after this one; `retryAfterMs`: until the window ends. */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/**
 * Attempt counters shared by every instance of the service. An attempt is counted BEFORE the work it guards (a
 * password hash, a mail), atomically, so any number of concurrent attempts on one key get at most `max` allowances
 * per window, whichever instance they reach.
 */
export interface RateLimiter {
  /** Counts one attempt for `key` and allows it, or refuses without counting when `limit.max` attempts are already counted in the current window. */
  consume(key: string, limit: RateLimit, now: Date): Promise<RateDecision>;
  /** Gives back one attempt counted at `countedAt` (its consume's `now`) if that window is still the current one; never below zero. */
  refund(key: string, limit: RateLimit, countedAt: Date): Promise<void>;
  /** Forgets every counted attempt of `key`. */
  reset(key: string): Promise<void>;
}
