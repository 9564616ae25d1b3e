import { rateLimiterContract, sessionStoreContract } from '@authsvc/core-testing';
import { afterAll, describe } from 'vitest';
import { RedisRateLimiter, RedisSessionStore, createRedisClient, type RedisConnection } from '../src/index.js';
import { redisServerInstalled } from '@authsvc/test-support';
import { RedisClusterProcesses } from './support/redis-cluster-processes.support.js';

// The same contract suites on a three-master Redis Cluster of child processes: proves that no script or
// command crosses hash slots (a CROSSSLOT error would fail them) and that the Cluster configuration works.
describe.skipIf(!redisServerInstalled())('Redis adapters on a Redis Cluster', () => {
  const cluster = new RedisClusterProcesses();
  let connection: RedisConnection | undefined;
  const open = async (): Promise<RedisConnection> => {
    if (!connection) {
      await cluster.start();
      connection = createRedisClient({ cluster: cluster.nodes, keyPrefix: 'authsvc-test:', commandTimeoutMs: 1_000, connectTimeoutMs: 1_000 });
      await connection.ready(10_000);
    }
    return connection;
  };
  afterAll(async () => {
    await connection?.close();
    await cluster.stop();
  });

  describe('sessions', () => {
    sessionStoreContract('RedisSessionStore on Cluster', {
      create: async () => {
        const c = await open();
        return new RedisSessionStore(c.client, c.keyPrefix);
      },
    });
  });
  describe('rate limiter', () => {
    rateLimiterContract('RedisRateLimiter on Cluster', {
      create: async () => new RedisRateLimiter((await open()).client, (await open()).keyPrefix),
    });
  });
});
