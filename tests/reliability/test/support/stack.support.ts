import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { locateService, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase, deleteRedisKeys, deleteTopics, kafkaClient, type TestDatabase } from '@authsvc/test-support/resources';
import { serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { newLogFile } from './server-logs.support.js';

export interface Services {
  /** Server URL of PostgreSQL (any database); the stack creates its own database on it. */
  postgres: string;
  redis: string;
  redisPassword?: string;
  kafka: string;
}

const noContainer = async (): Promise<never> => {
  throw new Error('the reliability suite uses the machine\'s services: set the URL variable');
};

/** The machine's shared services from DATABASE_URL, REDIS_URL, KAFKA_BROKERS (null, with a skip line, when unset). */
export async function sharedServices(): Promise<Services | null> {
  const postgres = await locateService({ name: 'PostgreSQL (reliability)', envVar: 'DATABASE_URL', startContainer: noContainer });
  const redis = await locateService({ name: 'Redis (reliability)', envVar: 'REDIS_URL', startContainer: noContainer });
  const kafka = await locateService({ name: 'Kafka (reliability)', envVar: 'KAFKA_BROKERS', startContainer: noContainer });
  return postgres && redis && kafka ? { postgres: postgres.url, redis: redis.url, kafka: kafka.url } : null;
}

export const TOPIC_KEYS = ['USER_CREATED', 'ARTIST_CREATED', 'USER_UPDATED', 'ARTIST_UPDATED'] as const;

/**
 * One deployment: its own database, Redis key prefix and Kafka topics, shared signing keys and refresh secret, and
 * any number of server processes on it. Every secret it makes is in `secrets` (checked against the logs).
 */
export class Stack {
  readonly runId = `rel_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  readonly secrets: string[] = [];
  readonly servers: ServerProcess[] = [];
  readonly topics: Record<(typeof TOPIC_KEYS)[number], string>;
  private readonly dataDir = temporaryDir('authsvc-rel-');
  private env: Record<string, string> = {};
  private database: TestDatabase | undefined;
  databaseUrl = '';
  keysFile = '';

  constructor(readonly services: Services, private readonly extraEnv: Record<string, string> = {}) {
    this.topics = Object.fromEntries(TOPIC_KEYS.map((key) => [key, `${this.runId}.${key.toLowerCase().replace('_', '.')}`])) as Stack['topics'];
  }

  get keyPrefix(): string {
    return `${this.runId}:`;
  }

  async prepare(): Promise<void> {
    this.database = await createTestDatabase(this.services.postgres, this.runId);
    this.databaseUrl = this.database.url;
    const url = new URL(this.databaseUrl);
    const keysFile = `${this.dataDir.path}/signing-keys.json`;
    this.keysFile = keysFile;
    await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
    const refreshSecret = randomBytes(32).toString('base64url');
    this.secrets.push(refreshSecret, ...privateKeyMaterial(keysFile));
    if (url.password) this.secrets.push(decodeURIComponent(url.password));
    if (this.services.redisPassword) this.secrets.push(this.services.redisPassword);
    this.env = {
      AUTH_DATA_DIR: this.dataDir.path,
      AUTH_GRPC_HOST: '127.0.0.1',
      AUTH_GRPC_PORT: '0',
      AUTH_LOG_LEVEL: 'info',
      AUTH_PASSWORD_BCRYPT_COST: '4',
      AUTH_PASSWORD_HASH_THREADS: '1',
      AUTH_GRPC_SHUTDOWN_TIMEOUT: '3s',
      // The role policy (default ADMIN) off: the races sign admins in with a password.
      AUTH_MFA_REQUIRED_FOR_ROLES: 'none',
      AUTH_DATABASE_URL: this.databaseUrl,
      AUTH_DATABASE_MIGRATE: 'true',
      AUTH_JWT_KEYS_FILE: keysFile,
      AUTH_SESSION_REFRESH_TOKEN_SECRET: refreshSecret,
      AUTH_REDIS_URL: this.services.redis,
      AUTH_REDIS_KEY_PREFIX: this.keyPrefix,
      AUTH_KAFKA_BROKERS: this.services.kafka,
      AUTH_KAFKA_CREATE_TOPICS: 'true',
      AUTH_OUTBOX_POLL_INTERVAL: '200ms',
      // Every client of the suite is 127.0.0.1: the per-address limits would count a whole file as one client.
      // Suites that test those limits set them again (extraEnv and overrides come later).
      AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS: '1000000',
      AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS: '1000000',
      ...(this.services.redisPassword ? { AUTH_REDIS_PASSWORD: this.services.redisPassword } : {}),
      ...Object.fromEntries(TOPIC_KEYS.map((key) => [`AUTH_KAFKA_TOPICS_${key}`, this.topics[key]])),
      ...this.extraEnv,
    };
  }

  async startServer(name: string, overrides: Record<string, string> = {}): Promise<ServerProcess> {
    const server = await startServerProcess({ env: { ...this.env, ...overrides }, logFile: newLogFile(name) });
    this.servers.push(server);
    return server;
  }

  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Every message value on `topic` from the beginning, read until `expected` are there or `timeoutMs` passes. */
  async readTopic(topic: string, expected: number | ((messages: TopicMessage[]) => boolean), timeoutMs = 30_000): Promise<TopicMessage[]> {
    return readTopic(this.services.kafka, topic, expected, timeoutMs);
  }

  /** Everything the server processes wrote, for the log-secrecy check. */
  output(): string {
    return this.servers.map((server) => server.output()).join('\n');
  }

  async destroy(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop('SIGKILL')));
    // Best effort: a service a fault test stopped for good must not keep the rest from being cleaned up.
    await this.database?.drop().catch(() => undefined);
    await deleteRedisKeys(this.services.redis, this.keyPrefix, { ...(this.services.redisPassword ? { password: this.services.redisPassword } : {}) }).catch(() => undefined);
    await deleteTopics(this.services.kafka, Object.values(this.topics)).catch(() => undefined);
    this.dataDir.remove();
  }
}

export interface TopicMessage {
  key: string;
  /** The event id (CloudEvents ce_id header): the same id twice is a duplicate. */
  eventId: string;
  value: string;
  /** The idempotent producer that wrote it (kafkajs exposes the record batch's producerId): one per relay. */
  producerId: string;
}

/**
 * Reads until `expected` messages (or `expected(messages)` is true), then 1.5 s more to catch late duplicates. A
 * consumer that crashes (a coordinator not ready yet after a broker restart) is replaced by a new one in a new group,
 * which reads from the beginning again.
 */
export async function readTopic(brokers: string, topic: string, expected: number | ((messages: TopicMessage[]) => boolean), timeoutMs: number): Promise<TopicMessage[]> {
  const done = typeof expected === 'number' ? (messages: TopicMessage[]) => messages.length >= expected : expected;
  const deadline = Date.now() + timeoutMs;
  let values: TopicMessage[] = [];
  while (Date.now() < deadline) {
    values = [];
    const consumer = kafkaClient(brokers, 'authsvc-reliability').consumer({ groupId: `rel-reader-${randomBytes(6).toString('hex')}`, retry: { retries: 10 } });
    let crashed = false;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        let finishing = false;
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        consumer.on(consumer.events.CRASH, () => {
          crashed = true;
          clearTimeout(timer);
          resolve();
        });
        void consumer.run({
          eachMessage: async ({ message }) => {
            values.push({
              key: message.key?.toString('utf8') ?? '',
              eventId: message.headers?.['ce_id']?.toString() ?? '',
              value: message.value?.toString('utf8') ?? '',
              producerId: String((message as { batchContext?: { producerId?: string } }).batchContext?.producerId ?? ''),
            });
            if (!finishing && done(values)) {
              finishing = true;
              clearTimeout(timer);
              setTimeout(resolve, 1_500);
            }
          },
        });
      });
    } catch {
      crashed = true;
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    if (!crashed) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return values;
}

/** The private parts of every key in a key-set file (JWK "d", PEM bodies): none may appear in a log. */function privateKeyMaterial(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/"d"\s*:\s*"([^"]{16,})"/g)].map((m) => m[1]!);
  for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----\\?n?([A-Za-z0-9+/=]{40})/g)) found.push(m[1]!);
  return found;
}
