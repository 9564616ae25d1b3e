import { sessionStoreContract } from '@authsvc/core-testing';
import { describe } from 'vitest';
import { RedisLivenessCache, RedisSessionStore, type RedisConnection } from '../src/index.js';
import { cleanUpAndClose, connectForTest, redisService, standalone } from './support/redis-test-env.support.js';

// The same contract with revocation checks answered from the Redis-invalidated cache (docs/decisions/0013).
describe.skipIf(!redisService)('RedisSessionStore with the liveness cache against a real Redis', () => {
  let connection: RedisConnection | undefined;
  let cache: RedisLivenessCache | undefined;
  sessionStoreContract('RedisSessionStore (liveness cache)', {
    create: async () => {
      connection ??= await connectForTest(redisService!.url);
      cache ??= new RedisLivenessCache(standalone(connection));
      if (!(await cache.untilLive(5_000))) throw new Error('the liveness cache did not go live');
      return new RedisSessionStore(connection.client, connection.keyPrefix, cache);
    },
    close: async () => {
      const hits = cache?.counts.hits ?? 0;
      await cache?.close();
      if (connection) await cleanUpAndClose(connection);
      await redisService!.stop();
      // A run where the cache never answered would prove nothing about it.
      if (hits === 0) throw new Error('no revocation check was answered from the cache');
    },
  });
});
