import { sql, type Kysely } from 'kysely';

// The end of an account (issue #19, decision 0010): `deleted_at` marks an account deleted and awaiting its erasure;
// the partial index finds the ones due for housekeeping without reading the others. An erased account leaves only a
// tombstone of its id, which no insert may take again.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('deleted_at', 'timestamptz').execute();
  await sql`create index accounts_deleted_at_idx on accounts (deleted_at, id) where deleted_at is not null`.execute(db);
  await db.schema
    .createTable('account_tombstones')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('erased_at', 'timestamptz', (col) => col.notNull())
    .execute();
  // Checked by the database on every insert (no extra round trip for a registration): an erased id is refused.
  await sql`create function authsvc_refuse_erased_account_id() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from account_tombstones where id = new.id) then
        raise exception 'account id % belonged to an erased account and is never given again', new.id;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger accounts_refuse_erased_id before insert on accounts for each row execute function authsvc_refuse_erased_account_id()`.execute(db);
  // The erasure deletes an account's mail by its account id (mail_outbox has no foreign key: a mail outlives nothing).
  await db.schema.createIndex('mail_outbox_account_id_idx').on('mail_outbox').column('account_id').execute();
  // The erasure scrubs an account's security events; failed logins by an unknown name are found by their hash.
  await db.schema.createIndex('security_events_login_hash_idx').on('security_events').column('login_hash').where(sql.ref('login_hash'), 'is not', null).execute();
  // The erasure deletes the published events of an account by their key.
  await db.schema.createIndex('outbox_key_idx').on('outbox').column('key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_key_idx').execute();
  await db.schema.dropIndex('security_events_login_hash_idx').execute();
  await db.schema.dropIndex('mail_outbox_account_id_idx').execute();
  await sql`drop trigger accounts_refuse_erased_id on accounts`.execute(db);
  await sql`drop function authsvc_refuse_erased_account_id()`.execute(db);
  await db.schema.dropTable('account_tombstones').execute();
  await sql`drop index accounts_deleted_at_idx`.execute(db);
  await db.schema.alterTable('accounts').dropColumn('deleted_at').execute();
}
