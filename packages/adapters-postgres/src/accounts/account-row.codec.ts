import type { Kysely, Transaction } from 'kysely';
import type { Account, ArtistAccount, Gender, Role, UserAccount } from '@authsvc/core';
import type { Schema } from '../schema/database-schema.types.js';

/** Kysely handle usable for reads: the pool or a transaction. */
export type Queryable = Kysely<Schema> | Transaction<Schema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be compared with a uuid column; anything else would make PostgreSQL raise 22P02. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** An account with both profile joins; exactly one of them matches, according to `kind`. */
export function selectAccounts(db: Queryable) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('user_profiles as u', 'u.account_id', 'a.id')
    .leftJoin('artist_profiles as p', 'p.account_id', 'a.id')
    .select([
      'a.id', 'a.kind', 'a.role', 'a.username', 'a.email', 'a.password_hash', 'a.email_verified_at', 'a.created_at', 'a.updated_at',
      'a.disabled_reason', 'a.disabled_since', 'a.disabled_until', 'a.deleted_at',
      'u.gender', 'u.country as user_country', 'u.age',
      'p.author', 'p.producer', 'p.country as artist_country', 'p.description',
    ]);
}

export type AccountRow = Awaited<ReturnType<ReturnType<typeof selectAccounts>['executeTakeFirstOrThrow']>>;

function corrupt(row: AccountRow, what: string): Error {
  return new Error(`account ${row.id} of kind ${row.kind} has no ${what} profile row`);
}

export function toAccount(row: AccountRow): Account {
  const common = {
    id: row.id,
    role: row.role as Role,
    username: row.username,
    email: row.email,
    passwordHash: row.password_hash,
    emailVerifiedAt: row.email_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabled:
      row.disabled_since === null ? null : { reason: row.disabled_reason ?? '', since: row.disabled_since, until: row.disabled_until },
    deletedAt: row.deleted_at,
  };
  if (row.kind === 'user') {
    if (row.gender === null || row.user_country === null || row.age === null) throw corrupt(row, 'user');
    const user: UserAccount = { ...common, kind: 'user', gender: row.gender as Gender, country: row.user_country, age: row.age };
    return user;
  }
  if (row.author === null || row.artist_country === null || row.description === null) throw corrupt(row, 'artist');
  const artist: ArtistAccount = {
    ...common,
    kind: 'artist',
    author: row.author,
    producer: row.producer,
    country: row.artist_country,
    description: row.description,
  };
  return artist;
}
