import type { Account, AccountImportStore, ArtistAccount, ImportedAccount, ImportOutcome, UserAccount } from '@authsvc/core';
import { normalizeAuthor, normalizeEmail, normalizeUsername } from '@authsvc/core';
import { sql, type Kysely, type Transaction } from 'kysely';
import { OUTBOX_CHANNEL, type Schema } from '../schema/database-schema.types.js';

/**
 * Imports a batch with a handful of statements in one transaction, whatever the batch size. Each statement takes its
 * rows as one array per column (`insert ... select from unnest($1::uuid[], ...)`): a few parameters instead of ten per
 * row, so PostgreSQL parses and plans a small statement and the driver sends compact arrays.
 * 1. accounts rows with `ON CONFLICT DO NOTHING` (any unique index: id, username, email), none with an erased id
 *    (account_tombstones), `RETURNING id`;
 * 2. the profiles of the inserted ones; artists' with `ON CONFLICT DO NOTHING` on the stage-name index, and the
 *    accounts rows of the artists whose stage name was taken deleted again (nothing half-written);
 * 3. why each account not inserted was not: its id stored (`exists`), else its username or email taken;
 * 4. the outbox rows of the inserted accounts, in batch order, and one NOTIFY for the relays.
 * No statement ever fails on a clash, so a clash costs no rollback of the batch.
 */
export class PostgresAccountImport implements AccountImportStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertNew(batch: readonly ImportedAccount[]): Promise<ImportOutcome[]> {
    if (batch.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const accounts = batch.map(({ account }) => ({ ...account, id: account.id.toLowerCase() }));
      const inserted = await insertAccounts(trx, accounts);
      const users = accounts.filter((a): a is UserAccount => a.kind === 'user' && inserted.has(a.id));
      const artists = accounts.filter((a): a is ArtistAccount => a.kind === 'artist' && inserted.has(a.id));
      if (users.length > 0) {
        await sql`insert into user_profiles (account_id, gender, country, age)
          select * from unnest(${users.map((a) => a.id)}::uuid[], ${users.map((a) => a.gender)}::text[], ${users.map((a) => a.country)}::text[], ${users.map((a) => a.age)}::integer[])`.execute(trx);
      }
      const authorTaken = new Set<string>();
      if (artists.length > 0) {
        const profiled = await sql<{ account_id: string }>`insert into artist_profiles (account_id, author, author_normalized, producer, country, description)
          select * from unnest(${artists.map((a) => a.id)}::uuid[], ${artists.map((a) => a.author)}::text[], ${artists.map((a) => normalizeAuthor(a.author))}::text[],
            ${artists.map((a) => a.producer)}::text[], ${artists.map((a) => a.country)}::text[], ${artists.map((a) => a.description)}::text[])
          on conflict do nothing returning account_id`.execute(trx);
        const withProfile = new Set(profiled.rows.map((row) => row.account_id));
        for (const artist of artists) if (!withProfile.has(artist.id)) authorTaken.add(artist.id);
        if (authorTaken.size > 0) await trx.deleteFrom('accounts').where('id', 'in', [...authorTaken]).execute();
      }

      const outcomes = await this.outcomes(trx, accounts, inserted, authorTaken);
      const events = batch.flatMap(({ events: list }, at) => (outcomes[at] === 'inserted' ? list : []));
      if (events.length > 0) {
        // WITH ORDINALITY: the identity column numbers the rows in batch order, the order the relay publishes in.
        await sql`insert into outbox (id, type, topic, key, payload, headers, created_at, next_attempt_at)
          select id, type, topic, key, payload, headers, created_at, created_at from unnest(
            ${events.map((e) => e.id)}::uuid[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.topic)}::text[], ${events.map((e) => e.key)}::text[],
            ${events.map((e) => JSON.stringify(e.payload))}::jsonb[], ${events.map((e) => JSON.stringify(e.headers))}::jsonb[], ${events.map((e) => e.createdAt.toISOString())}::timestamptz[]
          ) with ordinality as e(id, type, topic, key, payload, headers, created_at, ord) order by ord`.execute(trx);
        await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
      }
      return outcomes;
    });
  }
  private async outcomes(trx: Transaction<Schema>, accounts: Account[], inserted: Set<string>, authorTaken: Set<string>): Promise<ImportOutcome[]> {
    const missing = accounts.filter((a) => !inserted.has(a.id));
    const stored = new Set<string>();
    const takenNames = new Set<string>();
    if (missing.length > 0) {
      // An erased account's id counts as stored: it is never given again.
      const byId = await sql<{ id: string }>`select id from accounts where id = any(${missing.map((a) => a.id)}::uuid[])
        union select id from account_tombstones where id = any(${missing.map((a) => a.id)}::uuid[])`.execute(trx);
      for (const row of byId.rows) stored.add(row.id);
      const clashing = missing.filter((a) => !stored.has(a.id));
      if (clashing.length > 0) {
        const names = await sql<{ username_normalized: string }>`select username_normalized from accounts
          where username_normalized = any(${clashing.map((a) => normalizeUsername(a.username))}::text[])`.execute(trx);
        for (const row of names.rows) takenNames.add(row.username_normalized);
      }
    }
    return accounts.map((a): ImportOutcome => {
      if (authorTaken.has(a.id)) return 'AUTHOR_TAKEN';
      if (inserted.has(a.id)) return 'inserted';
      if (stored.has(a.id)) return 'exists';
      return takenNames.has(normalizeUsername(a.username)) ? 'USERNAME_TAKEN' : 'EMAIL_TAKEN';
    });
  }
}

async function insertAccounts(trx: Transaction<Schema>, accounts: Account[]): Promise<Set<string>> {
  const column = <T>(read: (a: Account) => T): T[] => accounts.map(read);
  const { rows } = await sql<{ id: string }>`insert into accounts (id, kind, role, username, username_normalized, email, email_normalized, password_hash, created_at, updated_at)
    select * from unnest(${column((a) => a.id)}::uuid[], ${column((a) => a.kind)}::text[], ${column((a) => a.role)}::text[],
      ${column((a) => a.username)}::text[], ${column((a) => normalizeUsername(a.username))}::text[],
      ${column((a) => a.email)}::text[], ${column((a) => normalizeEmail(a.email))}::text[], ${column((a) => a.passwordHash)}::text[],
      ${column((a) => a.createdAt.toISOString())}::timestamptz[], ${column((a) => a.updatedAt.toISOString())}::timestamptz[])
      as x(id, kind, role, username, username_normalized, email, email_normalized, password_hash, created_at, updated_at)
    where not exists (select 1 from account_tombstones t where t.id = x.id)
    on conflict do nothing returning id`.execute(trx);
  return new Set(rows.map((row) => row.id));
}
