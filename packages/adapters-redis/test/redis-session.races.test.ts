import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter, RedisSessionStore, type RedisConnection } from '../src/index.js';
import { cleanUpAndClose, connectForTest, redisService, standalone } from './support/redis-test-env.support.js';

describe.skipIf(!redisService)('Redis adapters under concurrency', () => {
  let connection: RedisConnection;
  let store: RedisSessionStore;
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const newSession = async () => {
    const session = { sessionId: randomBytes(16).toString('base64url'), accountId: randomBytes(8).toString('hex'), createdAt: t0, expiresAt: at(3_600_000) };
    await store.create(session);
    return session;
  };

  beforeAll(async () => {
    connection = await connectForTest(redisService!.url);
    store = new RedisSessionStore(connection.client, connection.keyPrefix);
  });
  afterAll(async () => {
    await cleanUpAndClose(connection);
    await redisService!.stop();
  });

  it('50 concurrent redemptions within the grace window: one rotation, 49 times the same successor; a later reuse revokes the family', async () => {
    const s = await newSession();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.redeem(s.sessionId, 0, at(1_000), 10_000)));
    expect(results.filter((r) => r.outcome === 'rotated')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'grace')).toHaveLength(49);
    expect(new Set(results.map((r) => (r.outcome === 'rotated' || r.outcome === 'grace' ? r.counter : -1)))).toEqual(new Set([1]));

    expect(await store.redeem(s.sessionId, 0, at(1_000 + 10_001), 10_000)).toEqual({ outcome: 'reused', accountId: s.accountId });
    expect(await store.isRevoked(s.sessionId, at(12_000))).toBe(true);
    // The successor handed out to all 50 callers is dead too: the whole family is revoked.
    expect(await store.redeem(s.sessionId, 1, at(12_001), 10_000)).toEqual({ outcome: 'invalid' });
  });

  it('50 concurrent redemptions with grace 0: one rotation, the rest reuse, and the family is revoked', async () => {
    const s = await newSession();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.redeem(s.sessionId, 0, at(1_000), 0)));
    expect(results.filter((r) => r.outcome === 'rotated')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'reused').length + results.filter((r) => r.outcome === 'invalid').length).toBe(49);
    expect(await store.isRevoked(s.sessionId, at(1_001))).toBe(true);
    expect(await store.redeem(s.sessionId, 1, at(1_002), 0)).toEqual({ outcome: 'invalid' });
  });

  it('200 concurrent attempts over 5 separate connections with max 10: exactly 10 allowed, and refunds give exactly those back', async () => {
    const limit = { max: 10, windowMs: 60_000 };
    // Separate connections share nothing but Redis, like separate instances of the service.
    const others = await Promise.all(Array.from({ length: 5 }, () => connectForTest(redisService!.url, connection.keyPrefix)));
    try {
      const limiters = others.map((other) => new RedisRateLimiter(other.client, other.keyPrefix));
      const key = `login:${randomBytes(4).toString('hex')}`;
      const round = () => Promise.all(Array.from({ length: 200 }, (_, i) => limiters[i % 5]!.consume(key, limit, t0)));
      expect((await round()).filter((d) => d.allowed)).toHaveLength(10);
      expect(await standalone(connection).hget(`${connection.keyPrefix}rate:{${key}}`, 'count')).toBe('10');
      await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 5]!.refund(key, limit, t0)));
      expect(await standalone(connection).hget(`${connection.keyPrefix}rate:{${key}}`, 'count')).toBe('0');
      expect((await round()).filter((d) => d.allowed)).toHaveLength(10);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });
});
