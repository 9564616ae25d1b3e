import type { SecurityEvent, SecurityEventType } from '../domain/security-event.model.js';

/** Write side of the audit trail, bound to a unit of work (beside the outbox). */
export interface SecurityEventWriter {
  /** Adds events to the audit trail; they are visible only once the unit of work commits. */
  append(events: readonly SecurityEvent[]): Promise<void>;
  /**
   * Removes what could identify a person from the events of an erased account and from the events carrying one of
   * `loginHashes` (failed logins by its names): client address, user agent, session id and login hash. The type, the
   * time, the reason and the account id (now a tombstone's) stay, so the trail still counts what happened.
   */
  anonymize(accountId: string, loginHashes: readonly string[]): Promise<void>;
}

/** Where a page of security events starts: strictly older than this event (occurredAt, then id, descending). */
export interface SecurityEventCursor {
  occurredAt: Date;
  id: string;
}

/** Which events of one account to read. */
export interface SecurityEventQuery {
  accountId: string;
  /** Only these types; all when empty or absent. */
  types?: readonly SecurityEventType[];
  /** Only events at or after this instant. */
  since?: Date;
  /** Only events before this instant. */
  until?: Date;
  /** Only events strictly after the cursor in newest-first order. */
  after?: SecurityEventCursor;
  /** At most this many. */
  limit: number;
}

/** Read side of the audit trail, and its housekeeping. */
export interface SecurityEventStore {
  /** The account's events matching the query, newest first (occurredAt, then id, descending): a keyset page. */
  list(query: SecurityEventQuery): Promise<SecurityEvent[]>;
  /** Deletes at most `batchSize` events that occurred before `olderThan`, oldest first; returns how many. */
  prune(olderThan: Date, batchSize: number): Promise<number>;
}
