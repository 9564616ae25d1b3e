import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateService, PrivatePostgres, PrivateRedis, waitFor } from '@authsvc/test-support';
import type { TestClient } from '@authsvc/test-support/grpc';
import type { ServerProcess } from '@authsvc/test-support/server';
import type { LoginResponse } from '@authsvc/proto/auth/v1/auth';
import { aUser, clientFor } from './support/clients.support.js';
import { count, sleep } from './support/load.support.js';
import { expectNoSecrets } from './support/log-secrecy.support.js';
import { RawClient } from './support/raw-protobuf.support.js';
import { LOG_DIR } from './support/server-logs.support.js';
import { Stack } from './support/stack.support.js';

// Outages are produced for real on a PostgreSQL cluster and redis-servers this file starts itself (free ports of
// 127.0.0.1); only Kafka is the run's shared broker, which nothing here disturbs.
const enabled = process.env['RELIABILITY_FAULTS'] !== 'off';
const kafka = enabled ? await locateService({ name: 'Kafka (reliability outages)', envVar: 'KAFKA_BROKERS', startContainer: async () => {
  throw new Error('the reliability suite uses the machine\'s services: set KAFKA_BROKERS');
} }) : null;

/** The pause of the probe: longer than the default 10 s refresh grace window. */
const REDIS_PAUSE_MS = 12_000;
/**
 * The server's refresh grace window here: a refresh retried later than this after a first attempt that consumed the
 * token would be a reuse (REFRESH_TOKEN_REUSED, the session revoked), so a retry that works past it proves the first
 * attempt consumed nothing. Short, so the database cases need not wait 10 s to prove it.
 */
const REFRESH_GRACE_MS = 2_000;

