import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, expectDomainError } from '@authsvc/core-testing';
import { PrivateRedis, redisServerInstalled } from '@authsvc/test-support';
import type { Redis } from 'ioredis';
import { RedisRateLimiter, RedisSessionStore, createRedisClient, type RedisConnection } from '../src/index.js';

// Needs no shared Redis: the suite freezes a redis-server child process of its own.
const COMMAND_TIMEOUT = 400;
/** Longer than the command timeout: what the probe did with 12 s, scaled down. */
const STALL_MS = 1_200;

const canRun = redisServerInstalled();
if (!canRun) {
  const line = 'Redis script deadline suite skipped: it needs a redis-server binary on PATH (apt-get install redis-server).';
  if (process.env.CI === 'true') throw new Error(`${line} Under CI=true a skipped integration suite is a failure.`);
  console.warn(line);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!canRun)('a script that reaches Redis after its caller gave up does nothing', () => {
  let server: PrivateRedis;
  const connections: RedisConnection[] = [];
  const now = () => new Date();
  const newSession = () => ({ sessionId: randomBytes(16).toString('base64url'), accountId: `acc-${randomBytes(4).toString('hex')}`, createdAt: now(), expiresAt: new Date(Date.now() + 60_000) });

  const connect = async (): Promise<RedisConnection> => {
    const connection = createRedisClient({ url: server.url, keyPrefix: 'authsvc-deadline:', commandTimeoutMs: COMMAND_TIMEOUT, connectTimeoutMs: COMMAND_TIMEOUT, maxReconnectDelayMs: 200 });
    connections.push(connection);
    await connection.ready(5_000);
    return connection;
  };

  /** Runs `calls` while the server is frozen for STALL_MS; each must fail, then the server resumes and runs what it had queued. */
  const duringStall = async (calls: (() => Promise<unknown>)[], connection: RedisConnection): Promise<void> => {
    server.freeze(true);
    try {
      for (const call of calls) await expectDomainError(call(), 'DEPENDENCY_UNAVAILABLE');
      await sleep(STALL_MS);
    } finally {
      server.freeze(false);
    }
    expect(await eventually(() => connection.ping(), 10_000, 50)).toBe(true);
  };

  beforeAll(async () => {
    server = await PrivateRedis.create();
    await server.start();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    server.freeze(false);
    await Promise.all(connections.map((c) => c.close()));
    await server.kill();
  });

  it('a rotation, a revocation, a new session and an attempt count sent into a stall never happen: retries find everything as it was', async () => {
    const connection = await connect();
    const store = new RedisSessionStore(connection.client, connection.keyPrefix);
    const limiter = new RedisRateLimiter(connection.client, connection.keyPrefix);
    const oneAttempt = { max: 1, windowMs: 60_000 };
    const rotating = newSession();
    const revoking = newSession();
    const never = newSession();
    await store.create(rotating);
    await store.create(revoking);

    await duringStall(
      [
        () => store.redeem(rotating.sessionId, 0, now(), 0),
        () => store.revoke(revoking.sessionId, now()),
        () => store.create(never),
        () => limiter.consume('login:bob', oneAttempt, now()),
      ],
      connection,
    );

    // Grace 0: had the first redemption run late, this retry would be a reuse and revoke the session.
    expect(await store.redeem(rotating.sessionId, 0, now(), 0)).toMatchObject({ outcome: 'rotated', counter: 1 });
    expect(await store.isRevoked(revoking.sessionId, now())).toBe(false);
    expect(await store.isRevoked(never.sessionId, now())).toBe(true);
    expect(await store.listForAccount(never.accountId, now())).toEqual([]);
    // The attempt counted during the stall never happened: the one attempt of the window is still there.
    expect(await limiter.consume('login:bob', oneAttempt, now())).toEqual({ allowed: true, remaining: 0 });
    // Each refused script answered DEADLINE; the server logged nothing else for them.
    const client = connection.client as Redis;
    expect(await client.hget(`${connection.keyPrefix}session:{${rotating.sessionId}}`, 'counter')).toBe('1');
  });

  it('holds whatever the skew between this host\'s clock and Redis\'s: measured, not assumed', async () => {
    const realNow = Date.now.bind(Date);
    for (const skewMs of [-5_000, 5_000]) {
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
      const connection = await connect();
      const store = new RedisSessionStore(connection.client, connection.keyPrefix);
      const session = newSession();
      // This clock 5 s behind Redis's: an unmeasured deadline would have passed already and refuse every script.
      await store.create(session);
      // This clock 5 s ahead: an unmeasured deadline would leave 5 s for a late script to run.
      await duringStall([() => store.redeem(session.sessionId, 0, now(), 0)], connection);
      expect(await store.redeem(session.sessionId, 0, now(), 0), `skew ${skewMs} ms`).toMatchObject({ outcome: 'rotated', counter: 1 });
      vi.restoreAllMocks();
    }
  });
});
