import type { MailOutboxWriter, OutgoingMail } from '@authsvc/core';
import type { Transaction } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';

/** Queues mails inside the unit of work's transaction: the worker sees them only once it commits. */
export class PostgresMailOutboxWriter implements MailOutboxWriter {
  #queued = 0;

  constructor(private readonly trx: Transaction<Schema>) {}

  /** How many mails this unit of work queued. */
  get queued(): number {
    return this.#queued;
  }

  async enqueue(mails: readonly OutgoingMail[]): Promise<void> {
    if (mails.length === 0) return;
    await this.trx
      .insertInto('mail_outbox')
      .values(
        mails.map((mail) => ({
          id: mail.id,
          kind: mail.kind,
          recipient: mail.to,
          account_id: mail.accountId,
          username: mail.username,
          sealed_token: mail.sealedToken,
          new_email: mail.newEmail,
          device: mail.device ?? null,
          created_at: mail.createdAt,
          next_attempt_at: mail.createdAt,
        })),
      )
      .execute();
    this.#queued += mails.length;
  }
}
