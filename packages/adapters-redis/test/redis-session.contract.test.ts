import { sessionStoreContract } from '@authsvc/core-testing';
import { describe } from 'vitest';
import { RedisSessionStore, type RedisConnection } from '../src/index.js';
import { cleanUpAndClose, connectForTest, redisService } from './support/redis-test-env.support.js';

describe.skipIf(!redisService)('RedisSessionStore against a real Redis', () => {
  let connection: RedisConnection | undefined;
  sessionStoreContract('RedisSessionStore', {
    create: async () => {
      connection ??= await connectForTest(redisService!.url);
      return new RedisSessionStore(connection.client, connection.keyPrefix);
    },
    close: async () => {
      if (connection) await cleanUpAndClose(connection);
      await redisService!.stop();
    },
  });
});
