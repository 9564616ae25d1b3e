import { describe, expect, it } from 'vitest';
import type { OutboxStore } from './store-fixtures.support.js';
import type { PendingEvent } from '@authsvc/core';
import { gate, anOutboxEvent, testUuidV7 } from '@authsvc/core/fixtures';
import { outboxHelpers } from './outbox-contract.support.js';

/** Order and exclusivity of claims; part of outboxStoreContract. */
export function describeOutboxOrdering(store: () => OutboxStore, oneTransactionAtATime: boolean): void {
  const { append, claim, publishAll, eventsAt, ids } = outboxHelpers(store);
  const t0 = () => new Date(Date.now() - 60_000);

  describe('order', () => {
    it('hands out events oldest first, across units of work and within one, up to the limit', async () => {
      const [e1, e2, e3, e4] = eventsAt(t0(), 4);
      await append([e1!]);
      await append([e2!, e3!]);
      await append([e4!]);
      expect(ids(await claim(2))).toEqual([e1!.id, e2!.id]);
      expect(ids(await claim(10))).toEqual([e1!.id, e2!.id, e3!.id, e4!.id]);
    });

    it('puts an earlier event of the same key ahead of a later one in the same batch', async () => {
      const start = t0();
      const key = testUuidV7();
      const a1 = anOutboxEvent({ key, createdAt: start });
      const b1 = anOutboxEvent({ createdAt: new Date(start.getTime() + 1) });
      const a2 = anOutboxEvent({ key, createdAt: new Date(start.getTime() + 2) });
      await append([a1]);
      await append([b1, a2]);
      expect(ids(await claim(10))).toEqual([a1.id, b1.id, a2.id]);
    });

    it('holds back a later event of a key while an earlier one is rescheduled into the future', async () => {
      const start = t0();
      const key = testUuidV7();
      const a1 = anOutboxEvent({ key, createdAt: start });
      const a2 = anOutboxEvent({ key, createdAt: new Date(start.getTime() + 1) });
      const b1 = anOutboxEvent({ createdAt: new Date(start.getTime() + 2) });
      await append([a1, a2, b1]);
      const first = await claim(1, (batch) => ({
        published: [],
        failed: batch.map((event) => ({ id: event.id, error: 'nack', retryAt: new Date(Date.now() + 3_600_000) })),
      }));
      expect(ids(first)).toEqual([a1.id]);
      expect(ids(await claim(10, publishAll))).toEqual([b1.id]);
      expect(await claim(10)).toEqual([]);
      expect(await store().relayStore.stats(new Date())).toMatchObject({ backlog: 2, failing: 1 });
    });

    it('hands out the next event of a key once the earlier one is published', async () => {
      const key = testUuidV7();
      const [a1, a2] = eventsAt(t0(), 2, key);
      await append([a1!, a2!]);
      expect(ids(await claim(1, publishAll))).toEqual([a1!.id]);
      expect(ids(await claim(10))).toEqual([a2!.id]);
    });
  });

  // Every case here holds a claim open while a second batch runs.
  describe.skipIf(oneTransactionAtATime)('exclusive claims', () => {
    it('never gives two concurrent batches the same event', async () => {
      const events = eventsAt(t0(), 10);
      await append(events);
      const holding = gate();
      const release = gate();
      const firstSeen: PendingEvent[] = [];
      const first = store().relayStore.processBatch(5, async (batch) => {
        firstSeen.push(...batch);
        holding.open();
        await release.promise;
        return publishAll(batch);
      });
      await holding.promise;
      const secondSeen = await claim(10, publishAll);
      release.open();
      expect(await first).toBe(5);
      expect(ids(firstSeen)).toEqual(ids(events.slice(0, 5)));
      expect(ids(secondSeen)).toEqual(ids(events.slice(5)));
      expect(await claim(10)).toEqual([]);
    });

    it('does not let a second batch take a later event of a key the first batch holds', async () => {
      const start = t0();
      const key = testUuidV7();
      const a1 = anOutboxEvent({ key, createdAt: start });
      const a2 = anOutboxEvent({ key, createdAt: new Date(start.getTime() + 1) });
      const b1 = anOutboxEvent({ createdAt: new Date(start.getTime() + 2) });
      await append([a1, a2, b1]);
      const holding = gate();
      const release = gate();
      const first = store().relayStore.processBatch(1, async (batch) => {
        holding.open();
        await release.promise;
        return publishAll(batch);
      });
      await holding.promise;
      const second = await claim(10);
      release.open();
      await first;
      expect(ids(second)).toEqual([b1.id]);
      expect(ids(await claim(10))).toEqual([a2.id, b1.id]);
    });

    it('makes events claimable again when a batch that held them failed in its callback', async () => {
      const events = eventsAt(t0(), 3);
      await append(events);
      const holding = gate();
      const release = gate();
      const first = store().relayStore.processBatch(10, async () => {
        holding.open();
        await release.promise;
        throw new Error('relay crashed mid-batch');
      });
      await holding.promise;
      expect(await claim(10)).toEqual([]);
      release.open();
      await first.catch(() => undefined);
      expect(ids(await claim(10))).toEqual(ids(events));
    });
  });
}
