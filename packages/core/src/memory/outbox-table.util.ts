import type { OutboxEvent } from '../domain/account-event.model.js';
import type { BatchOutcome, OutboxStats, PendingEvent } from '../ports/outbox-relay-store.port.js';

interface OutboxRow {
  event: OutboxEvent;
  attempts: number;
  lastError: string | null;
  /** Not due before this instant (epoch ms); 0 for a new event. */
  nextAttemptAtMs: number;
  publishedAtMs: number | null;
  claimed: boolean;
}

/**
 * Committed outbox rows in commit order (an array keeps the insertion order, which is the commit order here
 * because units of work are serialized). Published rows stay until pruned, like the SQL table.
 */
export class OutboxTable {
  #rows: OutboxRow[] = [];

  append(events: readonly OutboxEvent[]): void {
    for (const event of events) {
      this.#rows.push({ event: structuredClone(event), attempts: 0, lastError: null, nextAttemptAtMs: 0, publishedAtMs: null, claimed: false });
    }
  }

  /**
   * Claims up to `limit` due rows, oldest first, skipping every row behind an earlier unpublished row of the same
   * key that is not itself handed out in this claim (claimed by another batch, or not yet due).
   */
  claim(limit: number, nowMs: number): { events: PendingEvent[]; rows: OutboxRow[] } {
    const blockedKeys = new Set<string>();
    const rows: OutboxRow[] = [];
    for (const row of this.#rows) {
      if (rows.length >= limit) break;
      if (row.publishedAtMs !== null) continue;
      const key = row.event.key;
      if (blockedKeys.has(key)) continue;
      if (row.claimed || row.nextAttemptAtMs > nowMs) {
        blockedKeys.add(key);
        continue;
      }
      rows.push(row);
    }
    for (const row of rows) row.claimed = true;
    return { rows, events: rows.map((row) => ({ ...structuredClone(row.event), attempts: row.attempts })) };
  }

  /** Applies a batch outcome to the rows of that claim and releases them. */
  settle(rows: readonly OutboxRow[], outcome: BatchOutcome | null, nowMs: number): void {
    const published = new Set(outcome?.published ?? []);
    const failed = new Map((outcome?.failed ?? []).map((failure) => [failure.id, failure]));
    for (const row of rows) {
      row.claimed = false;
      if (published.has(row.event.id)) {
        row.publishedAtMs = nowMs;
        continue;
      }
      const failure = failed.get(row.event.id);
      if (failure) {
        row.attempts += 1;
        row.lastError = failure.error;
        row.nextAttemptAtMs = failure.retryAt.getTime();
      }
    }
  }

  stats(now: Date): OutboxStats {
    let backlog = 0;
    let failing = 0;
    let oldestMs: number | null = null;
    for (const row of this.#rows) {
      if (row.publishedAtMs !== null) continue;
      backlog += 1;
      if (row.attempts > 0) failing += 1;
      const created = row.event.createdAt.getTime();
      if (oldestMs === null || created < oldestMs) oldestMs = created;
    }
    return { backlog, failing, oldestPendingAgeMs: oldestMs === null ? null : now.getTime() - oldestMs };
  }

  /** Deletes at most `batchSize` rows published before `olderThanMs`, earliest published first. */
  prunePublished(olderThanMs: number, batchSize: number): number {
    const doomed = this.#rows
      .filter((row) => row.publishedAtMs !== null && row.publishedAtMs < olderThanMs)
      .sort((a, b) => (a.publishedAtMs ?? 0) - (b.publishedAtMs ?? 0))
      .slice(0, Math.max(0, batchSize));
    if (doomed.length === 0) return 0;
    const gone = new Set(doomed);
    this.#rows = this.#rows.filter((row) => !gone.has(row));
    return doomed.length;
  }

  /** The published rows with this partition key. */
  publishedWithKey(key: string): number {
    return this.#rows.filter((row) => row.publishedAtMs !== null && row.event.key === key).length;
  }

  /** Deletes the published rows with this partition key; returns how many. */
  forgetPublished(key: string): number {
    const before = this.#rows.length;
    this.#rows = this.#rows.filter((row) => row.publishedAtMs === null || row.event.key !== key);
    return before - this.#rows.length;
  }

  /** The last error recorded for an event (not part of the port; for tests and diagnostics). */
  lastErrorOf(eventId: string): string | null | undefined {
    return this.#rows.find((row) => row.event.id === eventId)?.lastError;
  }
}
