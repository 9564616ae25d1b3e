import { randomBytes } from 'node:crypto';
import { locateService, startRedisContainer } from '@authsvc/test-support';
import type { Redis } from 'ioredis';
import { createRedisClient, type RedisConnection, type RedisConnectionOptions } from '../../src/index.js';

/** The Redis every integration suite of this package runs against (REDIS_URL, else Testcontainers, else skipped). */
export const redisService = await locateService({ name: 'Redis', envVar: 'REDIS_URL', startContainer: startRedisContainer });

/** A key prefix no other run or helper shares. */
export function testPrefix(): string {
  return `authsvc-test:${randomBytes(6).toString('hex')}:`;
}

/** A ready connection with short timeouts, as the composition root would build it. */
export async function connectForTest(
  url: string,
  keyPrefix = testPrefix(),
  overrides: Partial<RedisConnectionOptions> = {},
): Promise<RedisConnection> {
  const connection = createRedisClient({ url, keyPrefix, commandTimeoutMs: 1_000, connectTimeoutMs: 1_000, ...overrides });
  await connection.ready(5_000);
  return connection;
}

/** The standalone client of a test connection (tests never build a Cluster). */
export function standalone(connection: RedisConnection): Redis {
  return connection.client as Redis;
}

/** Every key under `prefix`, found with SCAN (never KEYS: the server is shared). */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Deletes what a run wrote, then closes its connection. */
export async function cleanUpAndClose(connection: RedisConnection): Promise<void> {
  const client = standalone(connection);
  const keys = await keysUnder(client, connection.keyPrefix);
  for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
  await connection.close();
}
