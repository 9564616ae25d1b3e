import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '@authsvc/core';
import { eventually, expectDomainError } from '@authsvc/core-testing';
import { RedisRateLimiter, RedisSessionStore, createRedisClient, type RedisConnection } from '../src/index.js';
import { PrivateRedis, redisServerInstalled } from '@authsvc/test-support';

// Needs no shared Redis: the suite runs its own redis-server child process so it can kill and restart it.
const COMMAND_TIMEOUT = 400;
const SLACK = 500;

const canRun = redisServerInstalled();
if (!canRun) {
  const line = 'Redis outage suite skipped: it needs a redis-server binary on PATH (apt-get install redis-server).';
  if (process.env.CI === 'true') throw new Error(`${line} Under CI=true a skipped integration suite is a failure.`);
  console.warn(line);
}

describe.skipIf(!canRun)('Redis unreachable, then back', () => {
  let server: PrivateRedis;
  let connection: RedisConnection;
  let store: RedisSessionStore;
  let limiter: RedisRateLimiter;
  const limit = { max: 3, windowMs: 60_000 };
  const outages: DomainError[] = [];
  const now = () => new Date();
  const newSession = () => ({ sessionId: randomBytes(16).toString('base64url'), accountId: 'acc-1', createdAt: now(), expiresAt: new Date(Date.now() + 60_000) });

  /** Every operation of both ports, each expected to fail with DEPENDENCY_UNAVAILABLE within the timeout. */
  const operations: [string, () => Promise<unknown>][] = [
    ['create', () => store.create(newSession())],
    ['redeem', () => store.redeem('s-1', 0, now(), 10_000)],
    ['isRevoked', () => store.isRevoked('s-1', now())],
    ['revoke', () => store.revoke('s-1', now())],
    ['revokeAllForAccount', () => store.revokeAllForAccount('acc-1', now())],
    ['listForAccount', () => store.listForAccount('acc-1', now())],
    ['limiter.consume', () => limiter.consume('k', limit, now())],
    ['limiter.refund', () => limiter.refund('k', limit, now())],
    ['limiter.reset', () => limiter.reset('k')],
  ];

  const expectAllFailFast = async () => {
    for (const [name, operation] of operations) {
      const started = Date.now();
      const reported = outages.length;
      await expectDomainError(operation(), 'DEPENDENCY_UNAVAILABLE');
      expect(Date.now() - started, name).toBeLessThan(COMMAND_TIMEOUT + SLACK);
      // Reported as it happened, by the connection: no adapter reports anything itself.
      expect(outages.length, name).toBeGreaterThan(reported);
    }
    expect(await connection.ping()).toBe(false);
  };

  beforeAll(async () => {
    server = await PrivateRedis.create();
    await server.start();
    connection = createRedisClient({
      url: server.url,
      keyPrefix: 'authsvc-test:',
      commandTimeoutMs: COMMAND_TIMEOUT,
      connectTimeoutMs: COMMAND_TIMEOUT,
      maxReconnectDelayMs: 200,
      onOutage: (outage) => outages.push(outage),
    });
    await connection.ready(5_000);
    store = new RedisSessionStore(connection.client, connection.keyPrefix);
    limiter = new RedisRateLimiter(connection.client, connection.keyPrefix);
  });
  afterAll(async () => {
    await connection.close();
    server.freeze(false);
    await server.kill();
  });

  it('fails fast with DEPENDENCY_UNAVAILABLE while the server is down, and recovers on the same client when it returns', async () => {
    const before = newSession();
    await store.create(before);
    expect(await store.isRevoked(before.sessionId, now())).toBe(false);
    // A reply that is a bug, not an outage, is not reported.
    await connection.client.set('authsvc-test:not-a-hash', 'x');
    await expect(connection.client.hget('authsvc-test:not-a-hash', 'f')).rejects.toThrow(/WRONGTYPE/);
    expect(outages).toEqual([]);

    await server.kill();
    await expectAllFailFast();

    await server.start();
    expect(await eventually(() => connection.ping(), 10_000, 50)).toBe(true);
    // The restarted server is empty (nothing persisted) and lacks the scripts: EVALSHA falls back to EVAL.
    const after = newSession();
    await store.create(after);
    expect(await store.redeem(after.sessionId, 0, now(), 10_000)).toMatchObject({ outcome: 'rotated', counter: 1 });
    // The session the server forgot is reported revoked: an unknown state never passes as live.
    expect(await store.isRevoked(before.sessionId, now())).toBe(true);
    expect(await limiter.consume('k', limit, now())).toEqual({ allowed: true, remaining: 2 });
  });

  it('starts while Redis is down: ready() and every operation fail fast, then the same client connects when it starts', async () => {
    const later = await PrivateRedis.create();
    const early = createRedisClient({ url: later.url, keyPrefix: 'authsvc-test:', commandTimeoutMs: COMMAND_TIMEOUT, connectTimeoutMs: COMMAND_TIMEOUT, maxReconnectDelayMs: 200 });
    try {
      await expectDomainError(early.ready(COMMAND_TIMEOUT), 'DEPENDENCY_UNAVAILABLE');
      const earlyStore = new RedisSessionStore(early.client, early.keyPrefix);
      const started = Date.now();
      await expectDomainError(earlyStore.isRevoked('s-1', now()), 'DEPENDENCY_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT + SLACK);
      await later.start();
      await early.ready(10_000);
      expect(await earlyStore.isRevoked('s-1', now())).toBe(true);
    } finally {
      await early.close();
      await later.kill();
    }
  });

  it('times out within the command timeout when the server hangs with the connection open, and recovers', async () => {
    server.freeze(true);
    try {
      await expectAllFailFast();
    } finally {
      server.freeze(false);
    }
    expect(await eventually(() => connection.ping(), 10_000, 50)).toBe(true);
    expect(await store.isRevoked('never-created', now())).toBe(true);
    expect(await limiter.consume('k-after-freeze', limit, now())).toEqual({ allowed: true, remaining: 2 });
  });
});