describe.skipIf(!enabled || !kafka)('outages: every one answers UNAVAILABLE, and a call that answered UNAVAILABLE had no effect', () => {
  const redisPassword = `redis-pw-${randomBytes(8).toString('hex')}`;
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;
  let stack: Stack;
  let server: ServerProcess;
  let client: TestClient;
  let raw: RawClient;
  const figures: Record<string, Record<string, number>> = {};

  /** Every outcome of `calls`, counted under `scenario` in the figures. */
  const outcomes = async (scenario: string, calls: Promise<string>[]): Promise<Record<string, number>> => {
    const seen: Record<string, number> = {};
    for (const outcome of await Promise.all(calls)) seen[outcome] = (seen[outcome] ?? 0) + 1;
    count(seen, (figures[scenario] ??= {}));
    return seen;
  };

  /** The health status right after the first call of `scenario` that answered UNAVAILABLE (must be NOT_SERVING). */
  const healthAfterFirstOutage = async (scenario: string, call: () => Promise<string>): Promise<string> => {
    const first = await call();
    count({ [first]: 1 }, (figures[scenario] ??= {}));
    expect(first).toBe('UNAVAILABLE');
    return raw.health();
  };

  const signUp = async (): Promise<{ id: string; login: string; password: string; tokens: NonNullable<LoginResponse['tokens']> }> => {
    const input = aUser();
    stack.secrets.push(input.password);
    const { user } = await client.call('registerUser', input);
    const tokens = (await client.call('login', { login: input.username, password: input.password })).tokens!;
    stack.secrets.push(tokens.accessToken, tokens.refreshToken);
    return { id: user!.id, login: input.username, password: input.password, tokens };
  };

  /** Statements on the private cluster's maintenance database, as its superuser. */
  const asAdmin = async (...statements: string[]): Promise<void> => {
    const admin = new pg.Client({ connectionString: postgres.url('postgres') });
    await admin.connect();
    try {
      for (const statement of statements) await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  const databaseName = (): string => new URL(stack.databaseUrl).pathname.slice(1);

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([PrivateRedis.create({ password: redisPassword }), PrivatePostgres.create()]);
    await Promise.all([redis.start(), postgres.start()]);
    stack = new Stack({ postgres: postgres.url(), redis: redis.url, redisPassword, kafka: kafka!.url }, {
      AUTH_THROTTLE_MAX_FAILURES: '1000',
      AUTH_SESSION_REFRESH_GRACE: `${REFRESH_GRACE_MS}ms`,
    });
    stack.secrets.push(postgres.password, redisPassword);
    await stack.prepare();
    server = await stack.startServer('outages');
    client = clientFor(server.address);
    raw = new RawClient(server.address);
    expect(await raw.health()).toBe('SERVING');
  }, 240_000);

  afterAll(async () => {
    client?.close();
    raw?.close();
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, 'figures-outages.json'), JSON.stringify(figures, null, 2));
    console.info(`outage figures: ${JSON.stringify(figures)}`);
    redis?.freeze(false);
    await stack?.destroy();
    await Promise.all([redis?.kill(), postgres?.destroy()]);
  }, 120_000);

  it(`Redis paused ${REDIS_PAUSE_MS / 1_000} s: RefreshToken and Logout answer UNAVAILABLE and never happen later; retried after the pause, the same refresh token rotates and the session lives`, async () => {
    const refreshing = await signUp();
    const leaving = await signUp();
    redis.freeze(true);
    const pausedAt = Date.now();
    try {
      expect(await healthAfterFirstOutage('redis paused', () => client.outcome('refreshToken', { refreshToken: refreshing.tokens.refreshToken }))).toBe('NOT_SERVING');
      const during = await outcomes('redis paused', [
        client.outcome('logout', { refreshToken: leaving.tokens.refreshToken }),
        client.outcome('validateToken', { accessToken: refreshing.tokens.accessToken }),
        client.outcome('getUser', { id: refreshing.id }, { token: refreshing.tokens.accessToken }),
        client.outcome('login', { login: refreshing.login, password: refreshing.password }),
      ]);
      expect(during).toEqual({ UNAVAILABLE: 4 });
      await sleep(REDIS_PAUSE_MS - (Date.now() - pausedAt));
    } finally {
      redis.freeze(false);
    }
    await waitFor(async () => (await raw.health()) === 'SERVING', 10_000, 'health SERVING once Redis resumes');

    // The probe: 12 s later, past the grace window, the same token. A redemption that had run late would make
    // this a reuse and revoke the session.
    const rotated = await client.call('refreshToken', { refreshToken: refreshing.tokens.refreshToken });
    stack.secrets.push(rotated.tokens!.accessToken, rotated.tokens!.refreshToken);
    expect(await client.outcome('getUser', { id: refreshing.id }, { token: rotated.tokens!.accessToken })).toBe('OK');
    expect(await client.outcome('refreshToken', { refreshToken: rotated.tokens!.refreshToken })).toBe('OK');
    // The logout that answered UNAVAILABLE did not happen either: the session works until the retry ends it.
    expect(await client.outcome('getUser', { id: leaving.id }, { token: leaving.tokens.accessToken })).toBe('OK');
    expect(await client.outcome('logout', { refreshToken: leaving.tokens.refreshToken })).toBe('OK');
    expect(await client.outcome('getUser', { id: leaving.id }, { token: leaving.tokens.accessToken })).toBe('UNAUTHENTICATED');
  }, 60_000);

  it('Redis restarted empty: UNAVAILABLE while it is away, then the sessions it forgot are refused (UNAUTHENTICATED) and new ones work', async () => {
    const before = await signUp();
    await redis.kill();
    expect(await healthAfterFirstOutage('redis restarted empty', () => client.outcome('validateToken', { accessToken: before.tokens.accessToken }))).toBe('NOT_SERVING');
    expect(await outcomes('redis restarted empty', [
      client.outcome('login', { login: before.login, password: before.password }),
      client.outcome('refreshToken', { refreshToken: before.tokens.refreshToken }),
    ])).toEqual({ UNAVAILABLE: 2 });
    await redis.start();
    await waitFor(async () => (await raw.health()) === 'SERVING', 15_000, 'health SERVING once Redis is back');
    const after = await outcomes('redis restarted empty', [
      client.outcome('validateToken', { accessToken: before.tokens.accessToken }),
      client.outcome('refreshToken', { refreshToken: before.tokens.refreshToken }),
    ]);
    expect(after).toEqual({ UNAUTHENTICATED: 2 });
    const again = (await client.call('login', { login: before.login, password: before.password })).tokens!;
    stack.secrets.push(again.accessToken, again.refreshToken);
    expect(await client.outcome('getUser', { id: before.id }, { token: again.accessToken })).toBe('OK');
  }, 60_000);

  it('Redis made a read-only replica (REPLICAOF): writes answer UNAVAILABLE, health stays NOT_SERVING until it is a master again', async () => {
    const user = await signUp();
    const master = await PrivateRedis.create();
    await master.start();
    try {
      await redis.run('REPLICAOF', '127.0.0.1', String(master.port));
      expect(await healthAfterFirstOutage('redis read-only replica', () => client.outcome('login', { login: user.login, password: user.password }))).toBe('NOT_SERVING');
      const during = await outcomes('redis read-only replica', [
        client.outcome('login', { login: user.login, password: user.password }),
        client.outcome('refreshToken', { refreshToken: user.tokens.refreshToken }),
        // A read: answered from the replica's copy, which its master (empty) replaced: the session is unknown.
        client.outcome('validateToken', { accessToken: user.tokens.accessToken }),
      ]);
      expect(Object.keys(during).filter((code) => code !== 'UNAVAILABLE' && code !== 'UNAUTHENTICATED')).toEqual([]);
      expect(during['UNAVAILABLE']).toBeGreaterThanOrEqual(1);
      // Probes write: a store that answers reads but refuses writes does not flap back to SERVING.
      await sleep(2_500);
      expect(await raw.health()).toBe('NOT_SERVING');
      await redis.run('REPLICAOF', 'NO', 'ONE');
      await waitFor(async () => (await raw.health()) === 'SERVING', 10_000, 'health SERVING once it is a master again');
      await waitFor(async () => (await client.outcome('login', { login: user.login, password: user.password })) === 'OK', 10_000, 'logins again');
    } finally {
      await master.kill();
    }
  }, 60_000);

  it('the database refusing connections (ALLOW_CONNECTIONS false, sessions terminated): UNAVAILABLE, never INTERNAL; NOT_SERVING at the first failure, SERVING when it takes connections again', async () => {
    const user = await signUp();
    await asAdmin(
      `alter database "${databaseName()}" with allow_connections false`,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${databaseName()}' and pid <> pg_backend_pid()`,
    );
    try {
      expect(await healthAfterFirstOutage('database refusing connections', () => client.outcome('registerUser', aUser()))).toBe('NOT_SERVING');
      const during = await outcomes('database refusing connections', Array.from({ length: 4 }, () => [
        client.outcome('registerUser', aUser()),
        client.outcome('login', { login: user.login, password: user.password }),
        client.outcome('getUser', { id: user.id }, { token: user.tokens.accessToken }),
        client.outcome('refreshToken', { refreshToken: user.tokens.refreshToken }),
      ]).flat());
      expect(during).toEqual({ UNAVAILABLE: 16 });
    } finally {
      await asAdmin(`alter database "${databaseName()}" with allow_connections true`);
    }
    await waitFor(async () => (await raw.health()) === 'SERVING', 5_000, 'health SERVING once connections are allowed');
    expect(await client.outcome('registerUser', aUser())).toBe('OK');
    // The refreshes that answered UNAVAILABLE consumed nothing: past the grace window, the same token still rotates.
    await sleep(REFRESH_GRACE_MS + 500);
    expect(await client.outcome('refreshToken', { refreshToken: user.tokens.refreshToken })).toBe('OK');
  }, 60_000);

  it('the PostgreSQL server stopped: UNAVAILABLE, NOT_SERVING; started again: SERVING and working calls without a server restart', async () => {
    const user = await signUp();
    await postgres.stop('fast');
    try {
      expect(await healthAfterFirstOutage('postgresql stopped', () => client.outcome('getUser', { id: user.id }, { token: user.tokens.accessToken }))).toBe('NOT_SERVING');
      expect(await outcomes('postgresql stopped', [
        client.outcome('registerUser', aUser()),
        client.outcome('login', { login: user.login, password: user.password }),
        client.outcome('refreshToken', { refreshToken: user.tokens.refreshToken }),
      ])).toEqual({ UNAVAILABLE: 3 });
    } finally {
      await postgres.start();
    }
    await waitFor(async () => (await raw.health()) === 'SERVING', 10_000, 'health SERVING once PostgreSQL is back');
    expect(await client.outcome('getUser', { id: user.id }, { token: user.tokens.accessToken })).toBe('OK');
    await sleep(REFRESH_GRACE_MS + 500);
    expect(await client.outcome('refreshToken', { refreshToken: user.tokens.refreshToken })).toBe('OK');
  }, 90_000);

  it('the database dropped under the server: UNAVAILABLE, never INTERNAL, and NOT_SERVING', async () => {
    const user = await signUp();
    await asAdmin(`drop database "${databaseName()}" with (force)`);
    expect(await healthAfterFirstOutage('database dropped', () => client.outcome('registerUser', aUser()))).toBe('NOT_SERVING');
    expect(await outcomes('database dropped', [
      client.outcome('registerUser', aUser()),
      client.outcome('login', { login: user.login, password: user.password }),
      client.outcome('getUser', { id: user.id }, { token: user.tokens.accessToken }),
    ])).toEqual({ UNAVAILABLE: 3 });
    await sleep(2_500);
    expect(await raw.health()).toBe('NOT_SERVING');
  }, 60_000);

  it('never writes a password, token, key or connection password to the logs; logs JSON lines only, and no failed call as INTERNAL', () => {
    expectNoSecrets(stack.output(), stack.secrets);
    const nonJson = server.output().split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
    expect(nonJson).toEqual([]);
    const internal = server.logLines().filter((line) => line['msg'] === 'rpc failed' || line['code'] === 'INTERNAL');
    expect(internal).toEqual([]);
  });
});
