import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter, RedisSessionStore, type RedisConnection } from '../src/index.js';
import { cleanUpAndClose, connectForTest, keysUnder, redisService, standalone } from './support/redis-test-env.support.js';

const HOUR = 3_600_000;

describe.skipIf(!redisService)('Redis key lifetimes', () => {
  let connection: RedisConnection;
  beforeAll(async () => {
    connection = await connectForTest(redisService!.url);
  });
  afterAll(async () => {
    await cleanUpAndClose(connection);
    await redisService!.stop();
  });

  it('gives every key it writes a TTL, and keeps each no longer than what it describes', async () => {
    const store = new RedisSessionStore(connection.client, connection.keyPrefix);
    const limiter = new RedisRateLimiter(connection.client, connection.keyPrefix);
    const limit = { max: 3, windowMs: 60_000 };
    const now = new Date();
    const accountId = randomBytes(8).toString('hex');
    const session = (lifetimeMs: number) => ({ sessionId: randomBytes(16).toString('base64url'), accountId, createdAt: now, expiresAt: new Date(now.getTime() + lifetimeMs) });
    const [short, long, revoked, reused] = [session(HOUR), session(2 * HOUR), session(HOUR), session(HOUR)];
    for (const s of [short, long, revoked, reused]) await store.create(s);
    await store.redeem(short.sessionId, 0, now, 0);
    await store.revoke(revoked.sessionId, now);
    await store.redeem(reused.sessionId, 0, now, 0);
    await store.redeem(reused.sessionId, 0, now, 0);
    await store.revokeAllForAccount(randomBytes(8).toString('hex'), now);
    await store.listForAccount(accountId, now);
    await limiter.consume('someone', limit, now);
    await limiter.refund('someone', limit, now);
    await limiter.consume('someone-else', limit, now);
    await limiter.reset('someone-else');

    const client = standalone(connection);
    const keys = await keysUnder(client, connection.keyPrefix);
    expect(keys.sort()).toEqual(
      [
        `${connection.keyPrefix}account-sessions:{${accountId}}`,
        `${connection.keyPrefix}rate:{someone}`,
        ...[short, long, revoked, reused].map((s) => `${connection.keyPrefix}session:{${s.sessionId}}`),
      ].sort(),
    );
    const ttls = Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await client.pttl(key)] as const)));
    for (const [key, ttl] of Object.entries(ttls)) expect(ttl, key).toBeGreaterThan(0);
    // Sessions (revoked ones too, so that later redemptions still answer "invalid") live until their own expiry...
    expect(ttls[`${connection.keyPrefix}session:{${long.sessionId}}`]).toBeGreaterThan(HOUR);
    expect(ttls[`${connection.keyPrefix}session:{${revoked.sessionId}}`]).toBeLessThanOrEqual(HOUR);
    expect(ttls[`${connection.keyPrefix}session:{${revoked.sessionId}}`]).toBeGreaterThan(HOUR - 60_000);
    // ...the account index as long as its longest session, a rate-limit window no longer than the window.
    expect(ttls[`${connection.keyPrefix}account-sessions:{${accountId}}`]).toBeGreaterThan(2 * HOUR - 60_000);
    expect(ttls[`${connection.keyPrefix}account-sessions:{${accountId}}`]).toBeLessThanOrEqual(2 * HOUR);
    expect(ttls[`${connection.keyPrefix}rate:{someone}`]).toBeLessThanOrEqual(60_000);
  });

  it('trims expired members from the account index when it is next written', async () => {
    const store = new RedisSessionStore(connection.client, connection.keyPrefix);
    const accountId = randomBytes(8).toString('hex');
    const t0 = new Date();
    const first = { sessionId: 'first', accountId, createdAt: t0, expiresAt: new Date(t0.getTime() + 60_000) };
    await store.create(first);
    await store.create({ sessionId: 'second', accountId, createdAt: new Date(t0.getTime() + 60_000), expiresAt: new Date(t0.getTime() + HOUR) });
    expect(await standalone(connection).zrange(`${connection.keyPrefix}account-sessions:{${accountId}}`, 0, -1)).toEqual(['second']);
  });
});
