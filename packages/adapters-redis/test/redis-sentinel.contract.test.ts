import { sessionStoreContract } from '@authsvc/core-testing';
import { afterAll, describe } from 'vitest';
import { RedisSessionStore, createRedisClient, type RedisConnection } from '../src/index.js';
import { redisServerInstalled } from '@authsvc/test-support';
import { RedisSentinelProcesses } from './support/redis-sentinel-processes.support.js';

// The session store contract through a Sentinel-configured client: the master is found by name via Sentinel.
describe.skipIf(!redisServerInstalled())('Redis adapters behind Redis Sentinel', () => {
  const processes = new RedisSentinelProcesses();
  let connection: RedisConnection | undefined;
  afterAll(async () => {
    await connection?.close();
    await processes.stop();
  });

  sessionStoreContract('RedisSessionStore via Sentinel', {
    create: async () => {
      if (!connection) {
        await processes.start();
        connection = createRedisClient({
          sentinels: [{ host: '127.0.0.1', port: processes.sentinelPort }],
          sentinelName: processes.masterName,
          keyPrefix: 'authsvc-test:',
          commandTimeoutMs: 1_000,
          connectTimeoutMs: 1_000,
        });
        await connection.ready(10_000);
      }
      return new RedisSessionStore(connection.client, connection.keyPrefix);
    },
  });
});
