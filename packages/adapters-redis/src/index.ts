export { RedisSessionStore } from './redis-session.store.js';
export { RedisLoginThrottle } from './redis-login.throttle.js';
export { createRedisClient, type RedisConnection, type RedisConnectionOptions } from './redis-connection.js';
export { RedisKeys } from './redis-keys.js';
export { translateRedisError } from './redis.errors.js';
export type { RedisClient } from './redis-script.js';
