// Core's use cases on PostgreSQL, the relay and the Kafka publisher, read back by an independent consumer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay, type EventPublisher, type EventType, type PublicProfile } from '@authsvc/core';
import { ensureTopics, KafkaEventPublisher, type ConsumedEvent } from '../src/index.js';
import { accountEvents } from './support/account-events.support.js';
import { connectionTo, deleteTopics, locateKafka, testTopicNames, type TestTopics } from './support/kafka-test-env.support.js';
import { createOutboxDatabase, locatePostgres, type TestOutboxDatabase } from './support/postgres-outbox.support.js';
import { TopicReader } from './support/topic-reader.support.js';

const kafka = await locateKafka();
const postgres = kafka ? await locatePostgres() : null;
const RELAY = { pollIntervalMs: 200, batchSize: 50, backoff: { baseMs: 50, capMs: 500 }, stopTimeoutMs: 5_000 };

/** Groups what the reader saw by ce_id: more than one entry is a duplicate delivery. */
function byEventId(events: readonly ConsumedEvent[]): Map<string, ConsumedEvent[]> {
  const groups = new Map<string, ConsumedEvent[]>();
  for (const event of events) {
    const id = event.headers.ce_id ?? '';
    groups.set(id, [...(groups.get(id) ?? []), event]);
  }
  return groups;
}

