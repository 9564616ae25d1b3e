import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaClient, DEFAULT_EVENT_TOPICS, ensureTopics } from '../src/index.js';
import { connectionTo, deleteTopics, locateKafka, testTopicNames } from './support/kafka-test-env.support.js';

const kafka = await locateKafka();

describe.skipIf(!kafka)('ensureTopics on a real broker', () => {
  const brokers = kafka?.url ?? '';
  const topics = Object.values(testTopicNames());
  afterAll(async () => {
    await deleteTopics(brokers, topics);
    await kafka?.stop();
  });

  const partitionsOf = async (topic: string) => {
    const admin = createKafkaClient(connectionTo(brokers)).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata.topics[0]?.partitions.length;
    } finally {
      await admin.disconnect();
    }
  };

  it('names every account event type by default', () => {
    expect(DEFAULT_EVENT_TOPICS).toEqual(['user.created', 'artist.created', 'user.updated', 'artist.updated', 'user.deleted', 'artist.deleted', 'user.restored', 'artist.restored', 'user.erased', 'artist.erased']);
  });

  it('creates the missing topics with the requested partitions and leaves existing ones unchanged', async () => {
    const [first, ...rest] = topics;
    const once = await ensureTopics({ ...connectionTo(brokers), topics: [first!], partitions: 2, replicationFactor: 1 });
    expect(once).toEqual({ created: [first], existing: [] });
    const all = await ensureTopics({ ...connectionTo(brokers), topics, partitions: 4, replicationFactor: 1 });
    expect(all).toEqual({ created: rest, existing: [first] });
    expect(await partitionsOf(first!)).toBe(2);
    expect(await partitionsOf(rest[0]!)).toBe(4);
    expect(await ensureTopics({ ...connectionTo(brokers), topics, partitions: 4, replicationFactor: 1 })).toEqual({ created: [], existing: topics });
  });
});
