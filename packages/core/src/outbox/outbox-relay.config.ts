import { DEFAULT_BACKOFF, type BackoffPolicy } from './retry-backoff.util.js';

export interface OutboxRelayOptions {
  /** Events claimed per batch; a full batch means a backlog, and the relay claims the next one at once. */
  batchSize: number;
  /** How often the relay looks for due events when no commit woke it (lost notifications, retries, other instances). */
  pollIntervalMs: number;
  /** Retry delays after a failed publish. */
  backoff: BackoffPolicy;
  /** How long `stop()` lets the batch in flight finish before abandoning it unmarked (it is published again later). */
  stopTimeoutMs: number;
  /** Published events are deleted once older than this. */
  retentionMs: number;
  /** Security events in the audit trail are deleted once older than this (default 90 days). */
  auditRetentionMs: number;
  /** Rows deleted per prune statement, so pruning never holds long locks. */
  pruneBatchSize: number;
  /** How often to prune. */
  pruneIntervalMs: number;
  /**
   * Longest wait between rounds while the store (database) keeps failing: the rounds back off from `pollIntervalMs`
   * up to this, so a failing store is not polled every interval and one that is back is noticed within this.
   */
  storeRetryCapMs: number;
  /** While the store keeps failing, how often the relay reports that it still is (`onStoreOutage`, `still-down`). */
  storeOutageReminderMs: number;
}

export const DEFAULT_OUTBOX_RELAY_OPTIONS: OutboxRelayOptions = {
  batchSize: 100,
  pollIntervalMs: 1_000,
  backoff: DEFAULT_BACKOFF,
  stopTimeoutMs: 10_000,
  retentionMs: 7 * 24 * 60 * 60_000,
  auditRetentionMs: 90 * 24 * 60 * 60_000,
  pruneBatchSize: 1_000,
  pruneIntervalMs: 10 * 60_000,
  storeRetryCapMs: 5_000,
  storeOutageReminderMs: 60_000,
};
