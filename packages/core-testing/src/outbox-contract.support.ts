import type { OutboxEvent, BatchOutcome, PendingEvent } from '@authsvc/core';
import type { OutboxStore } from './store-fixtures.support.js';
import { anOutboxEvent, testUuidV7 } from '@authsvc/core/fixtures';

/** Shorthands the outbox suites share. */
export function outboxHelpers(store: () => OutboxStore) {
  const append = (events: readonly OutboxEvent[]) => store().unitOfWork.run((scope) => scope.outbox.append(events));

  /** Claims one batch, records what was handed out, and applies `decide`'s outcome (default: leave all pending). */
  const claim = async (
    limit: number,
    decide: (events: readonly PendingEvent[]) => BatchOutcome = () => ({ published: [], failed: [] }),
  ): Promise<PendingEvent[]> => {
    const seen: PendingEvent[] = [];
    await store().relayStore.processBatch(limit, async (events) => {
      seen.push(...events);
      return decide(events);
    });
    return seen;
  };

  const publishAll = (events: readonly PendingEvent[]): BatchOutcome => ({ published: events.map((event) => event.id), failed: [] });

  /** `count` events with distinct keys and createdAt one ms apart, oldest first. */
  const eventsAt = (start: Date, count: number, key?: string): OutboxEvent[] =>
    Array.from({ length: count }, (_, i) => {
      const createdAt = new Date(start.getTime() + i);
      return anOutboxEvent({ createdAt, key: key ?? testUuidV7(createdAt) });
    });

  const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);

  return { append, claim, publishAll, eventsAt, ids };
}