describe.skipIf(!kafka || !postgres)('relay from PostgreSQL to Kafka', () => {
  const brokers = kafka?.url ?? '';
  const topics = testTopicNames();
  let database: TestOutboxDatabase;
  let opened: ReturnType<TestOutboxDatabase['open']>;
  let app: ReturnType<typeof accountEvents>;
  let reader: TopicReader;
  const publishers: KafkaEventPublisher[] = [];

  const newPublisher = async (): Promise<KafkaEventPublisher> => {
    const publisher = new KafkaEventPublisher({ ...connectionTo(brokers), publishTimeoutMs: 15_000 });
    publishers.push(publisher);
    await publisher.connect();
    return publisher;
  };
  const newRelay = (publisher: EventPublisher, options = {}) =>
    new OutboxRelay({ relayStore: opened.stores.relayStore, publisher }, { ...RELAY, ...options });
  /** Messages of these accounts on `topic`, once `expected` arrived (or 20 s passed), plus 1 s for late duplicates. */
  const readOurs = async (topic: string | undefined, accounts: readonly PublicProfile[], expected: number) => {
    const ours = new Set(accounts.map((account) => account.id));
    const deadline = Date.now() + 20_000;
    const current = async () => (await reader.read(topic, 0, 0)).filter((event) => ours.has(event.key ?? ''));
    while ((await current()).length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return current();
  };
  /** Waits until the outbox has nothing pending, i.e. every committed event was acknowledged and marked. */
  const drained = async (relay: OutboxRelay, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await relay.stats()).backlog > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return (await relay.stats()).backlog;
  };

  beforeAll(async () => {
    await ensureTopics({ ...connectionTo(brokers), topics: Object.values(topics), partitions: 3, replicationFactor: 1 });
    database = await createOutboxDatabase(postgres!.url);
    opened = database.open();
    app = accountEvents(opened.stores.unitOfWork, topics);
    reader = await TopicReader.start(connectionTo(brokers), Object.values(topics));
  });

  afterAll(async () => {
    await reader?.stop();
    await Promise.all(publishers.map((publisher) => publisher.disconnect()));
    await opened?.handle.close();
    await database?.drop();
    await deleteTopics(brokers, Object.values(topics));
    await kafka?.stop();
    await postgres?.stop();
  });

  it('delivers exactly the committed events with their CloudEvents headers, in commit order per account', async () => {
    const relay = newRelay(await newPublisher());
    await relay.start();
    const users: PublicProfile[] = [];
    const artists: PublicProfile[] = [];
    try {
      for (let i = 0; i < 10; i += 1) users.push(await app.registerUser());
      for (let i = 0; i < 5; i += 1) artists.push(await app.registerArtist());
      for (const user of users) await app.setAge(user, 31);
      for (const user of users) await app.setAge(user, 32);
      expect(await drained(relay)).toBe(0);
    } finally {
      await relay.stop();
    }
    const ours = new Set([...users, ...artists].map((profile) => profile.id));
    const read = (await readOurs(undefined, [...users, ...artists], 35)).filter((event) => ours.has(event.key ?? ''));
    expect(read).toHaveLength(35);
    expect([...byEventId(read).values()].every((copies) => copies.length === 1)).toBe(true);

    const ofType = (type: string) => read.filter((event) => event.headers.ce_type === type);
    expect(ofType('user.created').map((e) => e.key).sort()).toEqual(users.map((u) => u.id).sort());
    expect(ofType('artist.created').map((e) => e.key).sort()).toEqual(artists.map((a) => a.id).sort());
    for (const event of read) {
      const type = event.headers.ce_type as EventType & keyof TestTopics;
      expect(event.topic).toBe(topics[type]);
      expect(event.headers).toEqual({
        ce_specversion: '1.0',
        ce_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
        ce_type: type,
        ce_source: '/authsvc',
        ce_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        ce_subject: event.key,
        'content-type': 'application/json',
      });
      const payload = JSON.parse(event.value ?? '') as { schema_version: number; account: Record<string, unknown> };
      expect(payload.schema_version).toBe(1);
      expect(payload.account.id).toBe(event.key);
      expect(JSON.stringify(payload)).not.toMatch(/password|\$2[aby]\$/i);
    }
    for (const user of users) {
      const ages = ofType('user.updated')
        .filter((event) => event.key === user.id)
        .map((event) => (JSON.parse(event.value ?? '') as { account: { age: number } }).account.age);
      expect(ages).toEqual([31, 32]);
    }
  });

  it('publishes each event once with two relays on one outbox', async () => {
    const relays = [newRelay(await newPublisher(), { batchSize: 10 }), newRelay(await newPublisher(), { batchSize: 10 })];
    await Promise.all(relays.map((relay) => relay.start()));
    const users: PublicProfile[] = [];
    try {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 25; i += 1) users.push(await app.registerUser());
        }),
      );
      expect(await drained(relays[0]!)).toBe(0);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    const read = await readOurs(topics['user.created'], users, 100);
    const copies = [...byEventId(read).values()].map((list) => list.length);
    expect(copies).toHaveLength(100);
    expect(copies.filter((count) => count > 1)).toEqual([]);
  });

  it('loses nothing when the relay dies between the broker’s ack and the mark; the duplicate has the same ce_id', async () => {
    const kafkaPublisher = await newPublisher();
    // Publishes, then never returns: like a process killed right after the broker acknowledged.
    const dying: EventPublisher = {
      publish: async (events) => {
        await kafkaPublisher.publish(events);
        await new Promise<never>(() => {});
      },
    };
    const first = newRelay(dying, { stopTimeoutMs: 300 });
    const users: PublicProfile[] = [];
    for (let i = 0; i < 5; i += 1) users.push(await app.registerUser());
    await first.start();
    const ours = new Set(users.map((user) => user.id));
    const ofOurs = async (atLeast: number) =>
      (await reader.read(topics['user.created'], 0, 0)).filter((event) => ours.has(event.key ?? '')).length >= atLeast;
    const deadline = Date.now() + 20_000;
    while (!(await ofOurs(5)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await first.stop(); // abandons the claim unmarked, as a crash would
    expect((await first.stats()).backlog).toBe(5);

    const second = newRelay(kafkaPublisher);
    await second.start();
    try {
      expect(await drained(second)).toBe(0);
    } finally {
      await second.stop();
    }
    const read = await readOurs(topics['user.created'], users, 10);
    const groups = byEventId(read);
    expect(groups.size).toBe(5);
    const duplicates = read.length - groups.size;
    console.info(`relay crash: ${read.length} deliveries of 5 events, ${duplicates} duplicates (same ce_id)`);
    expect(duplicates).toBe(5);
    for (const copies of groups.values()) expect(new Set(copies.map((copy) => copy.value)).size).toBe(1);
  });
});
