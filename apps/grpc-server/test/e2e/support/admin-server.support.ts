import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { locateService, temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { createTestDatabase, deleteRedisKeys, deleteTopics } from '@authsvc/test-support/resources';
import { baseEnvironment, createAdminAccount, type AdminCredentials } from './server-environment.support.js';

const noContainer = async (): Promise<never> => {
  throw new Error('the e2e suite uses the machine\'s services: set the URL variable');
};

/** The machine's PostgreSQL, Redis and Kafka, or null when one is not configured (the suite then skips, loudly). */
export async function fullModeServices(): Promise<{ postgres: string; redis: string; kafka: string } | null> {
  const postgres = await locateService({ name: 'PostgreSQL (e2e accounts)', envVar: 'DATABASE_URL', startContainer: noContainer });
  const redis = await locateService({ name: 'Redis (e2e accounts)', envVar: 'REDIS_URL', startContainer: noContainer });
  const kafka = await locateService({ name: 'Kafka (e2e accounts)', envVar: 'KAFKA_BROKERS', startContainer: noContainer });
  return postgres && redis && kafka ? { postgres: postgres.url, redis: redis.url, kafka: kafka.url } : null;
}

/** One full-mode server process on a database, key prefix and topics of its own, with an admin, a client and SQL access. */
export interface AdminServer {
  server: ServerProcess;
  client: TestClient;
  admin: AdminCredentials;
  /** The server's settings, for running an operator command against the same stores. */
  env: Record<string, string>;
  /** The server's own database, for seeding and for asserting on rows. */
  sql: pg.Pool;
  /** Topic names by event type. */
  topics: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a server as full-mode.e2e.test.ts does; `extraEnv` adds settings (e.g. a short deletion grace period). */
export async function startAdminServer(services: { postgres: string; redis: string; kafka: string }, extraEnv: Record<string, string> = {}): Promise<AdminServer> {
  const runId = `e2e_acc_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const database = await createTestDatabase(services.postgres, runId);
  const dataDir = temporaryDir('authsvc-e2e-accounts-');
  const keysFile = `${dataDir.path}/signing-keys.json`;
  await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
  const topics: Record<string, string> = {
    USER_CREATED: `${runId}.user.created`,
    ARTIST_CREATED: `${runId}.artist.created`,
    USER_UPDATED: `${runId}.user.updated`,
    ARTIST_UPDATED: `${runId}.artist.updated`,
    USER_DELETED: `${runId}.user.deleted`,
    ARTIST_DELETED: `${runId}.artist.deleted`,
    USER_RESTORED: `${runId}.user.restored`,
    ARTIST_RESTORED: `${runId}.artist.restored`,
    USER_ERASED: `${runId}.user.erased`,
    ARTIST_ERASED: `${runId}.artist.erased`,
    SECURITY: `${runId}.auth.security`,
  };
  const env = {
    ...baseEnvironment(dataDir.path),
    AUTH_DATABASE_URL: database.url,
    AUTH_DATABASE_MIGRATE: 'true',
    AUTH_JWT_KEYS_FILE: keysFile,
    AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    AUTH_REDIS_URL: services.redis,
    AUTH_REDIS_KEY_PREFIX: `${runId}:`,
    AUTH_KAFKA_BROKERS: services.kafka,
    AUTH_KAFKA_CREATE_TOPICS: 'true',
    ...Object.fromEntries(Object.entries(topics).map(([key, topic]) => [`AUTH_KAFKA_TOPICS_${key}`, topic])),
    ...extraEnv,
  };
  const admin = await createAdminAccount(env);
  const server = await startServerProcess({ env });
  const client = new TestClient(server.address);
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    server,
    client,
    admin,
    env,
    sql,
    topics,
    async close() {
      client.close();
      await server.stop('SIGKILL');
      await sql.end();
      await database.drop();
      dataDir.remove();
      await deleteRedisKeys(services.redis, `${runId}:`);
      await deleteTopics(services.kafka, Object.values(topics));
    },
  };
}
