import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { locateService, temporaryDir, waitFor } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { createTestDatabase, deleteRedisKeys, deleteTopics, kafkaClient } from '@authsvc/test-support/resources';
import { serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { baseEnvironment } from '../e2e/support/server-environment.support.js';
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from './otlp-receiver.support.js';

const noContainer = async (): Promise<never> => {
  throw new Error('the tracing suite uses the machine\'s services: set the URL variable');
};
const postgres = await locateService({ name: 'PostgreSQL (tracing)', envVar: 'DATABASE_URL', startContainer: noContainer });
const redis = await locateService({ name: 'Redis (tracing)', envVar: 'REDIS_URL', startContainer: noContainer });
const kafka = await locateService({ name: 'Kafka (tracing)', envVar: 'KAFKA_BROKERS', startContainer: noContainer });
const services = postgres && redis && kafka ? { postgres: postgres.url, redis: redis.url, kafka: kafka.url } : null;

const runId = `trace_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const topics = { USER_CREATED: `${runId}.user.created`, ARTIST_CREATED: `${runId}.artist.created`, USER_UPDATED: `${runId}.user.updated`, ARTIST_UPDATED: `${runId}.artist.updated` };

/** The first value `probe` finds within `timeoutMs`. */
async function found<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  let value: T | undefined;
  await waitFor(() => (value = probe()) !== undefined, timeoutMs, what);
  return value!;
}

const traceIdOf = (traceparent: string): string => traceparent.split('-')[1] ?? '';
const header = (message: KafkaMessage, name: string): string | undefined => message.headers?.[name]?.toString();

/** Reads the topic from its start until the message with this key arrives. */
async function messageWithKey(topic: string, key: string): Promise<KafkaMessage> {
  const consumer = kafkaClient(services!.kafka).consumer({ groupId: `${runId}-reader` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<KafkaMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message with key ${key} on ${topic} within 30 s`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== key) return;
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

