import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLivenessCache, RedisSessionStore, type RedisConnection } from '../src/index.js';
import { CommandRecorder } from './support/command-recorder.support.js';
import { cleanUpAndClose, connectForTest, redisService, standalone } from './support/redis-test-env.support.js';

// Acceptance: a refresh-token redemption and a revocation check are each ONE round trip to Redis.
describe.skipIf(!redisService)('Redis round trips, counted with MONITOR', () => {
  let connection: RedisConnection;
  let recorder: CommandRecorder;
  let store: RedisSessionStore;
  const now = new Date();
  const newSession = async () => {
    const session = { sessionId: randomBytes(16).toString('base64url'), accountId: randomBytes(8).toString('hex'), createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000) };
    await store.create(session);
    return session;
  };

  beforeAll(async () => {
    connection = await connectForTest(redisService!.url);
    recorder = await CommandRecorder.start(redisService!.url);
    store = new RedisSessionStore(connection.client, connection.keyPrefix);
    // Loads the script into the server's cache, as the first redemption after a deploy does.
    await store.redeem('warm-up', 0, now, 0);
  });
  afterAll(async () => {
    await recorder.stop();
    await cleanUpAndClose(connection);
    await redisService!.stop();
  });

  const names = (commands: { args: string[] }[]) => commands.map((c) => c.args[0]?.toLowerCase());

  it('redeems a refresh token (rotation, grace and reuse alike) in one EVALSHA', async () => {
    const s = await newSession();
    const client = standalone(connection);
    for (const [counter, outcome] of [[0, 'rotated'], [0, 'grace'], [1, 'rotated'], [0, 'reused']] as const) {
      let result: unknown;
      const sent = await recorder.roundTripsOf(client, async () => (result = await store.redeem(s.sessionId, counter, now, 10_000)));
      expect(result).toMatchObject({ outcome });
      expect(names(sent)).toEqual(['evalsha']);
    }
  });

  it('checks revocation in one HMGET, for live, revoked and unknown sessions', async () => {
    const live = await newSession();
    const revoked = await newSession();
    await store.revoke(revoked.sessionId, now);
    const client = standalone(connection);
    for (const [sessionId, expected] of [[live.sessionId, false], [revoked.sessionId, true], ['never-created', true]] as const) {
      let result: unknown;
      const sent = await recorder.roundTripsOf(client, async () => (result = await store.isRevoked(sessionId, now)));
      expect(result).toBe(expected);
      expect(names(sent)).toEqual(['hmget']);
    }
  });

  it('with the liveness cache, checks a live session once and then answers from memory: no command reaches Redis', async () => {
    const cache = new RedisLivenessCache(standalone(connection));
    try {
      expect(await cache.untilLive(5_000)).toBe(true);
      const cached = new RedisSessionStore(connection.client, connection.keyPrefix, cache);
      const s = await newSession();
      const key = `${connection.keyPrefix}session:{${s.sessionId}}`;
      const client = standalone(connection);
      const first = await recorder.roundTripsOf(client, () => cached.isRevoked(s.sessionId, now), true);
      expect(first.filter((c) => c.args.includes(key)).map((c) => c.args[0]?.toLowerCase())).toEqual(['hmget']);
      const again = await recorder.roundTripsOf(client, async () => {
        expect(await cached.isRevoked(s.sessionId, now)).toBe(false);
        expect(await cached.accountOf(s.sessionId, now)).toBe(s.accountId);
      }, true);
      expect(again.filter((c) => c.args.includes(key))).toEqual([]);
    } finally {
      await cache.close();
    }
  });
});
