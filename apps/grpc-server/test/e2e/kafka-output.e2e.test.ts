import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { APP_DIR, freePort, locateService, temporaryDir, waitFor } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { createTestDatabase, deleteRedisKeys, deleteTopics } from '@authsvc/test-support/resources';
import { runServerCommand, serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { baseEnvironment } from './support/server-environment.support.js';

const noContainer = async (): Promise<never> => {
  throw new Error('the e2e suite uses the machine\'s services: set the URL variable');
};
const postgres = await locateService({ name: 'PostgreSQL (Kafka output)', envVar: 'DATABASE_URL', startContainer: noContainer });
const redis = await locateService({ name: 'Redis (Kafka output)', envVar: 'REDIS_URL', startContainer: noContainer });
const kafka = await locateService({ name: 'Kafka (Kafka output)', envVar: 'KAFKA_BROKERS', startContainer: noContainer });
const services = postgres && redis && kafka ? { postgres: postgres.url, redis: redis.url, kafka: kafka.url } : null;

// As deployed (the Dockerfile's ENTRYPOINT: dist/main.js with node-options.env): the source entry of the other suites
// runs node with --no-warnings, which would hide exactly what this file looks for. `pnpm test` builds dist/ first.
const built = existsSync(join(APP_DIR, 'dist', 'main.js'));

const runId = `kout_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
// Every topic of this run's own (the broker is shared): `kafka consume` reads all configured topics.
const topics = Object.fromEntries(
  ['user.created', 'artist.created', 'user.updated', 'artist.updated', 'user.deleted', 'artist.deleted', 'user.restored', 'artist.restored', 'user.erased', 'artist.erased', 'auth.security'].map((name) => [
    name === 'auth.security' ? 'SECURITY' : name.toUpperCase().replace('.', '_'),
    `${runId}.${name}`,
  ]),
) as Record<string, string> & { USER_CREATED: string };

/** Lines of a process's output that are not JSON objects (a warning, kafkajs's own console lines...). */
const notJson = (output: string): string[] =>
  output.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });

describe.skipIf(!services)('the output of every process that talks to Kafka, run as deployed', () => {
  const dataDir = temporaryDir('authsvc-kafka-output-');
  const cleanups: (() => Promise<void>)[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!built) throw new Error('apps/grpc-server/dist is missing: run `pnpm build` first (`pnpm test` does)');
    const database = await createTestDatabase(services!.postgres, runId);
    cleanups.push(database.drop);
    const keysFile = join(dataDir.path, 'signing-keys.json');
    await serverCommandOutput(['keys', 'generate', '--out', keysFile], { entry: 'dist' });
    env = {
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
    };
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await deleteRedisKeys(services!.redis, `${runId}:`);
    await deleteTopics(services!.kafka, Object.values(topics));
    dataDir.remove();
  }, 60_000);

  const serve = (overrides: Record<string, string> = {}): Promise<ServerProcess> =>
    startServerProcess({ env: { ...env, ...overrides }, entry: 'dist', nodeOptionsFile: true });

  it('serve with Kafka, publishing: stdout and stderr hold JSON lines only, no TimeoutNegativeWarning', async () => {
    const server = await serve();
    const client = new TestClient(server.address, { deadlineMs: 10_000 });
    try {
      await client.call('registerUser', aUser());
      // The relay publishes within its poll interval; kafkajs's request queue runs after the broker's answers.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      client.close();
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    const output = server.output();
    expect(output).not.toContain('TimeoutNegativeWarning');
    expect(notJson(output)).toEqual([]);
    expect(server.logLines().some((line) => line['msg'] === 'stopped')).toBe(true);
  }, 60_000);

  it('serve with its broker down: kafkajs\'s lines in the service\'s shape (component kafka), a few, not one per retry', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const server = await serve({ AUTH_KAFKA_BROKERS: nowhere });
    const client = new TestClient(server.address, { deadlineMs: 10_000 });
    try {
      // Events pile up in the outbox; the relay tries to publish them, kafkajs fails to connect again and again.
      for (let i = 0; i < 3; i += 1) await client.call('registerUser', aUser());
      await waitFor(() => server.logLines().some((line) => line['component'] === 'kafka'), 20_000, 'a kafkajs line in the log');
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    } finally {
      client.close();
      await server.stop('SIGTERM');
    }
    const kafkaLines = server.logLines().filter((line) => line['component'] === 'kafka');
    expect(notJson(server.output())).toEqual([]);
    for (const line of kafkaLines) {
      expect(line).toMatchObject({ service: 'authsvc', level: expect.stringMatching(/^(error|warn)$/), msg: expect.any(String), time: expect.any(String) });
      expect(line).not.toHaveProperty('timestamp');
    }
    // kafkajs's own logger wrote 6 lines a second in such an outage; each kind of line now appears once a minute.
    const kinds = new Set(kafkaLines.map((line) => `${String(line['namespace'])} ${String(line['msg']).replace(/\d+/g, '#')}`));
    expect(kafkaLines.length).toBe(kinds.size);
  }, 90_000);

  it('kafka create-topics and kafka consume: results on stdout, nothing but JSON lines on stderr', async () => {
    const created = await runServerCommand(['kafka', 'create-topics'], { env, entry: 'dist' });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/exists\s+|created /);
    const consumed = await runServerCommand(['kafka', 'consume', '--from-beginning', '-n', '1'], { env, entry: 'dist', timeoutMs: 60_000 });
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toContain(topics.USER_CREATED);
    for (const result of [created, consumed]) {
      expect(result.stderr).not.toContain('TimeoutNegativeWarning');
      expect(notJson(result.stderr)).toEqual([]);
    }
  }, 120_000);
});
