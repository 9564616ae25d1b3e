import { sql, type Kysely } from 'kysely';

// Second factors (issue #20): TOTP authenticators, recovery codes, single-use sign-in challenges (MFA tickets, passkey
// ceremonies) and how each session was signed in. Rows of an account go with it (on delete cascade). Secrets are
// never stored in clear: TOTP secrets sealed by the service (AES-256-GCM), codes and challenges as SHA-256 digests.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('totp_factors')
    .addColumn('account_id', 'uuid', (col) => col.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('sealed_secret', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('last_used_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('recovery_codes_pkey', ['account_id', 'code_hash'])
    .execute();
  await db.schema
    .createTable('auth_challenges')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('account_id', 'uuid', (col) => col.references('accounts.id').onDelete('cascade'))
    .addColumn('data', 'jsonb', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  // Expired challenges are deleted as new ones are written, oldest first.
  await db.schema.createIndex('auth_challenges_expires_at_idx').on('auth_challenges').column('expires_at').execute();
  // The cascade from accounts finds an account's challenges by this index.
  await db.schema.createIndex('auth_challenges_account_id_idx').on('auth_challenges').column('account_id').execute();
  await db.schema
    .createTable('session_assurance')
    .addColumn('session_id', 'text', (col) => col.primaryKey())
    .addColumn('amr', sql`text[]`, (col) => col.notNull())
    .addColumn('auth_time', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('session_assurance_expires_at_idx').on('session_assurance').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('session_assurance').execute();
  await db.schema.dropTable('auth_challenges').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('totp_factors').execute();
}
