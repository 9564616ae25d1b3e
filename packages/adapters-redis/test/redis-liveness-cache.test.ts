import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { PrivateRedis } from '@authsvc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLivenessCache, RedisSessionStore, type RedisConnection } from '../src/index.js';
import { StallingProxy } from './support/stalling-proxy.support.js';
import { cleanUpAndClose, connectForTest, redisService, standalone } from './support/redis-test-env.support.js';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it answers true; the elapsed ms, or throws after `timeoutMs`. */
async function msUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// Two instances of the service, each with its own connections and cache, sharing one Redis (docs/decisions/0013).
describe.skipIf(!redisService)('the liveness cache: Redis invalidates it, and it fails closed', () => {
  let here: RedisConnection;
  let there: RedisConnection;
  let cache: RedisLivenessCache;
  let cached: RedisSessionStore;
  let other: RedisSessionStore;
  let admin: Redis;

  const newSession = async () => {
    const createdAt = new Date();
    const session = { sessionId: randomBytes(16).toString('base64url'), accountId: randomBytes(8).toString('hex'), createdAt, expiresAt: new Date(createdAt.getTime() + HOUR) };
    await other.create(session);
    return session;
  };
  /** A live session this instance has checked once, so its liveness is now held in the cache. */
  const cachedSession = async () => {
    const s = await newSession();
    expect(await cached.isRevoked(s.sessionId, new Date())).toBe(false);
    const hits = cache.counts.hits;
    expect(await cached.isRevoked(s.sessionId, new Date())).toBe(false);
    expect(cache.counts.hits).toBe(hits + 1);
    return s;
  };
  const killClients = async (namePattern: (line: string) => boolean) => {
    const list = String(await admin.client('LIST'));
    const ids = list.split('\n').filter(namePattern).map((line) => /\bid=(\d+)/.exec(line)?.[1]).filter((id): id is string => id !== undefined);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await admin.client('KILL', 'ID', id);
  };

  beforeAll(async () => {
    here = await connectForTest(redisService!.url);
    there = await connectForTest(redisService!.url, here.keyPrefix);
    admin = new Redis(redisService!.url);
    cache = new RedisLivenessCache(standalone(here));
    cached = new RedisSessionStore(here.client, here.keyPrefix, cache);
    other = new RedisSessionStore(there.client, there.keyPrefix);
    expect(await cache.untilLive(5_000)).toBe(true);
  });
  afterAll(async () => {
    await cache.close();
    await there.close();
    admin.disconnect();
    await cleanUpAndClose(here);
    await redisService!.stop();
  });

  it('answers a checked live session again without a round trip', async () => {
    const s = await cachedSession();
    expect(await cached.accountOf(s.sessionId, new Date())).toBe(s.accountId);
    expect(await cached.isRevoked(s.sessionId, s.expiresAt)).toBe(true);
  });

  it('refuses a session revoked through another client within milliseconds, and from then on', async () => {
    const s = await cachedSession();
    expect(await other.revoke(s.sessionId, new Date())).toBe(s.accountId);
    expect(await msUntil(() => cached.isRevoked(s.sessionId, new Date()), 50)).toBeLessThan(50);
    for (let i = 0; i < 20; i += 1) expect(await cached.accountOf(s.sessionId, new Date())).toBeNull();
  });

  it('refuses a session whose reuse another client detected, and one deleted outright (Redis invalidates any change)', async () => {
    const reused = await cachedSession();
    await other.redeem(reused.sessionId, 0, new Date(), 0);
    expect(await other.redeem(reused.sessionId, 0, new Date(), 0)).toMatchObject({ outcome: 'reused' });
    await msUntil(() => cached.isRevoked(reused.sessionId, new Date()), 50);
    const deleted = await cachedSession();
    await admin.del(`${here.keyPrefix}session:{${deleted.sessionId}}`);
    await msUntil(() => cached.isRevoked(deleted.sessionId, new Date()), 50);
  });

  it('sees its own revocation at once, before any invalidation could arrive', async () => {
    const s = await cachedSession();
    await cached.revoke(s.sessionId, new Date());
    expect(await cached.isRevoked(s.sessionId, new Date())).toBe(true);
  });

  for (const which of ['subscriber', 'reader'] as const) {
    it(`falls back to Redis at once when its ${which} connection is killed, never accepting a session revoked meanwhile, and recovers`, async () => {
      const sessions = [await cachedSession(), await cachedSession()];
      await killClients((line) => line.includes(` name=${cache.names[which]} `));
      // Revoked while the cache has no working channel: the kill already dropped the redirect, no invalidation comes.
      await other.revoke(sessions[0]!.sessionId, new Date());
      expect(cache.live).toBe(false);
      expect(await cached.isRevoked(sessions[0]!.sessionId, new Date())).toBe(true);
      expect(await cached.isRevoked(sessions[1]!.sessionId, new Date())).toBe(false);
      expect(cache.size).toBe(0);
      // Back live after the reconnection and handshake; the revoked session stays refused.
      expect(await cache.untilLive(5_000)).toBe(true);
      expect(await cached.isRevoked(sessions[0]!.sessionId, new Date())).toBe(true);
      const later = await cachedSession();
      await other.revoke(later.sessionId, new Date());
      await msUntil(() => cached.isRevoked(later.sessionId, new Date()), 50);
    });
  }

  it('refuses a session revoked while its invalidation connection is stalled (open, silent) within maxSilence, never after', async () => {
    const target = new URL(redisService!.url);
    const proxy = await StallingProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const proxied = await connectForTest(proxy.url, here.keyPrefix);
    const maxSilenceMs = 100;
    const stalledCache = new RedisLivenessCache(standalone(proxied), { maxSilenceMs });
    const stalledStore = new RedisSessionStore(proxied.client, proxied.keyPrefix, stalledCache);
    try {
      expect(await stalledCache.untilLive(5_000)).toBe(true);
      const s = await newSession();
      expect(await stalledStore.isRevoked(s.sessionId, new Date())).toBe(false);
      const hits = stalledCache.counts.hits;
      expect(await stalledStore.isRevoked(s.sessionId, new Date())).toBe(false);
      expect(stalledCache.counts.hits).toBe(hits + 1);

      proxy.connectionSending(stalledCache.names.subscriber).stall(true);
      const stalledAt = performance.now();
      await other.revoke(s.sessionId, new Date());
      // The invalidation is held back by the stall; only the missing heartbeat can end the cache's answers.
      const refusedAfter = await msUntil(() => stalledStore.isRevoked(s.sessionId, new Date()), 2_000);
      // A bound of its own (not derived from maxSilenceMs), so a cache that ignored the silence would fail here.
      expect(performance.now() - stalledAt).toBeLessThan(350);
      expect(refusedAfter).toBeGreaterThanOrEqual(0);
      for (let i = 0; i < 20; i += 1) expect(await stalledStore.accountOf(s.sessionId, new Date())).toBeNull();
      expect(stalledCache.live).toBe(false);

      proxy.connectionSending(stalledCache.names.subscriber).stall(false);
      expect(await stalledCache.untilLive(5_000)).toBe(true);
      expect(await stalledStore.isRevoked(s.sessionId, new Date())).toBe(true);
    } finally {
      await stalledCache.close();
      await proxied.close();
      await proxy.stop();
    }
  });

  it('stops answering from the cache when the invalidation connection falls silent (a stalled heartbeat)', async () => {
    // A Redis of its own: CLIENT PAUSE would stall every suite sharing the machine's Redis.
    const server = await PrivateRedis.create();
    await server.start();
    const connection = await connectForTest(server.url);
    const silent = new RedisLivenessCache(standalone(connection), { heartbeatMs: 20, maxSilenceMs: 60 });
    const pauser = new Redis(server.url);
    try {
      expect(await silent.untilLive(5_000)).toBe(true);
      // CLIENT PAUSE holds every client's commands, PINGs included, like a stalled network; the connections stay open.
      await pauser.call('CLIENT', 'PAUSE', '400', 'ALL');
      await sleep(150);
      expect(silent.live).toBe(false);
      expect(await silent.untilLive(5_000)).toBe(true);
    } finally {
      pauser.disconnect();
      await silent.close();
      await connection.close();
      await server.kill();
    }
  });
});
