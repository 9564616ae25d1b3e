import type { StoreOutageEvent } from './store-outage.util.js';

/**
 * Hooks the relay calls so the composition root can feed a metrics registry (and logs) without core knowing which.
 * Every hook is optional and must not throw; backlog size and oldest pending age come from `OutboxRelay.stats()`.
 */
export interface OutboxRelayMetrics {
  /** The broker acknowledged `count` events; `latencyMs` is how long the publish call took, `maxAgeMs` the longest commit-to-ack time in the batch. */
  onPublished?(count: number, latencyMs: number, maxAgeMs: number): void;
  /** A publish of `count` events failed; they are rescheduled with backoff. */
  onFailed?(count: number, error: unknown): void;
  /** The outbox store itself failed (claim, mark, prune, notifications); called for every failure, e.g. to count them. */
  onStoreError?(error: unknown): void;
  /**
   * The store's availability, for the log: `down` at its first failure, `still-down` at most every
   * `storeOutageReminderMs` while it keeps failing (rounds then back off up to `storeRetryCapMs`), `recovered` once a
   * round works again. Log these rather than every `onStoreError`, which fires on each poll while the database is down.
   */
  onStoreOutage?(event: StoreOutageEvent): void;
  /** `count` published events older than the retention were deleted. */
  onPruned?(count: number): void;
  /** Security events deleted from the audit trail after their retention. */
  onAuditPruned?(count: number): void;
  /** `count` claimed events were left unmarked because the relay stopped before the broker answered. */
  onAbandoned?(count: number): void;
}
