import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../src/verifier/index.js';

function breakerWithClock(options: { failureThreshold: number; openMs: number }) {
  let now = 1_000;
  const breaker = new CircuitBreaker({ ...options, now: () => now });
  return { breaker, advance: (ms: number) => (now += ms), fail: (times: number) => Array.from({ length: times }, () => breaker.failure()) };
}

describe('the circuit breaker', () => {
  it('stays closed below the threshold of consecutive failures; a success starts the count again', () => {
    const { breaker, fail } = breakerWithClock({ failureThreshold: 3, openMs: 1_000 });
    fail(2);
    breaker.success();
    fail(2);
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens at the threshold and refuses every call while open', () => {
    const { breaker, advance, fail } = breakerWithClock({ failureThreshold: 3, openMs: 1_000 });
    fail(3);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('after openMs lets exactly one trial through; its success closes the breaker', () => {
    const { breaker, advance, fail } = breakerWithClock({ failureThreshold: 2, openMs: 1_000 });
    fail(2);
    advance(1_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a failed trial opens it again for another openMs', () => {
    const { breaker, advance, fail } = breakerWithClock({ failureThreshold: 5, openMs: 1_000 });
    fail(5);
    advance(1_500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
  });
});
