import { sql, type Kysely } from 'kysely';

// The audit trail of security events (decision 0009). Rows are written with their outbox rows in one transaction and
// pruned after the retention period by the relay's housekeeping. Every index serves one query of the store.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('security_events')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    // No foreign key: a failed login for an unknown name has no account, and the trail outlives a deleted account.
    .addColumn('account_id', 'uuid')
    .addColumn('session_id', 'text')
    .addColumn('client_address', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('reason', 'text')
    .addColumn('login_hash', 'text')
    .addColumn('session_count', 'integer')
    .execute();
  // ListSecurityEvents: one account's events newest first, the keyset (occurred_at, id) descending.
  await db.schema
    .createIndex('security_events_account_time_idx')
    .on('security_events')
    .columns(['account_id', 'occurred_at desc', 'id desc'])
    .where(sql.ref('account_id'), 'is not', null)
    .execute();
  // Pruning after the retention period, oldest first.
  await db.schema.createIndex('security_events_occurred_at_idx').on('security_events').column('occurred_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('security_events').execute();
}
