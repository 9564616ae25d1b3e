import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { EventPublisherUnderTest, PublishedMessage } from './store-fixtures.support.js';
import type { OutboxEvent } from '@authsvc/core';
import { anOutboxEvent, testUuidV7 } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';

/**
 * The event publisher contract: what a consumer reads back is what was published (key, JSON value,
 * exactly the event's headers), in order per key. Topics may hold messages of earlier tests, so every
 * assertion looks only at this test's keys.
 */
export function eventPublisherContract(name: string, fixture: ContractFixture<EventPublisherUnderTest>): void {
  describe(`${name}: event publisher contract`, () => {
    const subject = useFixture(fixture);

    /** Messages of `keys` on `topic`, read until `expected` of them arrived (or 30 s passed). */
    const readOurs = async (topic: string, keys: ReadonlySet<string>, expected: number): Promise<PublishedMessage[]> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const all = await subject().readBack(topic, expected, Math.max(1, Math.min(5_000, deadline - Date.now())));
        const ours = all.filter((message) => keys.has(message.key));
        if (ours.length >= expected || Date.now() >= deadline) return ours;
      }
    };

    const asRead = (event: OutboxEvent): PublishedMessage => ({
      topic: event.topic,
      key: event.key,
      value: JSON.stringify(event.payload),
      headers: event.headers,
    });

    const parsed = (messages: readonly PublishedMessage[]) => messages.map((m) => ({ ...m, value: JSON.parse(m.value) as unknown }));

    it('delivers key, the payload as JSON, and exactly the event’s headers', async () => {
      const { userCreated } = subject().topics;
      const event = anOutboxEvent({ topic: userCreated });
      await subject().publisher.publish([event]);
      const read = await readOurs(userCreated, new Set([event.key]), 1);
      expect(parsed(read)).toEqual(parsed([asRead(event)]));
    });

    it('keeps the order of each key across a batch of 20 events on 3 keys and 2 topics', async () => {
      const { userCreated, artistCreated } = subject().topics;
      const keys = [testUuidV7(), testUuidV7(), testUuidV7()];
      const start = Date.now();
      const events = Array.from({ length: 20 }, (_, i) =>
        anOutboxEvent({
          key: keys[i % 3]!,
          topic: i % 2 === 0 ? userCreated : artistCreated,
          type: i % 2 === 0 ? 'user.created' : 'artist.created',
          createdAt: new Date(start + i),
        }),
      );
      await subject().publisher.publish(events);
      const keySet = new Set(keys);
      for (const topic of [userCreated, artistCreated]) {
        const sent = events.filter((event) => event.topic === topic);
        const read = await readOurs(topic, keySet, sent.length);
        expect(read).toHaveLength(sent.length);
        for (const key of keys) {
          const sentForKey = sent.filter((event) => event.key === key).map(asRead);
          const readForKey = read.filter((message) => message.key === key);
          expect(parsed(readForKey)).toEqual(parsed(sentForKey));
        }
      }
    });

    it('resolves at once when publishing an empty array', async () => {
      await expect(subject().publisher.publish([])).resolves.toBeUndefined();
    });
  });
}
