import { Redis } from 'ioredis';

/** Deletes every key under `prefix` (found with SCAN, never KEYS: the server is shared); resolves with how many. */
export async function deleteRedisKeys(redisUrl: string, prefix: string, options: { password?: string } = {}): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, ...(options.password === undefined ? {} : { password: options.password }) });
  let deleted = 0;
  try {
    await redis.connect();
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
