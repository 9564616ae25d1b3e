import type { AccountReader, UnitOfWork, OutboxRelayStore, EventPublisher, OutboxEvent, MailOutboxStore } from '@authsvc/core';

/** Account storage as the account-store and unit-of-work contract suites see it. */
export interface AccountStore {
  accounts: AccountReader;
  unitOfWork: UnitOfWork;
  /**
   * The relay side of the same store, when it has one: the suite then also checks that the outbox events
   * written with the accounts commit and roll back with them. It only inspects events, never marks them.
   */
  relayStore?: OutboxRelayStore;
}

/** Outbox storage: the write side (through a unit of work) and the relay side of the same store. */
export interface OutboxStore {
  unitOfWork: UnitOfWork;
  relayStore: OutboxRelayStore;
  /**
   * The last publish error stored for an event (not part of the port, so optional): when given, the suite checks
   * that a failure's error text is kept. A test-only query is fine (e.g. SELECT last_error ... WHERE id = $1).
   */
  lastErrorOf?(eventId: string): Promise<string | null | undefined>;
}

/** A publisher plus a way to read back, independently, what reached the broker. */
export interface EventPublisherUnderTest {
  publisher: EventPublisher;
  /** Topic names the suite may publish to (fresh for this run). */
  topics: { userCreated: string; artistCreated: string };
  /** Every event that reached `topic` so far, in partition order per key, waiting up to `timeoutMs` for at least `atLeast`. */
  readBack(topic: string, atLeast: number, timeoutMs: number): Promise<PublishedMessage[]>;
}

/** One message as a consumer sees it. */
export interface PublishedMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export type { OutboxEvent };

/** Mailed tokens and the mail outbox: both written through the unit of work, the outbox read by the delivery side. */
export interface TokenAndMailStore {
  unitOfWork: UnitOfWork;
  mailStore: MailOutboxStore;
}
