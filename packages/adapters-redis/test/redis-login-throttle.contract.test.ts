import { loginThrottleContract } from '@authsvc/core-testing';
import { describe } from 'vitest';
import { RedisLoginThrottle, type RedisConnection } from '../src/index.js';
import { cleanUpAndClose, connectForTest, redisService } from './support/redis-test-env.support.js';

describe.skipIf(!redisService)('RedisLoginThrottle against a real Redis', () => {
  let connection: RedisConnection | undefined;
  loginThrottleContract('RedisLoginThrottle', {
    create: async () => {
      const open = (connection ??= await connectForTest(redisService!.url));
      return (limits) => new RedisLoginThrottle(open.client, open.keyPrefix, limits);
    },
    close: async () => {
      if (connection) await cleanUpAndClose(connection);
      await redisService!.stop();
    },
  });
});
