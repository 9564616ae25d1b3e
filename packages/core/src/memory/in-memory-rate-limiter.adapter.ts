import type { RateDecision, RateLimit, RateLimiter } from '../ports/rate-limiter.port.js';
import { checkLimit } from '../validation/rate-limit.rules.js';

interface Window {
  count: number;
  /** Epoch ms at which the window (opened by the first counted attempt) ends. */
  endsAtMs: number;
}

/**
 * Attempt counters in process memory (one instance only). Each call is synchronous inside, hence atomic on the event
 * loop. Ended windows are swept lazily, so memory follows the active keys.
 */
export class InMemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, Window>();
  #sweepAtSize = 1_024;

  async consume(key: string, limit: RateLimit, now: Date): Promise<RateDecision> {
    checkLimit(limit);
    const nowMs = now.getTime();
    let window = this.#windows.get(key);
    if (window === undefined || nowMs >= window.endsAtMs) {
      this.#sweepIfLarge(nowMs);
      window = { count: 0, endsAtMs: nowMs + limit.windowMs };
      this.#windows.set(key, window);
    }
    if (window.count >= limit.max) return { allowed: false, retryAfterMs: window.endsAtMs - nowMs };
    window.count += 1;
    return { allowed: true, remaining: limit.max - window.count };
  }

  async refund(key: string, limit: RateLimit, countedAt: Date): Promise<void> {
    checkLimit(limit);
    const window = this.#windows.get(key);
    const countedAtMs = countedAt.getTime();
    // The window that counted the attempt started at or before it and ends after it; a later window owes it nothing.
    if (window === undefined || window.count === 0) return;
    if (countedAtMs < window.endsAtMs - limit.windowMs || countedAtMs >= window.endsAtMs) return;
    window.count -= 1;
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  /** Keys with a window in memory (ended ones until the next sweep), for the housekeeping test. */
  get size(): number {
    return this.#windows.size;
  }

  #sweepIfLarge(nowMs: number): void {
    if (this.#windows.size < this.#sweepAtSize) return;
    for (const [key, window] of this.#windows) {
      if (nowMs >= window.endsAtMs) this.#windows.delete(key);
    }
    this.#sweepAtSize = Math.max(1_024, this.#windows.size * 2);
  }
}
