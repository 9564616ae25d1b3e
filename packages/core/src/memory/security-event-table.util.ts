import type { SecurityEvent } from '../domain/security-event.model.js';
import type { SecurityEventQuery } from '../ports/security-event-store.port.js';

/** Newest first: occurredAt, then id, descending (the order of the SQL index). */
const newestFirst = (a: SecurityEvent, b: SecurityEvent): number =>
  b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The committed audit trail in memory, kept newest first. */
export class SecurityEventTable {
  #rows: SecurityEvent[] = [];

  append(events: readonly SecurityEvent[]): void {
    this.#rows.push(...events.map((event) => structuredClone(event)));
    this.#rows.sort(newestFirst);
  }

  list(query: SecurityEventQuery): SecurityEvent[] {
    const types = query.types && query.types.length > 0 ? new Set(query.types) : null;
    const page: SecurityEvent[] = [];
    for (const row of this.#rows) {
      if (page.length >= query.limit) break;
      if (row.accountId !== query.accountId) continue;
      if (types && !types.has(row.type)) continue;
      const at = row.occurredAt.getTime();
      if (query.since && at < query.since.getTime()) continue;
      if (query.until && at >= query.until.getTime()) continue;
      if (query.after && newestFirst(row, { ...row, occurredAt: query.after.occurredAt, id: query.after.id }) <= 0) continue;
      page.push(structuredClone(row));
    }
    return page;
  }

  /** Drops the identifying fields of the account's events and of the events with one of `loginHashes`. */
  anonymize(accountId: string, loginHashes: readonly string[]): void {
    const hashes = new Set(loginHashes);
    for (const row of this.#rows) {
      if (row.accountId !== accountId && (row.loginHash === null || !hashes.has(row.loginHash))) continue;
      row.clientAddress = null;
      row.userAgent = null;
      row.sessionId = null;
      row.loginHash = null;
    }
  }

  prune(olderThanMs: number, batchSize: number): number {
    const doomed = this.#rows
      .filter((row) => row.occurredAt.getTime() < olderThanMs)
      .slice(-Math.max(0, batchSize));
    if (doomed.length === 0 || batchSize <= 0) return 0;
    const gone = new Set(doomed);
    this.#rows = this.#rows.filter((row) => !gone.has(row));
    return doomed.length;
  }
}
