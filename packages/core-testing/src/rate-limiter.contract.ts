import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '@authsvc/core';
import { uniqueSuffix } from '@authsvc/core/fixtures';
import type { ContractFixture } from './contract-fixture.types.js';
import { useFixture } from './contract-hooks.support.js';

/**
 * The rate limiter contract: a fixed window that opens at a key's first counted attempt; an attempt is counted when
 * allowed and never when refused, atomically, so concurrent attempts get at most `max` allowances per window; a refund
 * gives one back only to the window that counted it. Keys are fresh per test, so a shared store is fine.
 */
export function rateLimiterContract(name: string, fixture: ContractFixture<RateLimiter>): void {
  describe(`${name}: rate limiter contract`, () => {
    const limiter = useFixture(fixture);
    const WINDOW = 60_000;
    const key = () => `rate:${uniqueSuffix()}`;
    const start = () => new Date(Math.floor(Date.now() / 1000) * 1000);
    const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);

    it('allows max attempts with the count of those left, then refuses until the window that opened at the first ends', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 3, windowMs: WINDOW };
      expect(await limiter().consume(k, limit, t0)).toEqual({ allowed: true, remaining: 2 });
      expect(await limiter().consume(k, limit, at(t0, 1_000))).toEqual({ allowed: true, remaining: 1 });
      expect(await limiter().consume(k, limit, at(t0, 2_000))).toEqual({ allowed: true, remaining: 0 });
      expect(await limiter().consume(k, limit, at(t0, 5_000))).toEqual({ allowed: false, retryAfterMs: WINDOW - 5_000 });
      expect(await limiter().consume(k, limit, at(t0, WINDOW - 1))).toEqual({ allowed: false, retryAfterMs: 1 });
    });

    it('a refused attempt is not counted: the window does not stretch and the next window starts from zero', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 1, windowMs: WINDOW };
      await limiter().consume(k, limit, t0);
      for (let i = 1; i <= 5; i += 1) expect((await limiter().consume(k, limit, at(t0, i * 1_000))).allowed).toBe(false);
      expect(await limiter().consume(k, limit, at(t0, WINDOW))).toEqual({ allowed: true, remaining: 0 });
    });

    it('keys count apart: one key at its limit does not refuse another', async () => {
      const [a, b] = [key(), key()];
      const t0 = start();
      const limit = { max: 1, windowMs: WINDOW };
      await limiter().consume(a, limit, t0);
      expect((await limiter().consume(a, limit, t0)).allowed).toBe(false);
      expect(await limiter().consume(b, limit, t0)).toEqual({ allowed: true, remaining: 0 });
    });

    it('reset forgets every counted attempt of the key', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 1, windowMs: WINDOW };
      await limiter().consume(k, limit, t0);
      await limiter().reset(k);
      expect(await limiter().consume(k, limit, at(t0, 10))).toEqual({ allowed: true, remaining: 0 });
    });

    it('100 concurrent attempts on one key with max 10: exactly 10 are allowed', async () => {
      const k = key();
      const t0 = start();
      const decisions = await Promise.all(Array.from({ length: 100 }, () => limiter().consume(k, { max: 10, windowMs: WINDOW }, t0)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect(decisions.filter((d) => d.allowed).map((d) => (d.allowed ? d.remaining : -1)).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('a refund gives back one attempt of the current window, and never takes the count below zero', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 2, windowMs: WINDOW };
      await limiter().consume(k, limit, t0);
      await limiter().consume(k, limit, at(t0, 1_000));
      expect((await limiter().consume(k, limit, at(t0, 2_000))).allowed).toBe(false);
      await limiter().refund(k, limit, at(t0, 1_000));
      expect(await limiter().consume(k, limit, at(t0, 3_000))).toEqual({ allowed: true, remaining: 0 });
      for (let i = 0; i < 5; i += 1) await limiter().refund(k, limit, at(t0, 1_000));
      // Five refunds of two counted attempts leave zero counted, not minus three: exactly max more are allowed.
      expect(await limiter().consume(k, limit, at(t0, 4_000))).toEqual({ allowed: true, remaining: 1 });
      expect(await limiter().consume(k, limit, at(t0, 4_000))).toEqual({ allowed: true, remaining: 0 });
      expect((await limiter().consume(k, limit, at(t0, 4_000))).allowed).toBe(false);
    });

    it('a refund of an attempt counted in an ended window lends the current window nothing', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 1, windowMs: WINDOW };
      await limiter().consume(k, limit, at(t0, WINDOW - 1));
      // A new window opens at t0 + 2 windows - 1 with its one attempt; the refund of the attempt of the window before
      // (late, after a slow hash or a cancelled wait) must not give that attempt back.
      expect(await limiter().consume(k, limit, at(t0, 2 * WINDOW - 1))).toEqual({ allowed: true, remaining: 0 });
      await limiter().refund(k, limit, at(t0, WINDOW - 1));
      expect(await limiter().consume(k, limit, at(t0, 2 * WINDOW))).toEqual({ allowed: false, retryAfterMs: WINDOW - 1 });
    });

    it('a refund of a key with nothing counted changes nothing', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 1, windowMs: WINDOW };
      await limiter().refund(k, limit, t0);
      expect(await limiter().consume(k, limit, t0)).toEqual({ allowed: true, remaining: 0 });
      expect((await limiter().consume(k, limit, t0)).allowed).toBe(false);
    });

    it('100 concurrent attempts, each refunded when allowed, then 100 more: exactly max allowed in each round', async () => {
      const k = key();
      const t0 = start();
      const limit = { max: 10, windowMs: WINDOW };
      const round = () =>
        Promise.all(
          Array.from({ length: 100 }, async () => {
            const decision = await limiter().consume(k, limit, t0);
            return decision.allowed;
          }),
        );
      expect((await round()).filter(Boolean)).toHaveLength(10);
      await Promise.all(Array.from({ length: 10 }, () => limiter().refund(k, limit, t0)));
      expect((await round()).filter(Boolean)).toHaveLength(10);
    });

    it('refuses a limit that allows nothing or never ends', async () => {
      await expect(limiter().consume(key(), { max: 0, windowMs: WINDOW }, start())).rejects.toThrow(RangeError);
      await expect(limiter().consume(key(), { max: 1, windowMs: 0 }, start())).rejects.toThrow(RangeError);
      await expect(limiter().refund(key(), { max: 0, windowMs: WINDOW }, start())).rejects.toThrow(RangeError);
    });
  });
}
