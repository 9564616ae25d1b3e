import type { Account, AccountPatch, AccountWriter } from '@authsvc/core';
import { normalizeAuthor, normalizeEmail, normalizeUsername } from '@authsvc/core';
import type { Transaction, Updateable } from 'kysely';
import type { AccountsTable, ArtistProfilesTable, Schema, UserProfilesTable } from '../schema/database-schema.types.js';
import { isUuid } from './account-row.codec.js';
import { PostgresAccountReader } from './postgres-account-reader.adapter.js';

/** Reads and writes accounts inside one transaction; only the unit of work creates it. */
export class PostgresAccountRepository extends PostgresAccountReader implements AccountWriter {
  constructor(private readonly trx: Transaction<Schema>) {
    super(trx);
  }

  async insert(account: Account): Promise<void> {
    // An erased id (account_tombstones) is refused by the trigger of migration 0008.
    await this.trx
      .insertInto('accounts')
      .values({
        id: account.id,
        kind: account.kind,
        role: account.role,
        username: account.username,
        username_normalized: normalizeUsername(account.username),
        email: account.email,
        email_normalized: normalizeEmail(account.email),
        password_hash: account.passwordHash,
        email_verified_at: account.emailVerifiedAt,
        created_at: account.createdAt,
        updated_at: account.updatedAt,
        disabled_reason: account.disabled?.reason ?? null,
        disabled_since: account.disabled?.since ?? null,
        disabled_until: account.disabled?.until ?? null,
        deleted_at: account.deletedAt,
      })
      .execute();
    if (account.kind === 'user') {
      await this.trx
        .insertInto('user_profiles')
        .values({ account_id: account.id, gender: account.gender, country: account.country, age: account.age })
        .execute();
    } else {
      await this.trx
        .insertInto('artist_profiles')
        .values({
          account_id: account.id,
          author: account.author,
          author_normalized: normalizeAuthor(account.author),
          producer: account.producer,
          country: account.country,
          description: account.description,
        })
        .execute();
    }
  }

  async update(id: string, patch: AccountPatch, updatedAt: Date): Promise<Account | null> {
    if (!isUuid(id)) return null;
    // Writing the accounts row first also locks it, so concurrent updates of one account serialize here.
    const found = await this.trx
      .updateTable('accounts')
      .set(accountChanges(patch, updatedAt))
      .where('id', '=', id)
      .returning('kind')
      .executeTakeFirst();
    if (!found) return null;
    if (found.kind === 'user') {
      const changes = userChanges(patch);
      if (Object.keys(changes).length > 0) {
        await this.trx.updateTable('user_profiles').set(changes).where('account_id', '=', id).execute();
      }
    } else {
      const changes = artistChanges(patch);
      if (Object.keys(changes).length > 0) {
        await this.trx.updateTable('artist_profiles').set(changes).where('account_id', '=', id).execute();
      }
    }
    return this.findById(id);
  }

  async erase(id: string, deletedBefore: Date, erasedAt: Date): Promise<Account | null> {
    if (!isUuid(id)) return null;
    // The lock first: a restore that committed meanwhile is seen (the condition is evaluated again on the new row).
    const locked = await this.trx
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', id)
      .where('deleted_at', 'is not', null)
      .where('deleted_at', '<=', deletedBefore)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return null;
    const account = await this.findById(id);
    if (account === null) return null;
    // Profiles, mailed tokens, TOTP factors, recovery codes and challenges go with the row (on delete cascade).
    await this.trx.deleteFrom('accounts').where('id', '=', id).execute();
    await this.trx.deleteFrom('mail_outbox').where('account_id', '=', id).execute();
    await this.trx.insertInto('account_tombstones').values({ id, erased_at: erasedAt }).execute();
    return account;
  }

  async lockAdmins(): Promise<string[]> {
    // FOR UPDATE under READ COMMITTED: a transaction that waits here re-reads each row once its holder commits, so
    // an admin demoted meanwhile drops out. The id order makes every caller lock in the same order (no deadlock
    // between two of them).
    const rows = await this.trx.selectFrom('accounts').select('id').where('role', '=', 'ADMIN').orderBy('id').forUpdate().execute();
    return rows.map((row) => row.id);
  }
}

function accountChanges(patch: AccountPatch, updatedAt: Date): Updateable<AccountsTable> {
  const changes: Updateable<AccountsTable> = { updated_at: updatedAt };
  if (patch.username !== undefined) {
    changes.username = patch.username;
    changes.username_normalized = normalizeUsername(patch.username);
  }
  if (patch.email !== undefined) {
    changes.email = patch.email;
    changes.email_normalized = normalizeEmail(patch.email);
  }
  if (patch.passwordHash !== undefined) changes.password_hash = patch.passwordHash;
  if (patch.emailVerifiedAt !== undefined) changes.email_verified_at = patch.emailVerifiedAt;
  if (patch.role !== undefined) changes.role = patch.role;
  if (patch.deletedAt !== undefined) changes.deleted_at = patch.deletedAt;
  if (patch.disabled !== undefined) {
    changes.disabled_reason = patch.disabled?.reason ?? null;
    changes.disabled_since = patch.disabled?.since ?? null;
    changes.disabled_until = patch.disabled?.until ?? null;
  }
  return changes;
}

function userChanges(patch: AccountPatch): Updateable<UserProfilesTable> {
  const changes: Updateable<UserProfilesTable> = {};
  if (patch.gender !== undefined) changes.gender = patch.gender;
  if (patch.country !== undefined) changes.country = patch.country;
  if (patch.age !== undefined) changes.age = patch.age;
  return changes;
}

function artistChanges(patch: AccountPatch): Updateable<ArtistProfilesTable> {
  const changes: Updateable<ArtistProfilesTable> = {};
  if (patch.author !== undefined) {
    changes.author = patch.author;
    changes.author_normalized = normalizeAuthor(patch.author);
  }
  if (patch.producer !== undefined) changes.producer = patch.producer;
  if (patch.country !== undefined) changes.country = patch.country;
  if (patch.description !== undefined) changes.description = patch.description;
  return changes;
}
