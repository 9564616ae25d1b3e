// The core event publisher contract against a real broker: what a consumer reads is what was published.
import { eventPublisherContract } from '@authsvc/core-testing';
import { describe } from 'vitest';
import { ensureTopics, KafkaEventPublisher } from '../src/index.js';
import { connectionTo, deleteTopics, locateKafka, testTopicNames } from './support/kafka-test-env.support.js';
import { TopicReader } from './support/topic-reader.support.js';

const kafka = await locateKafka();

describe.skipIf(!kafka)('KafkaEventPublisher on a real broker', () => {
  const brokers = kafka?.url ?? '';
  const names = testTopicNames();
  const topics = { userCreated: names['user.created'], artistCreated: names['artist.created'] };
  let reader: TopicReader | undefined;

  const readerOnce = async (): Promise<TopicReader> => {
    if (!reader) {
      await ensureTopics({ ...connectionTo(brokers), topics: Object.values(topics), partitions: 3, replicationFactor: 1 });
      reader = await TopicReader.start(connectionTo(brokers), Object.values(topics));
    }
    return reader;
  };

  eventPublisherContract('kafka', {
    async create() {
      const shared = await readerOnce();
      const publisher = new KafkaEventPublisher({ ...connectionTo(brokers), publishTimeoutMs: 20_000 });
      await publisher.connect();
      return { publisher, topics, readBack: (topic, atLeast, timeoutMs) => shared.readBack(topic, atLeast, timeoutMs) };
    },
    async dispose(subject) {
      await (subject.publisher as KafkaEventPublisher).disconnect();
    },
    async close() {
      await reader?.stop();
      await deleteTopics(brokers, Object.values(topics));
      await kafka?.stop();
    },
  });
});
