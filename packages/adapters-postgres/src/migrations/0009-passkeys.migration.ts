import { sql, type Kysely } from 'kysely';

// Passkeys (issue #20): WebAuthn credentials registered by accounts, as second factors and for passwordless sign-in.
// The credential id is unique across accounts (a passwordless sign-in finds the account by it). Their ceremonies'
// challenges live in auth_challenges (0007). Rows go with their account (on delete cascade).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('passkeys')
    .addColumn('credential_id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('public_key', 'bytea', (col) => col.notNull())
    .addColumn('counter', 'bigint', (col) => col.notNull())
    .addColumn('transports', sql`text[]`, (col) => col.notNull())
    .addColumn('device_type', 'text', (col) => col.notNull())
    .addColumn('backed_up', 'boolean', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  // An account's passkeys (enrolledFactors, ListPasskeys, the cascade).
  await db.schema.createIndex('passkeys_account_id_idx').on('passkeys').columns(['account_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('passkeys').execute();
}
