import type { OutgoingMail } from '../domain/outgoing-mail.model.js';

/** A mail waiting for delivery, as the worker sees it. */
export interface PendingMail extends OutgoingMail {
  /** Failed delivery attempts so far. */
  attempts: number;
  /** Of those, attempts the mail server refused permanently (5xx). */
  rejections: number;
}

/** What the worker did with a claimed batch. Mails in no list stay pending, unchanged (abandoned on shutdown). */
export interface MailBatchOutcome {
  /** Mails the server accepted. */
  sent: readonly string[];
  /** Mails that failed and are tried again at `retryAt`; `rejected`: the server refused it permanently (5xx). */
  failed: readonly { id: string; error: string; retryAt: Date; rejected: boolean }[];
  /** Mails given up for good (too many tries), with the last error. */
  abandoned: readonly { id: string; error: string }[];
}

/** The mail outbox as an operator sees it. */
export interface MailOutboxStats {
  /** Mails waiting to be sent (failed ones included). */
  pending: number;
  /** Pending mails that failed at least once. */
  failing: number;
  /** Mails given up for good. */
  abandoned: number;
  /** Age of the oldest pending mail in ms, or null when there is none. */
  oldestPendingAgeMs: number | null;
}

/** One mail in an operator's listing: never the sealed token. */
export interface MailListing {
  id: string;
  kind: OutgoingMail['kind'];
  to: string;
  state: 'pending' | 'abandoned';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** Delivery side of the mail outbox. */
export interface MailOutboxStore {
  /**
   * Claims up to `limit` due pending mails, oldest first, runs `deliver` while holding the claim (no other worker
   * can claim them), then applies the returned outcome. If `deliver` throws or the process dies, nothing is marked
   * and every mail stays claimable. Returns the number claimed.
   */
  processBatch(limit: number, deliver: (mails: readonly PendingMail[]) => Promise<MailBatchOutcome>, now: Date): Promise<number>;
  /** Counts of pending, failing and abandoned mail. */
  stats(now: Date): Promise<MailOutboxStats>;
  /** Up to `limit` pending then abandoned mails, oldest first, without their tokens. */
  list(limit: number): Promise<MailListing[]>;
  /** Deletes at most `batchSize` mails sent before `olderThan`; returns how many. */
  pruneSent(olderThan: Date, batchSize: number): Promise<number>;
}
