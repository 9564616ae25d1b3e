import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@authsvc/core-testing';
import type { Redis } from 'ioredis';
import { RedisLivenessCache, RedisSessionStore, createRedisClient, type RedisConnection } from '../src/index.js';
import { redisServerInstalled } from '@authsvc/test-support';
import { RedisSentinelProcesses } from './support/redis-sentinel-processes.support.js';

// A deployment that outgrew one Redis: Sentinel promotes the replica when the master dies, and the same
// client follows it with no restart and no code change.
describe.skipIf(!redisServerInstalled())('Redis Sentinel failover', () => {
  const processes = new RedisSentinelProcesses();
  let connection: RedisConnection;
  beforeAll(async () => {
    await processes.start(true);
    connection = createRedisClient({
      sentinels: [{ host: '127.0.0.1', port: processes.sentinelPort }],
      sentinelName: processes.masterName,
      keyPrefix: 'authsvc-test:',
      commandTimeoutMs: 500,
      connectTimeoutMs: 500,
      maxReconnectDelayMs: 200,
    });
    await connection.ready(10_000);
  });
  afterAll(async () => {
    await connection.close();
    await processes.stop();
  });

  it('keeps serving sessions from the promoted replica after the master is killed', async () => {
    const store = new RedisSessionStore(connection.client, connection.keyPrefix);
    const now = new Date();
    const session = { sessionId: randomBytes(16).toString('base64url'), accountId: 'acc', createdAt: now, expiresAt: new Date(now.getTime() + 60_000) };
    await store.create(session);
    // Make sure the replica has the session before the master goes away.
    const client = connection.client as Redis;
    expect(await eventually(async () => (await client.call('WAIT', 1, 200)) === 1, 10_000, 50)).toBe(true);
    const masterPort = processes.master!.port;

    await processes.master!.kill();
    const served = await eventually(async () => store.redeem(session.sessionId, 0, new Date(), 10_000).then(() => true, () => false), 20_000, 100);
    expect(served).toBe(true);
    // Now talking to the promoted replica: another port, in the master role.
    expect(await client.call('CONFIG', 'GET', 'port')).not.toEqual(['port', String(masterPort)]);
    expect(((await client.call('ROLE')) as unknown[])[0]).toBe('master');
    expect(await store.isRevoked(session.sessionId, new Date())).toBe(false);
    expect(await store.redeem(session.sessionId, 1, new Date(), 10_000)).toMatchObject({ outcome: 'rotated', counter: 2 });
  }, 40_000);
});

// The revocation cache across a failover: its connections follow the client to the promoted replica, and it answers
// again only once its channel is live there, so a revocation made on the new master is refused (docs/decisions/0013).
describe.skipIf(!redisServerInstalled())('Redis Sentinel failover with the liveness cache', () => {
  const processes = new RedisSentinelProcesses();
  const connections: RedisConnection[] = [];
  const open = async () => {
    const connection = createRedisClient({
      sentinels: [{ host: '127.0.0.1', port: processes.sentinelPort }],
      sentinelName: processes.masterName,
      keyPrefix: 'authsvc-test:',
      commandTimeoutMs: 500,
      connectTimeoutMs: 500,
      maxReconnectDelayMs: 200,
    });
    connections.push(connection);
    await connection.ready(10_000);
    return connection;
  };
  beforeAll(async () => {
    await processes.start(true);
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    await processes.stop();
  });

  it('is live again on the promoted replica, and refuses a session revoked there', async () => {
    const here = await open();
    const there = await open();
    const cache = RedisLivenessCache.for(here.client)!;
    try {
      const cached = new RedisSessionStore(here.client, here.keyPrefix, cache);
      const other = new RedisSessionStore(there.client, there.keyPrefix);
      expect(await cache.untilLive(5_000)).toBe(true);
      const now = new Date();
      const session = { sessionId: randomBytes(16).toString('base64url'), accountId: 'acc', createdAt: now, expiresAt: new Date(now.getTime() + 60_000) };
      await other.create(session);
      expect(await eventually(async () => (await (there.client as Redis).call('WAIT', 1, 200)) === 1, 10_000, 50)).toBe(true);
      expect(await cached.isRevoked(session.sessionId, new Date())).toBe(false);
      const hits = cache.counts.hits;
      expect(await cached.isRevoked(session.sessionId, new Date())).toBe(false);
      expect(cache.counts.hits).toBe(hits + 1);

      await processes.master!.kill();
      expect(await eventually(async () => cache.live === false, 5_000, 10)).toBe(true);
      expect(await eventually(async () => other.isRevoked(session.sessionId, new Date()).then(() => true, () => false), 20_000, 100)).toBe(true);
      expect(await cache.untilLive(20_000)).toBe(true);
      expect(await other.revoke(session.sessionId, new Date())).toBe('acc');
      expect(await eventually(async () => cached.isRevoked(session.sessionId, new Date()), 1_000, 5)).toBe(true);
      expect(await cached.accountOf(session.sessionId, new Date())).toBeNull();
    } finally {
      await cache.close();
    }
  }, 60_000);
});
