import type { RateLimit } from '../ports/rate-limiter.port.js';

/** A limit that allows nothing or never ends is a configuration bug: refused loudly, by every rate limiter alike. */
export function checkLimit(limit: RateLimit): void {
  if (!Number.isSafeInteger(limit.max) || limit.max < 1 || !Number.isSafeInteger(limit.windowMs) || limit.windowMs < 1) {
    throw new RangeError(`a rate limit needs max >= 1 and windowMs >= 1 (got ${limit.max} / ${limit.windowMs})`);
  }
}
