import { describe, expect, it } from 'vitest';
import { ManualClock, aUserAccount, anOutboxEvent, testSessionId } from '../fixtures/index.js';
import { InMemorySessionStore } from './in-memory-session-store.adapter.js';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.adapter.js';
import { InMemoryAccountStore } from './in-memory-account-store.adapter.js';
import { DEFAULT_ATTEMPT_LIMITS, checkAttemptLimits } from '../validation/attempt-limits.rules.js';

describe('InMemorySessionStore memory', () => {
  it('does not grow without bound when sessions expire', async () => {
    const store = new InMemorySessionStore();
    let now = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5_000; i += 1) {
      now += 1_000;
      await store.create({ sessionId: testSessionId(), accountId: 'a', createdAt: new Date(now), expiresAt: new Date(now + 60_000) });
    }
    // Only about 60 are live at any time; the lazy sweep keeps the map within a small multiple of its threshold.
    expect(store.size).toBeLessThanOrEqual(2_048);
  });

  it('forgets a session once it is revoked or reused, so nothing revoked is kept', async () => {
    const store = new InMemorySessionStore();
    const t0 = new Date('2026-01-01T00:00:00Z');
    const a = testSessionId();
    const b = testSessionId();
    await store.create({ sessionId: a, accountId: 'x', createdAt: t0, expiresAt: new Date(t0.getTime() + 60_000) });
    await store.create({ sessionId: b, accountId: 'x', createdAt: t0, expiresAt: new Date(t0.getTime() + 60_000) });
    await store.revoke(a, t0);
    await store.redeem(b, 0, t0, 0);
    await store.redeem(b, 0, t0, 0);
    expect(store.size).toBe(0);
  });
});

describe('InMemoryRateLimiter', () => {
  it('defaults logins to 10 per login name and address in 15 minutes, with looser caps per name and per address', () => {
    expect(DEFAULT_ATTEMPT_LIMITS).toEqual({
      loginPerAddress: { max: 10, windowMs: 900_000 },
      loginPerName: { max: 100, windowMs: 900_000 },
      failedLoginsPerAddress: { max: 100, windowMs: 900_000 },
      registrationsPerAddress: { max: 20, windowMs: 3_600_000 },
      identityChanges: { max: 5, windowMs: 86_400_000 },
      secondFactorPerAccount: { max: 5, windowMs: 900_000 },
      mailsPerAccount: { max: 5, windowMs: 3_600_000 },
      mailsPerAddress: { max: 5, windowMs: 3_600_000 },
      tokenRedemptionsPerAddress: { max: 30, windowMs: 900_000 },
      dataExports: { max: 5, windowMs: 86_400_000 },
      passkeyChallengesPerAddress: { max: 60, windowMs: 900_000 },
      passwordResetRequestsPerAddress: { max: 20, windowMs: 3_600_000 },
    });
  });

  it('rejects limits that could never allow or never end', () => {
    expect(() => checkAttemptLimits({ ...DEFAULT_ATTEMPT_LIMITS, loginPerName: { max: 0, windowMs: 1_000 } })).toThrow(RangeError);
    expect(() => checkAttemptLimits({ ...DEFAULT_ATTEMPT_LIMITS, identityChanges: { max: 3, windowMs: 0 } })).toThrow(RangeError);
  });

  it('does not grow without bound when windows end', async () => {
    const limiter = new InMemoryRateLimiter();
    let now = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5_000; i += 1) {
      now += 1_000;
      await limiter.consume(`key-${i}`, { max: 1, windowMs: 60_000 }, new Date(now));
    }
    // Only about 60 windows are open at any time; the lazy sweep keeps the map within a small multiple of its threshold.
    expect(limiter.size).toBeLessThanOrEqual(2_048);
  });
});

describe('InMemoryAccountStore', () => {
  it('judges retryAt and publishedAt by its clock', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const store = new InMemoryAccountStore({ clock });
    const event = anOutboxEvent();
    await store.unitOfWork.run((scope) => scope.outbox.append([event]));
    await store.relayStore.processBatch(10, async () => ({
      published: [],
      failed: [{ id: event.id, error: 'timeout', retryAt: new Date('2026-01-01T00:01:00Z') }],
    }));
    expect(store.lastOutboxError(event.id)).toBe('timeout');
    const claim = () => store.relayStore.processBatch(10, async (batch) => ({ published: batch.map((e) => e.id), failed: [] }));
    clock.advance(59_999);
    expect(await claim()).toBe(0);
    clock.advance(1);
    expect(await claim()).toBe(1);
    expect(await store.relayStore.prunePublished(clock.now(), 10)).toBe(0);
    clock.advance(1);
    expect(await store.relayStore.prunePublished(clock.now(), 10)).toBe(1);
  });

  it('returns copies: mutating a found account does not change the store', async () => {
    const store = new InMemoryAccountStore();
    const user = aUserAccount();
    await store.unitOfWork.run((scope) => scope.accounts.insert(user));
    const found = await store.accounts.findById(user.id);
    if (found?.kind !== 'user') throw new Error('expected the user');
    found.age = 1;
    user.age = 2;
    expect(await store.accounts.findById(user.id)).toMatchObject({ age: 33 });
  });

  it('refuses writes through a scope kept after its unit of work ended', async () => {
    const store = new InMemoryAccountStore();
    let leaked: Parameters<Parameters<typeof store.unitOfWork.run>[0]>[0] | undefined;
    await store.unitOfWork.run(async (scope) => {
      leaked = scope;
    });
    await expect(leaked!.accounts.insert(aUserAccount())).rejects.toThrow('after its unit of work ended');
  });
});
