/**
 * Hooks the relay calls so the composition root can feed a metrics registry (and logs) without core knowing which.
 * Every hook is optional and must not throw; backlog size and oldest pending age come from `OutboxRelay.stats()`.
 */
export interface OutboxRelayMetrics {
  /** The broker acknowledged `count` events; `latencyMs` is how long the publish call took, `maxAgeMs` the longest commit-to-ack time in the batch. */
  onPublished?(count: number, latencyMs: number, maxAgeMs: number): void;
  /** A publish of `count` events failed; they are rescheduled with backoff. */
  onFailed?(count: number, error: unknown): void;
  /** The outbox store itself failed (claim, mark, prune); the relay retries on its next round. */
  onStoreError?(error: unknown): void;
  /** `count` published events older than the retention were deleted. */
  onPruned?(count: number): void;
  /** `count` claimed events were left unmarked because the relay stopped before the broker answered. */
  onAbandoned?(count: number): void;
}
