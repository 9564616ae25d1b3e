import { sql, type Kysely } from 'kysely';

// Accounts and their kind-specific profiles. Case-insensitive uniqueness lives in unique indexes on the
// normalized columns, so the database itself settles two racing registrations (see README "Schema").

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('user', 'artist')`))
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('USER', 'ARTIST', 'ADMIN')`))
    .addColumn('username', 'text', (col) => col.notNull())
    .addColumn('username_normalized', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('email_normalized', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('accounts_username_normalized_key').unique().on('accounts').column('username_normalized').execute();
  await db.schema.createIndex('accounts_email_normalized_key').unique().on('accounts').column('email_normalized').execute();

  await db.schema
    .createTable('user_profiles')
    .addColumn('account_id', 'uuid', (col) => col.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('gender', 'text', (col) =>
      col.notNull().check(sql`gender in ('female', 'male', 'non_binary', 'prefer_not_to_say')`),
    )
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('age', 'integer', (col) => col.notNull().check(sql`age >= 0`))
    .execute();

  await db.schema
    .createTable('artist_profiles')
    .addColumn('account_id', 'uuid', (col) => col.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('author_normalized', 'text', (col) => col.notNull())
    .addColumn('producer', 'text')
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('artist_profiles_author_normalized_key').unique().on('artist_profiles').column('author_normalized').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('artist_profiles').execute();
  await db.schema.dropTable('user_profiles').execute();
  await db.schema.dropTable('accounts').execute();
}
