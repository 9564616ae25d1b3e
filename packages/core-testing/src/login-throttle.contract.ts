import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { LoginThrottleFactory } from './store-fixtures.support.js';
import type { ThrottleDecision } from '@authsvc/core';
import { uniqueSuffix } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';

/**
 * The login throttle contract: a fixed window that starts at the first failure of a key; `maxFailures`
 * failures in it lock the key until the window ends. Keys are fresh per test, so a shared store is fine.
 */
export function loginThrottleContract(name: string, fixture: ContractFixture<LoginThrottleFactory>): void {
  describe(`${name}: login throttle contract`, () => {
    const factory = useFixture(fixture);
    const WINDOW = 60_000;
    const throttle = (maxFailures = 3, windowMs = WINDOW) => factory()({ maxFailures, windowMs });
    const key = () => `login:${uniqueSuffix()}`;
    const start = () => new Date(Math.floor(Date.now() / 1000) * 1000);
    const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
    const locked = (retryAfterMs: number): ThrottleDecision => ({ allowed: false, retryAfterMs });

    it('allows a key with no failures', async () => {
      expect(await throttle().check(key(), new Date())).toEqual({ allowed: true });
    });

    it('allows up to maxFailures - 1 failures, and locks on the maxFailures-th until the window ends', async () => {
      const t = throttle(3);
      const k = key();
      const t0 = start();
      expect(await t.recordFailure(k, t0)).toEqual({ allowed: true });
      expect(await t.recordFailure(k, at(t0, 1_000))).toEqual({ allowed: true });
      expect(await t.check(k, at(t0, 1_500))).toEqual({ allowed: true });
      expect(await t.recordFailure(k, at(t0, 2_000))).toEqual(locked(WINDOW - 2_000));
      expect(await t.check(k, at(t0, 10_000))).toEqual(locked(WINDOW - 10_000));
    });

    it('keeps the lock until the end of the window that started at the first failure, even when failures continue', async () => {
      const t = throttle(2);
      const k = key();
      const t0 = start();
      await t.recordFailure(k, t0);
      await t.recordFailure(k, at(t0, 100));
      expect(await t.recordFailure(k, at(t0, 30_000))).toEqual(locked(WINDOW - 30_000));
      expect(await t.check(k, at(t0, WINDOW - 1))).toEqual(locked(1));
    });

    it('allows again once the window has ended, and counts from zero in a new window', async () => {
      const t = throttle(2);
      const k = key();
      const t0 = start();
      await t.recordFailure(k, t0);
      await t.recordFailure(k, at(t0, 10));
      expect(await t.check(k, at(t0, WINDOW))).toEqual({ allowed: true });
      expect(await t.recordFailure(k, at(t0, WINDOW + 5))).toEqual({ allowed: true });
      expect(await t.recordFailure(k, at(t0, WINDOW + 10))).toEqual(locked(WINDOW - 5));
    });

    it('does not carry failures over a window end (a fixed window, not a sliding one)', async () => {
      const t = throttle(2);
      const k = key();
      const t0 = start();
      await t.recordFailure(k, t0);
      expect(await t.recordFailure(k, at(t0, WINDOW + 1))).toEqual({ allowed: true });
    });

    it('forgets every failure of a key on reset', async () => {
      const t = throttle(2);
      const k = key();
      const t0 = start();
      await t.recordFailure(k, t0);
      await t.recordFailure(k, at(t0, 1));
      await t.reset(k);
      expect(await t.check(k, at(t0, 2))).toEqual({ allowed: true });
      expect(await t.recordFailure(k, at(t0, 3))).toEqual({ allowed: true });
    });

    it('counts each key on its own', async () => {
      const t = throttle(2);
      const [a, b] = [key(), key()];
      const t0 = start();
      await t.recordFailure(a, t0);
      await t.recordFailure(a, at(t0, 1));
      expect(await t.check(a, at(t0, 2))).toMatchObject({ allowed: false });
      expect(await t.check(b, at(t0, 2))).toEqual({ allowed: true });
      await t.reset(b);
      expect(await t.check(a, at(t0, 3))).toMatchObject({ allowed: false });
    });

    it('counts 50 concurrent failures exactly: with maxFailures 50 only the 50th locks', async () => {
      const t = throttle(50);
      const k = key();
      const t0 = start();
      const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => t.recordFailure(k, at(t0, i % 5))));
      expect(decisions.filter((d) => !d.allowed)).toHaveLength(1);
      expect(await t.check(k, at(t0, 10))).toMatchObject({ allowed: false });
    });

    it('counts 50 concurrent failures exactly: with maxFailures 51 the key is still allowed, and one more locks it', async () => {
      const t = throttle(51);
      const k = key();
      const t0 = start();
      await Promise.all(Array.from({ length: 50 }, () => t.recordFailure(k, t0)));
      expect(await t.check(k, at(t0, 1))).toEqual({ allowed: true });
      expect(await t.recordFailure(k, at(t0, 2))).toEqual(locked(WINDOW - 2));
    });
  });
}
