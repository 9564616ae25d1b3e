export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts failed logins per key (an account, or an unknown login name) in a window; limits come from the constructor. */
export interface LoginThrottle {
  /** Whether a login attempt for `key` may proceed now. */
  check(key: string, now: Date): Promise<ThrottleDecision>;
  /** Counts one failure atomically and returns the decision for the next attempt. */
  recordFailure(key: string, now: Date): Promise<ThrottleDecision>;
  /** Forgets the failures of `key` (after a successful login). */
  reset(key: string): Promise<void>;
}

/** How many failures lock a key, and for how long failures are counted. */
export interface LoginThrottleLimits {
  maxFailures: number;
  windowMs: number;
}
