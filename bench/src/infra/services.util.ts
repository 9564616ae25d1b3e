import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase, deleteRedisKeys as deleteKeysUnder, type TestDatabase } from '@authsvc/test-support/resources';
import { REPO_DIR } from '../proto.codec.ts';

/** The machine's services: env vars as in .ci/run, else the documented local defaults. */
export const SERVICE_URLS = {
  postgres: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
};

/** A database of the bench's own, dropped afterwards. */
export function createDatabase(name: string): Promise<TestDatabase> {
  return createTestDatabase(SERVICE_URLS.postgres, name);
}

/** Deletes every Redis key under the prefix. */
export function deleteRedisKeys(prefix: string): Promise<number> {
  return deleteKeysUnder(SERVICE_URLS.redis, prefix);
}

/** Kafka: KAFKA_BROKERS when set (CI starts the broker), else the repository's broker script. */
export async function locateKafka(): Promise<{ brokers: string; stop(): Promise<void> }> {
  const given = process.env['KAFKA_BROKERS'];
  if (given) return { brokers: given, stop: async () => {} };
  const script = `${REPO_DIR}scripts/kafka/broker.sh`;
  const run = promisify(execFile);
  const wasRunning = await run('bash', [script, 'status']).then(() => true, () => false);
  const { stdout } = await run('bash', [script, 'start'], { timeout: 180_000 });
  const brokers = stdout.trim().split('\n').pop()!.trim();
  // A broker somebody else started stays up; one the bench started is stopped at the end.
  return { brokers, stop: async () => (wasRunning ? undefined : void (await run('bash', [script, 'stop']))) };
}
