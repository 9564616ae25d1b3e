/**
 * @authsvc/test-support/resources: what a run creates on the shared PostgreSQL, Redis and Kafka, and removes again
 * (a database of its own, keys under its prefix, its topics).
 */
export { createTestDatabase, type TestDatabase } from './test-database.support.js';
export { deleteRedisKeys } from './redis-keys.support.js';
export { deleteTopics, kafkaClient } from './kafka-topics.support.js';
