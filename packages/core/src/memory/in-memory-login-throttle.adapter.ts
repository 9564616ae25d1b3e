import type { LoginThrottle, LoginThrottleLimits, ThrottleDecision } from '../ports/login-throttle.port.js';
import { DEFAULT_LOGIN_THROTTLE_LIMITS } from './login-throttle-defaults.config.js';

interface Window {
  failures: number;
  /** Epoch ms at which the window (started by the first failure) ends. */
  endsAtMs: number;
}

/**
 * Failed-login counters in process memory: a fixed window that starts at a key's first failure. Each method is
 * synchronous inside, hence atomic on the event loop. Ended windows are swept lazily so memory tracks active keys.
 */
export class InMemoryLoginThrottle implements LoginThrottle {
  readonly #windows = new Map<string, Window>();
  #sweepAtSize = 1_024;

  constructor(private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_THROTTLE_LIMITS) {
    if (!(limits.maxFailures >= 1) || !(limits.windowMs > 0)) {
      throw new RangeError('login throttle limits need maxFailures >= 1 and windowMs > 0');
    }
  }

  async check(key: string, now: Date): Promise<ThrottleDecision> {
    return this.#decide(this.#current(key, now.getTime()), now.getTime());
  }

  async recordFailure(key: string, now: Date): Promise<ThrottleDecision> {
    const nowMs = now.getTime();
    let window = this.#current(key, nowMs);
    if (!window) {
      this.#sweepIfLarge(nowMs);
      window = { failures: 0, endsAtMs: nowMs + this.limits.windowMs };
      this.#windows.set(key, window);
    }
    window.failures += 1;
    return this.#decide(window, nowMs);
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  #current(key: string, nowMs: number): Window | undefined {
    const window = this.#windows.get(key);
    if (window && nowMs >= window.endsAtMs) {
      this.#windows.delete(key);
      return undefined;
    }
    return window;
  }

  #decide(window: Window | undefined, nowMs: number): ThrottleDecision {
    if (!window || window.failures < this.limits.maxFailures) return { allowed: true };
    return { allowed: false, retryAfterMs: window.endsAtMs - nowMs };
  }

  #sweepIfLarge(nowMs: number): void {
    if (this.#windows.size < this.#sweepAtSize) return;
    for (const [key, window] of this.#windows) {
      if (nowMs >= window.endsAtMs) this.#windows.delete(key);
    }
    this.#sweepAtSize = Math.max(1_024, this.#windows.size * 2);
  }
}
