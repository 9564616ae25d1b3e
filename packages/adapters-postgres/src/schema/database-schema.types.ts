import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: read as a Date, written as a Date. */
type Timestamp = ColumnType<Date, Date, Date>;

/** One row per account, users and artists alike, so a username is unique across both kinds. */
export interface AccountsTable {
  id: string;
  kind: 'user' | 'artist';
  role: 'USER' | 'ARTIST' | 'ADMIN';
  username: string;
  /** normalizeUsername(username): the case-insensitive identity, uniquely indexed. */
  username_normalized: string;
  email: string;
  /** normalizeEmail(email), uniquely indexed. */
  email_normalized: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Set together with disabled_since while an admin has the account disabled (0006). */
  disabled_reason: string | null;
  disabled_since: Timestamp | null;
  /** The disable ends by itself then; null: until enabled. */
  disabled_until: Timestamp | null;
}

export interface UserProfilesTable {
  account_id: string;
  gender: 'female' | 'male' | 'non_binary' | 'prefer_not_to_say';
  country: string;
  age: number;
}

export interface ArtistProfilesTable {
  account_id: string;
  author: string;
  /** normalizeAuthor(author), uniquely indexed. */
  author_normalized: string;
  producer: string | null;
  country: string;
  description: string;
}

export interface OutboxTable {
  id: string;
  /** Insertion order (identity); relays publish in this order per key. pg returns int8 as a string, PGlite as a number. */
  seq: ColumnType<string | number, never, never>;
  type: string;
  topic: string;
  key: string;
  payload: ColumnType<Record<string, unknown>, Record<string, unknown>, Record<string, unknown>>;
  headers: ColumnType<Record<string, string>, Record<string, string>, Record<string, string>>;
  created_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  published_at: Timestamp | null;
}

/** The schema the migrations create, as kysely sees it. */
export interface Schema {
  accounts: AccountsTable;
  user_profiles: UserProfilesTable;
  artist_profiles: ArtistProfilesTable;
  outbox: OutboxTable;
}

/** Names of the unique indexes whose violation means "already taken"; the error translator relies on them. */
export const UNIQUE_INDEXES = {
  username: 'accounts_username_normalized_key',
  email: 'accounts_email_normalized_key',
  author: 'artist_profiles_author_normalized_key',
} as const;

/** The NOTIFY channel a committed unit of work that appended events signals on. */
export const OUTBOX_CHANNEL = 'authsvc_outbox_appended';
