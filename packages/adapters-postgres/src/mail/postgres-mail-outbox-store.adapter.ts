import type { Clock, MailBatchOutcome, MailListing, MailOutboxStats, MailOutboxStore, PendingMail } from '@authsvc/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { MailOutboxTable, Schema } from '../schema/database-schema.types.js';

export interface MailOutboxStoreOptions {
  /** Time source for sent_at, abandoned_at and stats. Default: the system clock. */
  clock?: Clock;
  /** How long a claim holds its mails; a worker that dies releases them by expiry. Default 5 minutes. */
  leaseMs?: number;
  /** Longest last_error kept, in characters. Default 1000. */
  maxErrorLength?: number;
}

const systemClock: Clock = { now: () => new Date() };

const toPending = (row: Selectable<MailOutboxTable>): PendingMail => ({
  id: row.id,
  kind: row.kind,
  to: row.recipient,
  accountId: row.account_id,
  username: row.username,
  sealedToken: row.sealed_token,
  newEmail: row.new_email,
  ...(row.device === null ? {} : { device: { userAgent: row.device.userAgent, clientAddress: row.device.clientAddress } }),
  createdAt: row.created_at,
  attempts: row.attempts,
  rejections: row.rejections,
});

/**
 * The delivery side of the mail outbox on PostgreSQL or PGlite. A claim is a lease written in a short transaction
 * (FOR UPDATE SKIP LOCKED, so concurrent workers take different mails), not a transaction held while the mail
 * server answers: no connection, and on PGlite no whole database, waits for SMTP. The outcome is written in a second
 * short transaction; a worker that dies leaves its mails to the next claim after the lease.
 */
export class PostgresMailOutboxStore implements MailOutboxStore {
  readonly #clock: Clock;
  readonly #leaseMs: number;
  readonly #maxErrorLength: number;

  constructor(
    private readonly db: Kysely<Schema>,
    options: MailOutboxStoreOptions = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#maxErrorLength = options.maxErrorLength ?? 1_000;
  }

  async processBatch(limit: number, deliver: (mails: readonly PendingMail[]) => Promise<MailBatchOutcome>, now: Date): Promise<number> {
    if (limit <= 0) return 0;
    const leasedUntil = new Date(now.getTime() + this.#leaseMs);
    const rows = await this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('mail_outbox')
        .select('id')
        .where('sent_at', 'is', null)
        .where('abandoned_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('mail_outbox')
        .set({ claimed_until: leasedUntil })
        .where('id', 'in', due.map((row) => row.id))
        .returningAll()
        .execute();
    });
    if (rows.length === 0) return 0;
    rows.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime() || a.created_at.getTime() - b.created_at.getTime());
    const ids = rows.map((row) => row.id);
    let outcome: MailBatchOutcome;
    try {
      outcome = await deliver(rows.map(toPending));
    } catch (error) {
      await this.db.updateTable('mail_outbox').set({ claimed_until: null }).where('id', 'in', ids).execute();
      throw error;
    }
    await this.#apply(new Set(ids), outcome);
    return rows.length;
  }

  async #apply(claimed: ReadonlySet<string>, outcome: MailBatchOutcome): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const at = this.#clock.now();
      const sent = outcome.sent.filter((id) => claimed.has(id));
      // A sent or abandoned mail no longer needs its token, even sealed.
      if (sent.length > 0) await trx.updateTable('mail_outbox').set({ sent_at: at, sealed_token: null, claimed_until: null }).where('id', 'in', sent).execute();
      for (const failure of outcome.failed) {
        if (!claimed.has(failure.id)) continue;
        await trx
          .updateTable('mail_outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            rejections: failure.rejected ? eb('rejections', '+', 1) : eb.ref('rejections'),
            last_error: failure.error.slice(0, this.#maxErrorLength),
            next_attempt_at: failure.retryAt,
            claimed_until: null,
          }))
          .where('id', '=', failure.id)
          .execute();
      }
      for (const given of outcome.abandoned) {
        if (!claimed.has(given.id)) continue;
        await trx
          .updateTable('mail_outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: given.error.slice(0, this.#maxErrorLength),
            abandoned_at: at,
            sealed_token: null,
            claimed_until: null,
          }))
          .where('id', '=', given.id)
          .execute();
      }
      // Mails in no list (the worker stopped before them) are released for the next claim.
      const settled = new Set([...sent, ...outcome.failed.map((f) => f.id), ...outcome.abandoned.map((a) => a.id)]);
      const untouched = [...claimed].filter((id) => !settled.has(id));
      if (untouched.length > 0) await trx.updateTable('mail_outbox').set({ claimed_until: null }).where('id', 'in', untouched).execute();
    });
  }

  async stats(now: Date): Promise<MailOutboxStats> {
    const row = await this.db
      .selectFrom('mail_outbox')
      .select([
        sql<number>`(count(*) filter (where sent_at is null and abandoned_at is null))::int`.as('pending'),
        sql<number>`(count(*) filter (where sent_at is null and abandoned_at is null and attempts > 0))::int`.as('failing'),
        sql<number>`(count(*) filter (where abandoned_at is not null))::int`.as('abandoned'),
        sql<Date | null>`min(created_at) filter (where sent_at is null and abandoned_at is null)`.as('oldest'),
      ])
      .executeTakeFirstOrThrow();
    const oldest = row.oldest === null ? null : new Date(row.oldest);
    return { pending: row.pending, failing: row.failing, abandoned: row.abandoned, oldestPendingAgeMs: oldest === null ? null : now.getTime() - oldest.getTime() };
  }

  async list(limit: number): Promise<MailListing[]> {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select(['id', 'kind', 'recipient', 'attempts', 'last_error', 'next_attempt_at', 'created_at', 'abandoned_at'])
      .where('sent_at', 'is', null)
      .orderBy(sql`abandoned_at is not null`)
      .orderBy('created_at')
      .limit(Math.max(0, limit))
      .execute();
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      to: row.recipient,
      state: row.abandoned_at === null ? 'pending' : 'abandoned',
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: row.abandoned_at === null ? row.next_attempt_at : null,
      createdAt: row.created_at,
    }));
  }

  async pruneSent(olderThan: Date, batchSize: number): Promise<number> {
    const result = await this.db
      .deleteFrom('mail_outbox')
      .where('id', 'in', (eb) => eb.selectFrom('mail_outbox').select('id').where('sent_at', '<', olderThan).orderBy('sent_at').limit(Math.max(0, batchSize)))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
