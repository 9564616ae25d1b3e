import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateKafka, PrivatePostgres, PrivateRedis, waitFor } from '@authsvc/test-support';
import type { TestClient } from '@authsvc/test-support/grpc';
import type { ServerProcess } from '@authsvc/test-support/server';
import { aUser, clientFor } from './support/clients.support.js';
import { count, RegistrationStream, sleep } from './support/load.support.js';
import { expectNoSecrets } from './support/log-secrecy.support.js';
import { RawClient } from './support/raw-protobuf.support.js';
import { LOG_DIR } from './support/server-logs.support.js';
import { Stack } from './support/stack.support.js';

// Faults are injected only into instances this file starts itself, on free ports of 127.0.0.1.
const enabled = process.env['RELIABILITY_FAULTS'] !== 'off';

describe.skipIf(!enabled)('faults in the services and the server (own PostgreSQL, Redis and Kafka)', () => {
  const redisPassword = `redis-pw-${randomBytes(8).toString('hex')}`;
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;
  let kafka: PrivateKafka;
  let stack: Stack;
  let server: ServerProcess;
  let client: TestClient;
  let raw: RawClient;
  const figures = { requests: 0, byCode: {} as Record<string, number>, accounts: 0, events: 0, lost: 0, duplicates: 0, halfWritten: 0 };

  const connect = (s: ServerProcess): void => {
    client?.close();
    raw?.close();
    client = clientFor(s.address);
    raw = new RawClient(s.address);
  };

  beforeAll(async () => {
    [redis, postgres, kafka] = await Promise.all([PrivateRedis.create({ password: redisPassword }), PrivatePostgres.create(), PrivateKafka.create({ heapOpts: '-Xms128m -Xmx384m' })]);
    await Promise.all([redis.start(), postgres.start(), kafka.start()]);
    stack = new Stack(
      { postgres: postgres.url(), redis: redis.url, redisPassword, kafka: kafka.brokers },
      { AUTH_REDIS_COMMAND_TIMEOUT: '500ms', AUTH_THROTTLE_MAX_FAILURES: '1000' },
    );
    stack.secrets.push(postgres.password, redisPassword);
    await stack.prepare();
    server = await stack.startServer('faults');
    connect(server);
  }, 240_000);

  afterAll(async () => {
    client?.close();
    raw?.close();
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, 'figures-faults.json'), JSON.stringify(figures, null, 2));
    console.info(`fault figures: ${JSON.stringify(figures)}`);
    await stack?.destroy();
    await Promise.all([redis?.kill(), postgres?.destroy(), kafka?.destroy()]);
  }, 120_000);

  it('Redis down: logins and token checks fail fast with UNAVAILABLE, no token accepted, NOT_SERVING; all recovers when it returns', async () => {
    const input = aUser();
    stack.secrets.push(input.password);
    const { user } = await client.call('registerUser', input);
    const tokens = (await client.call('login', { login: input.username, password: input.password })).tokens!;
    stack.secrets.push(tokens.accessToken, tokens.refreshToken);
    expect(await raw.health()).toBe('SERVING');
    await redis.kill();
    const outcomes: Record<string, number> = {};
    let slowest = 0;
    const deadline = Date.now() + 4_000;
    while (Date.now() < deadline) {
      const calls = [
        client.outcome('login', { login: input.username, password: input.password }),
        client.outcome('validateToken', { accessToken: tokens.accessToken }),
        client.outcome('getUser', { id: user!.id }, { token: tokens.accessToken }),
        client.outcome('refreshToken', { refreshToken: tokens.refreshToken }),
      ];
      const began = Date.now();
      for (const outcome of await Promise.all(calls)) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      slowest = Math.max(slowest, Date.now() - began);
    }
    count(outcomes, figures.byCode);
    figures.requests += Object.values(outcomes).reduce((a, b) => a + b, 0);
    // Nothing that needs the session store may succeed without it, and no failure is INTERNAL.
    expect(Object.keys(outcomes)).toEqual(['UNAVAILABLE']);
    expect(slowest).toBeLessThan(3_000);
    await waitFor(async () => (await raw.health()) === 'NOT_SERVING', 10_000, 'health NOT_SERVING');
    await redis.start();
    await waitFor(async () => (await raw.health()) === 'SERVING', 30_000, 'health SERVING again');
    // Recovered by itself: a new login works and its token is accepted.
    await waitFor(async () => (await client.outcome('login', { login: input.username, password: input.password })) === 'OK', 15_000, 'logins again');
    const again = (await client.call('login', { login: input.username, password: input.password })).tokens!;
    stack.secrets.push(again.accessToken, again.refreshToken);
    expect(await client.outcome('getUser', { id: user!.id }, { token: again.accessToken })).toBe('OK');
  });

  it('Kafka killed during a stream of registrations: every registration succeeds', async () => {
    const stream = new RegistrationStream(() => client, 3);
    await sleep(1_000);
    await kafka.kill();
    await sleep(4_000);
    await kafka.start();
    await sleep(1_000);
    await stream.stop();
    stack.secrets.push(...stream.passwords);
    count(stream.outcomes, figures.byCode);
    figures.requests += stream.total;
    expect(stream.outcomes).toEqual({ OK: stream.total });
  }, 240_000);

  it('PostgreSQL restarted during a stream of calls: UNAVAILABLE or OK, nothing half-written, reconnects by itself', async () => {
    const stream = new RegistrationStream(() => client, 4);
    await sleep(1_000);
    await postgres.stop('immediate');
    await sleep(2_000);
    await postgres.start();
    await sleep(1_000);
    await stream.stop();
    stack.secrets.push(...stream.passwords);
    count(stream.outcomes, figures.byCode);
    figures.requests += stream.total;
    expect(Object.keys(stream.outcomes).filter((code) => code !== 'OK' && code !== 'UNAVAILABLE')).toEqual([]);
    expect(stream.outcomes['UNAVAILABLE'] ?? 0).toBeGreaterThan(0);
    await waitFor(async () => (await client.outcome('registerUser', aUser())) === 'OK', 20_000, 'registrations after the restart');
    await waitFor(async () => (await raw.health()) === 'SERVING', 20_000, 'health SERVING after the restart');
    expect(await halfWritten()).toEqual([]);
  }, 120_000);

  it('SIGKILL of the server during registrations: after a restart every committed account has its event', async () => {
    const stream = new RegistrationStream(() => client, 4);
    await sleep(1_500);
    await server.stop('SIGKILL');
    await stream.stop();
    stack.secrets.push(...stream.passwords);
    count(stream.outcomes, figures.byCode);
    figures.requests += stream.total;
    expect(Object.keys(stream.outcomes).filter((code) => code !== 'OK' && code !== 'UNAVAILABLE')).toEqual([]);
    server = await stack.startServer('faults-restarted');
    connect(server);
    expect(await halfWritten()).toEqual([]);
  }, 120_000);

  it('in the end every committed account has its event in Kafka: none lost', async () => {
    // First the relay drains the outbox (rows that failed while Kafka was away wait for their back-off)...
    let pending: { n: string; due: string | null; errors: string | null }[] = [];
    await waitFor(
      async () => {
        pending = await stack.query(`select count(*)::text as n, max(next_attempt_at)::text as due, string_agg(distinct last_error, '; ') as errors from outbox where published_at is null`);
        return pending[0]!.n === '0';
      },
      90_000,
      'an empty outbox backlog',
    ).catch(() => console.info(`outbox not drained: ${JSON.stringify(pending)}`));
    const accounts = await stack.query<{ id: string }>(`select id::text as id from accounts where kind = 'user'`);
    const wanted = new Set(accounts.map((a) => a.id));
    // ... then the topic is read until every account's event is there (or the time is up).
    const messages = await stack.readTopic(stack.topics.USER_CREATED, (read) => {
      const keys = new Set(read.map((m) => m.key));
      return [...wanted].every((id) => keys.has(id));
    }, 60_000);
    const seen = new Map<string, number>();
    for (const message of messages) seen.set(message.eventId || message.value, (seen.get(message.eventId || message.value) ?? 0) + 1);
    const keys = new Set(messages.map((m) => m.key));
    figures.accounts = accounts.length;
    figures.events = messages.length;
    figures.lost = accounts.filter((a) => !keys.has(a.id)).length;
    figures.duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
    console.info(`events: ${accounts.length} accounts, ${messages.length} user.created messages, lost ${figures.lost}, duplicates ${figures.duplicates}, unpublished rows ${pending[0]?.n}`);
    expect(figures.lost).toBe(0);
  }, 180_000);

  it('never writes a password, token, key or connection password to the logs', () => {
    expectNoSecrets(stack.output(), stack.secrets);
  });

  /** Accounts without their created event in the outbox, and created events without their account. */
  async function halfWritten(): Promise<string[]> {
    const rows = await stack.query<{ problem: string }>(`
      select 'account without event ' || a.id as problem from accounts a
        where not exists (select 1 from outbox o where o.key = a.id::text and o.type in ('user.created', 'artist.created'))
      union all
      select 'event without account ' || o.key from outbox o
        where o.type in ('user.created', 'artist.created') and not exists (select 1 from accounts a where a.id::text = o.key)`);
    figures.halfWritten += rows.length;
    return rows.map((r) => r.problem);
  }

});
