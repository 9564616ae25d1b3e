import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { REPO_DIR } from '../proto.codec.ts';

/** The machine's services: env vars as in .ci/run, else the documented local defaults. */
export const SERVICE_URLS = {
  postgres: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
};

/** A database of the bench's own, dropped afterwards. */
export async function createDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: SERVICE_URLS.postgres });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVICE_URLS.postgres);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: SERVICE_URLS.postgres });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Deletes every Redis key under the prefix. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(SERVICE_URLS.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
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

export function kafkaClient(brokers: string): Kafka {
  return new Kafka({ clientId: 'authsvc-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

export async function deleteTopics(brokers: string, topics: string[]): Promise<void> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