describe.skipIf(!services)('tracing (OTEL_* set): a registration\'s trace, from the RPC through PostgreSQL and Redis into its Kafka message', () => {
  const dataDir = temporaryDir('authsvc-tracing-');
  const cleanups: (() => Promise<void>)[] = [];
  let receiver: OtlpReceiver;
  let server: ServerProcess;
  let client: TestClient;
  let webBaseUrl: string;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const database = await createTestDatabase(services!.postgres, runId);
    cleanups.push(database.drop);
    const keysFile = join(dataDir.path, 'signing-keys.json');
    await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
    server = await startServerProcess({
      env: {
        ...baseEnvironment(dataDir.path),
        AUTH_DATABASE_URL: database.url,
        AUTH_DATABASE_MIGRATE: 'true',
        AUTH_JWT_KEYS_FILE: keysFile,
        AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
        AUTH_REDIS_URL: services!.redis,
        AUTH_REDIS_KEY_PREFIX: `${runId}:`,
        AUTH_KAFKA_BROKERS: services!.kafka,
        AUTH_KAFKA_CREATE_TOPICS: 'true',
        AUTH_OUTBOX_POLL_INTERVAL: '200ms',
        ...Object.fromEntries(Object.entries(topics).map(([key, topic]) => [`AUTH_KAFKA_TOPICS_${key}`, topic])),
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        AUTH_WEB_PORT: '0',
      },
    });
    client = new TestClient(server.address, { deadlineMs: 15_000 });
    const webLine = await found(() => server.logLines().find((line) => String(line['msg']).startsWith('Connect and gRPC-Web on')), 30_000, 'the Connect port in the log');
    webBaseUrl = `http://127.0.0.1:${String(webLine['port'])}`;
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await server?.stop('SIGTERM');
    await receiver?.close();
    for (const cleanup of cleanups) await cleanup();
    await deleteRedisKeys(services!.redis, `${runId}:`);
    await deleteTopics(services!.kafka, Object.values(topics));
    dataDir.remove();
  }, 60_000);

  it('the RegisterUser span has PostgreSQL and Redis children, the event\'s send span continues it, and the Kafka message carries its trace id', async () => {
    const user = aUser();
    const registered = await client.call('registerUser', user);
    const accountId = registered.user!.id;

    const rpcSpan = await found(
      () => receiver.spans.find((span) => span.kind === SPAN_KIND.SERVER && span.name === 'grpc.auth.v1.AuthService/RegisterUser'),
      20_000,
      'the RegisterUser server span',
    );
    const inTrace = (predicate: (span: ReceivedSpan) => boolean): boolean => receiver.spans.some((span) => span.traceId === rpcSpan.traceId && predicate(span));
    await waitFor(() => inTrace((span) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql'), 20_000, 'a PostgreSQL span in the trace');
    await waitFor(() => inTrace((span) => span.attributes['db.system'] === 'redis' || span.attributes['db.system.name'] === 'redis'), 20_000, 'a Redis span in the trace');

    const message = await messageWithKey(topics.USER_CREATED, accountId);
    const stored = header(message, 'ce_traceparent');
    const w3c = header(message, 'traceparent');
    expect(stored && traceIdOf(stored)).toBe(rpcSpan.traceId);
    expect(w3c && traceIdOf(w3c)).toBe(rpcSpan.traceId);

    // The send span: a PRODUCER child of the registration's trace, whose id the message's `traceparent` names.
    const send = await found(() => receiver.spans.find((span) => span.kind === SPAN_KIND.PRODUCER && span.attributes['messaging.message.id'] === header(message, 'ce_id')), 20_000, 'the send span of the event');
    expect(send).toMatchObject({ traceId: rpcSpan.traceId, name: `send ${topics.USER_CREATED}` });
    expect(w3c!.split('-')[2]).toBe(send.spanId);

    // The access-log line of the call names the same trace.
    const accessLine = server.logLines().find((line) => line['msg'] === 'rpc' && line['method'] === 'RegisterUser' && line['accountId'] === accountId);
    expect(accessLine).toMatchObject({ trace_id: rpcSpan.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  }, 90_000);

  it('no exported span holds a password or a token', async () => {
    // Counted before the calls: on a slow machine the RefreshToken span can be exported before its call returns here.
    const before = receiver.spans.length;
    const user = aUser();
    await client.call('registerUser', user);
    const login = await client.call('login', { login: user.email, password: user.password });
    const refreshed = await client.call('refreshToken', { refreshToken: login.tokens!.refreshToken });
    await waitFor(() => receiver.spans.slice(before).some((span) => span.name === 'grpc.auth.v1.AuthService/RefreshToken'), 20_000, 'the RefreshToken span');
    const exported = receiver.bodies.join('\n');
    for (const secret of [user.password, login.tokens!.accessToken, login.tokens!.refreshToken, refreshed.tokens!.accessToken, refreshed.tokens!.refreshToken]) {
      expect(exported).not.toContain(secret);
    }
  }, 60_000);

  it('a browser-protocol call (Connect) gets an HTTP server span with its PostgreSQL spans, and its log line names that trace', async () => {
    const user = aUser();
    const response = await fetch(`${webBaseUrl}/auth.v1.AuthService/RegisterUser`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, email: user.email, password: user.password, gender: 'GENDER_FEMALE', country: user.country, age: user.age }),
    });
    expect(response.status).toBe(200);
    const accessLine = await found(() => server.logLines().find((line) => line['component'] === 'connect' && line['method'] === 'RegisterUser'), 20_000, 'the access-log line of the Connect call');
    const traceId = String(accessLine['trace_id']);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(() => receiver.spans.some((span) => span.traceId === traceId && span.kind === SPAN_KIND.SERVER && (span.attributes['http.request.method'] ?? span.attributes['http.method']) === 'POST'), 20_000, 'the HTTP server span of the call');
    await waitFor(() => receiver.spans.some((span) => span.traceId === traceId && (span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql')), 20_000, 'its PostgreSQL spans');
    expect(receiver.bodies.join('\n')).not.toContain(user.password);
  }, 60_000);
});
