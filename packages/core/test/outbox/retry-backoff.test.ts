import { describe, expect, it } from 'vitest';
import { computeRetryAt, DEFAULT_BACKOFF } from '../../src/outbox/index.js';

const now = new Date('2026-11-28T10:00:00.000Z');
const delay = (attempts: number, random: number, policy = DEFAULT_BACKOFF) =>
  computeRetryAt(attempts, now, policy, () => random).getTime() - now.getTime();

describe('computeRetryAt', () => {
  it('defaults to a 500 ms base and a 5 minute cap', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 500, capMs: 300_000 });
  });

  it('draws the first retry uniformly below the base (full jitter)', () => {
    expect(delay(0, 0)).toBe(0);
    expect(delay(0, 0.5)).toBe(250);
    expect(delay(0, 0.999)).toBe(499);
  });

  it('doubles the bound with every failure', () => {
    expect([1, 2, 3, 4].map((attempts) => delay(attempts, 0.999_999))).toEqual([999, 1_999, 3_999, 7_999]);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(delay(20, 0.999_999)).toBe(299_999);
    expect(delay(10_000, 0.999_999)).toBe(299_999);
    expect(delay(3, 0.999_999, { baseMs: 100, capMs: 250 })).toBe(249);
  });

  it('spreads retries of events that failed together', () => {
    const times = new Set(Array.from({ length: 50 }, () => computeRetryAt(6, now).getTime()));
    expect(times.size).toBeGreaterThan(40);
    for (const time of times) expect(time).toBeGreaterThanOrEqual(now.getTime());
  });
});
