// Kafka away: registrations keep succeeding while the broker is down, and every event arrives once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay, type PublicProfile } from '@authsvc/core';
import { eventually, PrivateKafka } from '@authsvc/test-support';
import { ensureTopics, KafkaEventPublisher } from '../src/index.js';
import { accountEvents } from './support/account-events.support.js';
import { connectionTo, locateKafka, testTopicNames } from './support/kafka-test-env.support.js';
import { createOutboxDatabase, locatePostgres, type TestOutboxDatabase } from './support/postgres-outbox.support.js';
import { TopicReader } from './support/topic-reader.support.js';

// Runs where the other Kafka suites run; the broker it stops is its own, started with scripts/kafka/broker.sh.
const kafka = await locateKafka();
const postgres = kafka ? await locatePostgres() : null;
const OUTAGE_EVENTS = 200;

describe.skipIf(!kafka || !postgres)('Kafka outage', () => {
  const topics = testTopicNames();
  let broker: PrivateKafka;
  let database: TestOutboxDatabase;
  let opened: ReturnType<TestOutboxDatabase['open']>;
  let app: ReturnType<typeof accountEvents>;
  let publisher: KafkaEventPublisher;
  let relay: OutboxRelay;
  let reader: TopicReader | undefined;

  beforeAll(async () => {
    broker = await PrivateKafka.create();
    await broker.start();
    await ensureTopics({ ...connectionTo(broker.brokers), topics: Object.values(topics), partitions: 3, replicationFactor: 1 });
    database = await createOutboxDatabase(postgres!.url);
    opened = database.open();
    app = accountEvents(opened.stores.unitOfWork, topics);
    publisher = new KafkaEventPublisher({ ...connectionTo(broker.brokers), retries: 2, connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, publishTimeoutMs: 10_000 });
    relay = new OutboxRelay(
      { relayStore: opened.stores.relayStore, publisher },
      { pollIntervalMs: 500, batchSize: 100, backoff: { baseMs: 200, capMs: 2_000 } },
    );
    await relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    await reader?.stop();
    await publisher?.disconnect().catch(() => undefined);
    await opened?.handle.close();
    await database?.drop();
    await broker?.destroy(); // its topics go with it
    await kafka?.stop();
    await postgres?.stop();
  });

  const backlog = async () => (await relay.stats()).backlog;

  it(`delivers all ${OUTAGE_EVENTS} events registered while the broker was down, none lost`, async () => {
    const users: PublicProfile[] = [];
    for (let i = 0; i < 5; i += 1) users.push(await app.registerUser());
    expect(await eventually(async () => (await backlog()) === 0, 30_000, 100)).toBe(true);

    await broker.stop();
    const began = performance.now();
    for (let i = 0; i < OUTAGE_EVENTS; i += 1) users.push(await app.registerUser()); // must not fail
    const writeMs = performance.now() - began;
    expect(await eventually(async () => (await relay.stats()).failing > 0, 60_000, 100)).toBe(true);
    expect(await backlog()).toBe(OUTAGE_EVENTS);

    await broker.start();
    const restartedAt = performance.now();
    expect(await eventually(async () => (await backlog()) === 0, 120_000, 100)).toBe(true);
    const catchUpMs = performance.now() - restartedAt;

    reader = await TopicReader.start(connectionTo(broker.brokers), [topics['user.created']]);
    await reader.read(topics['user.created'], users.length, 60_000);
    const read = await reader.read(topics['user.created'], Number.MAX_SAFE_INTEGER, 1_000); // room for late duplicates
    const ids = new Set(read.map((event) => event.headers.ce_id));
    const keys = new Set(read.map((event) => event.key));
    const duplicates = read.length - ids.size;
    console.info(
      `kafka outage: ${OUTAGE_EVENTS} registrations in ${Math.round(writeMs)} ms while down; ` +
        `backlog drained ${Math.round(catchUpMs)} ms after restart; ${read.length} deliveries, ${ids.size} distinct events, ${duplicates} duplicates`,
    );
    expect(users.every((user) => keys.has(user.id))).toBe(true);
    expect(ids.size).toBe(users.length);
  });
});
