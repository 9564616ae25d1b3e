import { randomBytes } from 'node:crypto';
import { locateService, startKafkaContainer, type LocatedService } from '@authsvc/test-support';
import type { KafkaConnectionOptions } from '../../src/index.js';

// The shared broker outlives the run: a test deletes the topics it created.
export { deleteTopics } from '@authsvc/test-support/resources';

/** The broker of this run (KAFKA_BROKERS, else Testcontainers), or null after a one-line skip notice. */
export function locateKafka(): Promise<LocatedService | null> {
  return locateService({ name: 'Kafka', envVar: 'KAFKA_BROKERS', startContainer: startKafkaContainer });
}

export const connectionTo = (brokers: string): KafkaConnectionOptions => ({
  brokers: brokers.split(',').map((broker) => broker.trim()),
  clientId: 'authsvc-kafka-tests',
  logLevel: 'nothing',
});

/** Four topics of this run, named after the event types under a random prefix, with 3 partitions each. */
export interface TestTopics {
  'user.created': string;
  'artist.created': string;
  'user.updated': string;
  'artist.updated': string;
}

export function testTopicNames(): TestTopics {
  const prefix = `authsvc-test-${randomBytes(5).toString('hex')}`;
  return {
    'user.created': `${prefix}.user.created`,
    'artist.created': `${prefix}.artist.created`,
    'user.updated': `${prefix}.user.updated`,
    'artist.updated': `${prefix}.artist.updated`,
  };
}
