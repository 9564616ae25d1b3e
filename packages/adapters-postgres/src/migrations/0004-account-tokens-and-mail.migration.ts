import { sql, type Kysely } from 'kysely';

// Email verification, password reset and email change: when an address was verified, the mailed tokens (their
// hashes only) and the mail outbox the delivery worker sends from.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('email_verified_at', 'timestamptz').execute();

  // One live token per account and purpose: issuing a new one replaces the row (the earlier token is void), redeeming
  // deletes it (single use), so the table never grows beyond three rows per account.
  await db.schema
    .createTable('account_tokens')
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (col) => col.notNull().check(sql`purpose in ('verify-email', 'reset-password', 'change-email')`))
    .addColumn('token_hash', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('account_tokens_pkey', ['account_id', 'purpose'])
    .execute();
  // Redemption looks a token up by its hash.
  await db.schema.createIndex('account_tokens_token_hash_key').on('account_tokens').column('token_hash').unique().execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('recipient', 'text', (col) => col.notNull())
    // No foreign key: a queued mail (a notice to a former address) may outlive what it reports on.
    .addColumn('account_id', 'uuid', (col) => col.notNull())
    .addColumn('username', 'text', (col) => col.notNull())
    .addColumn('sealed_token', 'text')
    .addColumn('new_email', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('rejections', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('abandoned_at', 'timestamptz')
    .execute();
  // The claim: pending mails by due time.
  await db.schema
    .createIndex('mail_outbox_pending_idx')
    .on('mail_outbox')
    .columns(['next_attempt_at', 'created_at'])
    .where(sql<boolean>`sent_at is null and abandoned_at is null`)
    .execute();
  // Pruning of sent mails.
  await db.schema.createIndex('mail_outbox_sent_at_idx').on('mail_outbox').column('sent_at').where(sql.ref('sent_at'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.dropTable('account_tokens').execute();
  await db.schema.alterTable('accounts').dropColumn('email_verified_at').execute();
}
