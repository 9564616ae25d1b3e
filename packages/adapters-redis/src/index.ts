export { RedisSessionStore } from './redis-session-store.adapter.js';
export { RedisLivenessCache, type LivenessCacheOptions } from './redis-liveness-cache.worker.js';
export { RedisRateLimiter } from './redis-rate-limiter.adapter.js';
export { createRedisClient, type RedisConnection, type RedisConnectionOptions } from './redis-connection.factory.js';
export { RedisKeys } from './redis-keys.config.js';
export { translateRedisError } from './redis.errors.js';
export type { RedisClient } from './redis-script.util.js';
