import type { OutboxEvent } from '../domain/account-event.model.js';

/** An unpublished event as the relay sees it. */
export interface PendingEvent extends OutboxEvent {
  /** Failed publish attempts so far. */
  attempts: number;
}

/** What the relay did with a claimed batch. Events in neither list stay pending, unchanged (abandoned on shutdown). */
export interface BatchOutcome {
  /** Events the broker acknowledged. */
  published: readonly string[];
  /** Events that failed, with when to try again (the relay's backoff policy decides). */
  failed: readonly { id: string; error: string; retryAt: Date }[];
}

export interface OutboxStats {
  /** Events not yet published. */
  backlog: number;
  /** Age of the oldest unpublished event in ms, or null when there is none. */
  oldestPendingAgeMs: number | null;
  /** Unpublished events that have failed at least once. */
  failing: number;
}

/** Relay side of the transactional outbox. */
export interface OutboxRelayStore {
  /**
   * Claims up to `limit` due events, runs `publish` while holding the claim (no other relay can claim them), then
   * applies the returned outcome and releases the claim. Events come oldest first, and never ahead of an unpublished
   * earlier event with the same key (an earlier event of the same key in the same batch comes first in the array).
   * If `publish` throws or the process dies, nothing is marked and every event stays claimable. Returns the number claimed.
   */
  processBatch(limit: number, publish: (events: readonly PendingEvent[]) => Promise<BatchOutcome>): Promise<number>;
  /** Backlog size and age of the oldest pending event. */
  stats(now: Date): Promise<OutboxStats>;
  /** Deletes at most `batchSize` events published before `olderThan`; returns how many it deleted. */
  prunePublished(olderThan: Date, batchSize: number): Promise<number>;
  /** Calls `listener` (best effort) whenever a unit of work that appended events commits; resolves to an unsubscribe function. */
  onAppended(listener: () => void): Promise<() => Promise<void>>;
}
