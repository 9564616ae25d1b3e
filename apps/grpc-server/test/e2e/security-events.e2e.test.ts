// Security events end to end on a Kafka broker of this suite's own (scripts/kafka/broker.sh on free ports), which it
// stops and starts again: the run's shared broker keeps serving the other suites.
import { randomBytes } from 'node:crypto';
import { eventually, freePort, locateService, PrivateKafka, temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { createTestDatabase, deleteRedisKeys } from '@authsvc/test-support/resources';
import type { SecurityEvent } from '@authsvc/proto/auth/v1/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { collectEvents } from './support/full-mode-resources.support.js';
import { baseEnvironment, createAdminAccount, type AdminCredentials } from './support/server-environment.support.js';

const noContainer = async (): Promise<never> => {
  throw new Error('the e2e suite uses the machine\'s services: set the URL variable');
};
const postgres = await locateService({ name: 'PostgreSQL (security events e2e)', envVar: 'DATABASE_URL', startContainer: noContainer });
const redis = await locateService({ name: 'Redis (security events e2e)', envVar: 'REDIS_URL', startContainer: noContainer });
// The shared broker is only located, never used: where the suites have Kafka, this one starts its own.
const kafka = await locateService({ name: 'Kafka (security events e2e)', envVar: 'KAFKA_BROKERS', startContainer: noContainer });

const runId = `sec_e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const SECURITY_TOPIC = `${runId}.auth.security`;
const OUTAGE_FAILURES = 60;
const UNKNOWN_NAME_FAILURES = 10;
const PAGED_EVENTS = 1_000;

type EventOnTopic = { id: string; type: string; account_id: string | null; reason: string | null };

describe.skipIf(!postgres || !redis || !kafka)('security events end to end (own Kafka broker, PostgreSQL, Redis)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let broker: PrivateKafka;
  let server: ServerProcess;
  let admin: AdminCredentials;
  let client: TestClient;
  let metricsUrl: string;

  beforeAll(async () => {
    broker = await PrivateKafka.create({ heapOpts: '-Xms128m -Xmx384m' });
    cleanups.push(() => broker.destroy());
    await broker.start();
    const database = await createTestDatabase(postgres!.url, runId);
    const dataDir = temporaryDir('authsvc-security-e2e-');
    cleanups.push(database.drop, async () => dataDir.remove());
    const keysFile = `${dataDir.path}/signing-keys.json`;
    await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
    const httpPort = await freePort();
    metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
    const env = {
      ...baseEnvironment(dataDir.path),
      AUTH_HTTP_PORT: String(httpPort),
      AUTH_DATABASE_URL: database.url,
      AUTH_DATABASE_MIGRATE: 'true',
      AUTH_JWT_KEYS_FILE: keysFile,
      AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      AUTH_REDIS_URL: redis!.url,
      AUTH_REDIS_KEY_PREFIX: `${runId}:`,
      AUTH_KAFKA_BROKERS: broker.brokers,
      AUTH_KAFKA_CREATE_TOPICS: 'true',
      AUTH_KAFKA_TOPICS_SECURITY: SECURITY_TOPIC,
      AUTH_OUTBOX_POLL_INTERVAL: '200ms',
      // Storms of failed logins on one name: no limit refuses one here (below the limit's maximum; the limits have their own tests).
      AUTH_THROTTLE_MAX_FAILURES: '1000',
      AUTH_THROTTLE_MAX_FAILURES_PER_LOGIN: '1000',
    };
    admin = await createAdminAccount(env);
    server = await startServerProcess({ env });
    client = new TestClient(server.address);
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await server?.stop('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (redis) await deleteRedisKeys(redis.url, `${runId}:`);
  }, 120_000);

  async function adminToken(): Promise<string> {
    return (await client.call('login', { login: admin.login, password: admin.password })).tokens!.accessToken;
  }

  /** Every event of the account's audit trail through ListSecurityEvents, page by page. */
  async function listAll(id: string, token: string, pageSize: number, types: string[] = []): Promise<SecurityEvent[][]> {
    const pages: SecurityEvent[][] = [];
    let pageToken = '';
    do {
      const page = await client.call('listSecurityEvents', { id, types, pageSize, pageToken }, { token });
      pages.push(page.events);
      pageToken = page.nextPageToken;
    } while (pageToken !== '' && pages.length <= PAGED_EVENTS);
    return pages;
  }

  async function outboxGauge(name: string): Promise<number> {
    const text = await (await fetch(metricsUrl)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
  }

  it('Kafka down during failed logins: every call is answered, the audit trail has them, and once Kafka is back every event reaches the topic exactly once', async () => {
    const input = aUser();
    const { user } = await client.call('registerUser', input);
    const id = user!.id;
    const token = await adminToken();
    // The relay publishes while the broker is up.
    await client.failure('login', { login: input.username, password: 'before the outage' });
    await collectEvents(broker.brokers, SECURITY_TOPIC, (m) => m.key === id, (c) => c.length > 0);

    await broker.stop();
    const unknownName = `ghost_${runId}`;
    for (let i = 0; i < OUTAGE_FAILURES; i += 1) {
      expect(await client.outcome('login', { login: input.username, password: `wrong password ${i}` })).toBe('UNAUTHENTICATED');
    }
    for (let i = 0; i < UNKNOWN_NAME_FAILURES; i += 1) {
      expect(await client.outcome('login', { login: unknownName, password: `guess number ${i}` })).toBe('UNAUTHENTICATED');
    }
    // Written to PostgreSQL (audit row and outbox row in one unit of work) while Kafka is away.
    let failed: SecurityEvent[] = [];
    await eventually(async () => {
      failed = (await listAll(id, token, 100, ['auth.login.failed'])).flat();
      return failed.length === OUTAGE_FAILURES + 1;
    }, 30_000, 100);
    expect(failed).toHaveLength(OUTAGE_FAILURES + 1);
    // The relay tried and failed: the events wait in the outbox.
    expect(await eventually(async () => (await outboxGauge('authsvc_outbox_failing')) > 0, 60_000, 200)).toBe(true);
    expect(await outboxGauge('authsvc_outbox_backlog')).toBeGreaterThanOrEqual(OUTAGE_FAILURES + UNKNOWN_NAME_FAILURES);

    await broker.start();
    const expected = new Set(failed.map((e) => e.id));
    const eventOf = (value: Record<string, unknown>) => value['event'] as EventOnTopic;
    const onTopic = await collectEvents(
      broker.brokers,
      SECURITY_TOPIC,
      (m) => m.key === id || m.key.startsWith('login:'),
      (collected) => {
        const ids = new Set(collected.map((m) => eventOf(m.value).id));
        return [...expected].every((e) => ids.has(e)) && collected.filter((m) => m.key.startsWith('login:')).length >= UNKNOWN_NAME_FAILURES;
      },
      180_000,
      3_000, // room for a late duplicate
    );
    const perId = new Map<string, number>();
    for (const message of onTopic) perId.set(eventOf(message.value).id, (perId.get(eventOf(message.value).id) ?? 0) + 1);
    expect([...perId.entries()].filter(([, count]) => count !== 1), 'events delivered more than once').toEqual([]);
    for (const eventId of expected) expect(perId.get(eventId), eventId).toBe(1);
    const unknown = onTopic.filter((m) => m.key.startsWith('login:')).map((m) => eventOf(m.value));
    expect(unknown).toHaveLength(UNKNOWN_NAME_FAILURES);
    expect(new Set(onTopic.filter((m) => m.key.startsWith('login:')).map((m) => m.key)).size).toBe(1);
    for (const event of unknown) expect(event).toMatchObject({ type: 'auth.login.failed', account_id: null, reason: 'bad_credentials' });
    // Per account, the topic keeps the order the calls had.
    const mine = onTopic.filter((m) => m.key === id).map((m) => eventOf(m.value).id);
    expect(mine).toEqual([...failed].reverse().map((e) => e.id));
    expect(JSON.stringify(onTopic)).not.toContain(unknownName);
    expect(await eventually(async () => (await outboxGauge('authsvc_outbox_backlog')) === 0, 60_000, 200)).toBe(true);
  }, 400_000);

  it(`pages ${PAGED_EVENTS} security events of one account through ListSecurityEvents (page_size 100): each exactly once, newest first`, async () => {
    const input = aUser();
    const { user } = await client.call('registerUser', input);
    const id = user!.id;
    const token = await adminToken();
    // Real logins, one after another, each event newer than the one before: failures, then the login that succeeds.
    for (let i = 0; i < PAGED_EVENTS - 1; i += 1) await client.failure('login', { login: input.username, password: `wrong password ${i}` });
    const own = (await client.call('login', { login: input.username, password: input.password })).tokens!.accessToken;
    let pages: SecurityEvent[][] = [];
    await eventually(async () => {
      pages = await listAll(id, token, 100);
      return pages.flat().length >= PAGED_EVENTS;
    }, 60_000, 200);
    expect(pages).toHaveLength(PAGED_EVENTS / 100);
    for (const page of pages) expect(page).toHaveLength(100);
    const events = pages.flat();
    expect(new Set(events.map((e) => e.id)).size).toBe(PAGED_EVENTS);
    expect(events[0]).toMatchObject({ type: 'auth.login.succeeded' });
    for (const event of events.slice(1)) expect(event).toMatchObject({ type: 'auth.login.failed', reason: 'bad_credentials' });
    // Newest first: (occurred_at, id) strictly decreasing across every page boundary (ids are UUID v7, increasing).
    for (let i = 1; i < events.length; i += 1) {
      const [newer, older] = [events[i - 1]!, events[i]!];
      const order = newer.occurredAt!.getTime() - older.occurredAt!.getTime() || (newer.id > older.id ? 1 : -1);
      expect(order, `event ${i}`).toBeGreaterThan(0);
    }
    // The account reading its own trail gets the same sequence; a type filter pages the failures alone.
    expect((await listAll(id, own, 100)).flat().map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect((await listAll(id, own, 100, ['auth.login.failed'])).flat().map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
  }, 300_000);
});
