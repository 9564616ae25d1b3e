import type { OutgoingMail } from '../domain/outgoing-mail.model.js';
import type { MailBatchOutcome, MailListing, MailOutboxStats, PendingMail } from '../ports/mail-outbox-store.port.js';

interface MailRow {
  mail: OutgoingMail;
  attempts: number;
  rejections: number;
  lastError: string | null;
  nextAttemptAtMs: number;
  sentAtMs: number | null;
  abandonedAtMs: number | null;
  claimed: boolean;
}

/** Committed mail-outbox rows in commit order, like the SQL table. */
export class MailTable {
  #rows: MailRow[] = [];

  append(mails: readonly OutgoingMail[]): void {
    for (const mail of mails) {
      this.#rows.push({
        mail: structuredClone(mail),
        attempts: 0,
        rejections: 0,
        lastError: null,
        nextAttemptAtMs: mail.createdAt.getTime(),
        sentAtMs: null,
        abandonedAtMs: null,
        claimed: false,
      });
    }
  }

  /** Deletes every mail to or about the account, sent or not. */
  removeAccount(accountId: string): void {
    this.#rows = this.#rows.filter((row) => row.mail.accountId !== accountId);
  }

  claim(limit: number, nowMs: number): { rows: MailRow[]; mails: PendingMail[] } {
    const rows = this.#rows.filter((row) => this.#pending(row) && !row.claimed && row.nextAttemptAtMs <= nowMs).slice(0, Math.max(0, limit));
    for (const row of rows) row.claimed = true;
    return { rows, mails: rows.map((row) => ({ ...structuredClone(row.mail), attempts: row.attempts, rejections: row.rejections })) };
  }

  settle(rows: readonly MailRow[], outcome: MailBatchOutcome | null, nowMs: number): void {
    const sent = new Set(outcome?.sent ?? []);
    const failed = new Map((outcome?.failed ?? []).map((failure) => [failure.id, failure]));
    const abandoned = new Map((outcome?.abandoned ?? []).map((entry) => [entry.id, entry]));
    for (const row of rows) {
      row.claimed = false;
      const id = row.mail.id;
      if (sent.has(id)) {
        row.sentAtMs = nowMs;
        row.mail.sealedToken = null; // no longer needed: a sent mail keeps no token, even sealed
        continue;
      }
      const failure = failed.get(id);
      if (failure) {
        row.attempts += 1;
        if (failure.rejected) row.rejections += 1;
        row.lastError = failure.error;
        row.nextAttemptAtMs = failure.retryAt.getTime();
        continue;
      }
      const given = abandoned.get(id);
      if (given) {
        row.attempts += 1;
        row.lastError = given.error;
        row.abandonedAtMs = nowMs;
        row.mail.sealedToken = null;
      }
    }
  }

  stats(now: Date): MailOutboxStats {
    let pending = 0;
    let failing = 0;
    let abandoned = 0;
    let oldestMs: number | null = null;
    for (const row of this.#rows) {
      if (row.abandonedAtMs !== null) abandoned += 1;
      if (!this.#pending(row)) continue;
      pending += 1;
      if (row.attempts > 0) failing += 1;
      const created = row.mail.createdAt.getTime();
      if (oldestMs === null || created < oldestMs) oldestMs = created;
    }
    return { pending, failing, abandoned, oldestPendingAgeMs: oldestMs === null ? null : now.getTime() - oldestMs };
  }

  list(limit: number): MailListing[] {
    const pending = this.#rows.filter((row) => this.#pending(row));
    const abandoned = this.#rows.filter((row) => row.abandonedAtMs !== null);
    return [...pending, ...abandoned].slice(0, Math.max(0, limit)).map((row) => ({
      id: row.mail.id,
      kind: row.mail.kind,
      to: row.mail.to,
      state: row.abandonedAtMs === null ? 'pending' : 'abandoned',
      attempts: row.attempts,
      lastError: row.lastError,
      nextAttemptAt: row.abandonedAtMs === null ? new Date(row.nextAttemptAtMs) : null,
      createdAt: new Date(row.mail.createdAt),
    }));
  }

  pruneSent(olderThanMs: number, batchSize: number): number {
    const doomed = new Set(this.#rows.filter((row) => row.sentAtMs !== null && row.sentAtMs < olderThanMs).slice(0, Math.max(0, batchSize)));
    this.#rows = this.#rows.filter((row) => !doomed.has(row));
    return doomed.size;
  }

  #pending(row: MailRow): boolean {
    return row.sentAtMs === null && row.abandonedAtMs === null;
  }
}
