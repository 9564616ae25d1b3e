import { describe, expect, it } from 'vitest';
import type { OutboxStore } from './store-fixtures.support.js';
import { eventually, gate, anOutboxEvent } from '@authsvc/core/fixtures';
import { outboxHelpers } from './outbox-contract.support.js';

/** Stats, pruning and the append notification; part of outboxStoreContract. */
export function describeOutboxHousekeeping(store: () => OutboxStore): void {
  const { append, claim, publishAll, ids } = outboxHelpers(store);

  describe('stats', () => {
    it('reports an empty outbox as no backlog and no oldest age', async () => {
      expect(await store().relayStore.stats(new Date())).toEqual({ backlog: 0, oldestPendingAgeMs: null, failing: 0 });
    });

    it('counts unpublished events, the age of the oldest at the given time, and the failing ones', async () => {
      const now = new Date();
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const events = [anOutboxEvent({ createdAt: ago(5_000) }), anOutboxEvent({ createdAt: ago(3_000) }), anOutboxEvent({ createdAt: ago(1_000) })];
      await append(events);
      expect(await store().relayStore.stats(now)).toEqual({ backlog: 3, oldestPendingAgeMs: 5_000, failing: 0 });
      await claim(10, () => ({
        published: [events[0]!.id],
        failed: [{ id: events[1]!.id, error: 'nack', retryAt: new Date(Date.now() + 3_600_000) }],
      }));
      expect(await store().relayStore.stats(now)).toEqual({ backlog: 2, oldestPendingAgeMs: 3_000, failing: 1 });
    });
  });

  describe('pruning', () => {
    it('deletes only published events older than the cutoff, at most batchSize per call', async () => {
      const published = [anOutboxEvent(), anOutboxEvent(), anOutboxEvent()];
      await append(published);
      await claim(10, publishAll);
      const pending = anOutboxEvent();
      await append([pending]);
      expect(await store().relayStore.prunePublished(new Date(Date.now() - 3_600_000), 10)).toBe(0);
      const cutoff = new Date(Date.now() + 60_000);
      expect(await store().relayStore.prunePublished(cutoff, 2)).toBe(2);
      expect(await store().relayStore.prunePublished(cutoff, 2)).toBe(1);
      expect(await store().relayStore.prunePublished(cutoff, 2)).toBe(0);
      expect(ids(await claim(10))).toEqual([pending.id]);
      expect(await store().relayStore.stats(new Date())).toMatchObject({ backlog: 1 });
    });
  });

  describe('append notification', () => {
    it('calls the listener after a unit of work that appended commits, not before', async () => {
      let calls = 0;
      const unsubscribe = await store().relayStore.onAppended(() => {
        calls += 1;
      });
      try {
        const appended = gate();
        const release = gate();
        const running = store().unitOfWork.run(async (scope) => {
          await scope.outbox.append([anOutboxEvent()]);
          appended.open();
          await release.promise;
        });
        await appended.promise;
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(calls).toBe(0);
        release.open();
        await running;
        expect(await eventually(() => calls > 0)).toBe(true);
      } finally {
        await unsubscribe();
      }
    });

    it('stops calling a listener once it unsubscribed', async () => {
      let calls = 0;
      const unsubscribe = await store().relayStore.onAppended(() => {
        calls += 1;
      });
      await unsubscribe();
      await append([anOutboxEvent()]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).toBe(0);
    });
  });
}
