import { rateLimiterContract } from '@authsvc/core-testing';
import { describe } from 'vitest';
import { RedisRateLimiter, type RedisConnection } from '../src/index.js';
import { cleanUpAndClose, connectForTest, redisService } from './support/redis-test-env.support.js';

describe.skipIf(!redisService)('RedisRateLimiter against a real Redis', () => {
  let connection: RedisConnection | undefined;
  rateLimiterContract('RedisRateLimiter', {
    create: async () => {
      const open = (connection ??= await connectForTest(redisService!.url));
      return new RedisRateLimiter(open.client, open.keyPrefix);
    },
    close: async () => {
      if (connection) await cleanUpAndClose(connection);
      await redisService!.stop();
    },
  });
});
