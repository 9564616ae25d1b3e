import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { locateService, startKafkaContainer } from '@authsvc/test-support';
import { configuredTopics, consumeTopics, createTopics } from '../../src/cli/kafka.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { bufferIo } from './support/admin-harness.support.js';

const kafka = await locateService({ name: 'Kafka (admin commands)', envVar: 'KAFKA_BROKERS', startContainer: startKafkaContainer });

describe.skipIf(!kafka)('kafka create-topics and consume', () => {
  // Topics of this run only: the broker is shared between runs and helpers.
  const prefix = `authsvc-admin-${randomBytes(4).toString('hex')}`;
  const env = {
    AUTH_KAFKA_BROKERS: kafka?.url ?? '',
    AUTH_KAFKA_TOPICS_USER_CREATED: `${prefix}.user.created`,
    AUTH_KAFKA_TOPICS_ARTIST_CREATED: `${prefix}.artist.created`,
    AUTH_KAFKA_TOPICS_USER_UPDATED: `${prefix}.user.updated`,
    AUTH_KAFKA_TOPICS_ARTIST_UPDATED: `${prefix}.artist.updated`,
    AUTH_KAFKA_TOPICS_USER_DELETED: `${prefix}.user.deleted`,
    AUTH_KAFKA_TOPICS_ARTIST_DELETED: `${prefix}.artist.deleted`,
    AUTH_KAFKA_TOPICS_USER_RESTORED: `${prefix}.user.restored`,
    AUTH_KAFKA_TOPICS_ARTIST_RESTORED: `${prefix}.artist.restored`,
    AUTH_KAFKA_TOPICS_USER_ERASED: `${prefix}.user.erased`,
    AUTH_KAFKA_TOPICS_ARTIST_ERASED: `${prefix}.artist.erased`,
    AUTH_KAFKA_TOPICS_SECURITY: `${prefix}.auth.security`,
  };
  const client = new Kafka({ clientId: 'authsvc-admin-test', brokers: (kafka?.url ?? '').split(','), logLevel: logLevel.NOTHING });

  afterAll(async () => {
    const admin = client.admin();
    await admin.connect();
    try {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    } finally {
      await admin.disconnect();
    }
    await kafka?.stop();
  });

  it('creates the configured topics with the partitions asked, and leaves existing ones alone', async () => {
    const config = loadConfig({ env }).config;
    const io = bufferIo();
    const first = await createTopics(config, io, { partitions: 2, replicationFactor: 1 });
    expect(first.created.sort()).toEqual(configuredTopics(config).sort());
    expect(first.existing).toEqual([]);

    const admin = client.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: configuredTopics(config) });
      expect(metadata.topics.map((t) => t.partitions.length)).toEqual(configuredTopics(config).map(() => 2));
    } finally {
      await admin.disconnect();
    }

    const again = await createTopics(config, io, { partitions: 2, replicationFactor: 1 });
    expect(again).toEqual({ created: [], existing: configuredTopics(config) });
    expect(io.out()).toContain(`exists  ${prefix}.user.created`);
  });

  it('consume prints the events on the configured topics, and stops after --max-messages', async () => {
    const config = loadConfig({ env }).config;
    await createTopics(config, bufferIo(), { partitions: 1, replicationFactor: 1 });
    const producer = client.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${prefix}.user.created`,
        messages: [{ key: 'account-1', value: JSON.stringify({ username: 'alice' }), headers: { ce_id: 'event-1', ce_type: 'user.created' } }],
      });
    } finally {
      await producer.disconnect();
    }
    const io = bufferIo();
    const seen = await consumeTopics(config, io, { fromBeginning: true, json: false, maxMessages: 1 });
    expect(seen).toBe(1);
    expect(io.out()).toMatch(new RegExp(`^${prefix}\\.user\\.created\\[0\\]@0 key=account-1 ce_id=event-1 ce_type=user.created \\{"username":"alice"\\}$`, 'm'));
  }, 120_000);
});
