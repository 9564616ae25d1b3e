import type { Kysely } from 'kysely';

// New-device notices (issue #18): the devices each account signed in from, as fingerprints (a SHA-256 digest of the
// user agent and the network prefix: neither is stored here), and the device a new-device mail reports. Rows of an
// account go with it (on delete cascade).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('known_devices')
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('first_seen_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('known_devices_pkey', ['account_id', 'fingerprint'])
    .execute();
  // For a new-device mail: the user agent and address of the sign-in it reports (null for every other kind).
  await db.schema.alterTable('mail_outbox').addColumn('device', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('device').execute();
  await db.schema.dropTable('known_devices').execute();
}
