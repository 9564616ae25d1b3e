import { sql, type Kysely } from 'kysely';

// The end of an account and its administration (docs/decisions/0010-account-lifecycle.md): an admin's disable
// (reason, since, optional until), and the indexes of SearchAccounts. The search orders by the normalized username
// or email in the "C" collation (byte order), so a prefix is one index range whatever the database's collation,
// and by (created_at, id) without a prefix. The unique indexes of 0001 stay what settles registrations.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_since', 'timestamptz')
    .addColumn('disabled_until', 'timestamptz')
    .execute();
  await sql`create index accounts_username_search_idx on accounts (username_normalized collate "C")`.execute(db);
  await sql`create index accounts_email_search_idx on accounts (email_normalized collate "C")`.execute(db);
  await sql`create index accounts_created_search_idx on accounts (created_at, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index accounts_created_search_idx`.execute(db);
  await sql`drop index accounts_email_search_idx`.execute(db);
  await sql`drop index accounts_username_search_idx`.execute(db);
  await db.schema.alterTable('accounts').dropColumn('disabled_until').dropColumn('disabled_since').dropColumn('disabled_reason').execute();
}
