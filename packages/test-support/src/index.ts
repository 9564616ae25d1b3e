/**
 * @authsvc/test-support: what the suites and the bench share, never shipped (ESLint keeps it out of every src/).
 * This entry needs nothing but Node: the services a suite runs against, private service processes a test may kill,
 * and the small helpers. The gRPC app as a process is `@authsvc/test-support/server`; the typed client
 * `@authsvc/test-support/grpc`.
 */
export * from './service-locator.util.js';
export * from './containers.factory.js';
export { PrivateRedis, redisServerInstalled, type PrivateRedisOptions } from './private-redis.support.js';
export { PrivatePostgres } from './private-postgres.support.js';
export { PrivateKafka, type PrivateKafkaOptions } from './private-kafka.support.js';
export { freePort, portAnswers, portBindable } from './free-port.util.js';
export { eventually, waitFor } from './wait.util.js';
export { temporaryDir } from './temporary-dir.util.js';
export { WORKSPACE_ROOT, APP_DIR } from './workspace-paths.util.js';
