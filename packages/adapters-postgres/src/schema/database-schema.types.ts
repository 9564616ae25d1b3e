import type { ColumnType, Generated } from 'kysely';
import type { SignInDevice } from '@authsvc/core';

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
  /** When the current email was verified; null: not verified. */
  email_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Set together with disabled_since while an admin has the account disabled (0006). */
  disabled_reason: string | null;
  disabled_since: Timestamp | null;
  /** The disable ends by itself then; null: until enabled. */
  disabled_until: Timestamp | null;
  /** Set while the account is deleted and awaits its erasure (0008). */
  deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** The id of every erased account, so that no account ever gets it again (0008). */
export interface AccountTombstonesTable {
  id: string;
  erased_at: Timestamp;
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

export interface TotpFactorsTable {
  account_id: string;
  sealed_secret: string;
  confirmed_at: Timestamp | null;
  /** pg returns int8 as a string, PGlite as a number. */
  last_used_step: ColumnType<string | number | null, number | null, number | null>;
  created_at: Timestamp;
}

export interface RecoveryCodesTable {
  account_id: string;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

export interface PasskeysTable {
  credential_id: string;
  account_id: string;
  public_key: Uint8Array;
  /** pg returns int8 as a string, PGlite as a number. */
  counter: ColumnType<string | number, number, number>;
  transports: string[];
  device_type: string;
  backed_up: boolean;
  name: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface AuthChallengesTable {
  /** SHA-256 of the challenge's secret: the secret itself is never stored. */
  hash: string;
  purpose: string;
  account_id: string | null;
  data: ColumnType<Record<string, unknown>, Record<string, unknown>, Record<string, unknown>>;
  expires_at: Timestamp;
}

export interface SessionAssuranceTable {
  session_id: string;
  amr: string[];
  auth_time: Timestamp;
  expires_at: Timestamp;
}

/** The one live mailed token of an account for a purpose (the hash only). */
export interface AccountTokensTable {
  account_id: string;
  purpose: 'verify-email' | 'reset-password' | 'change-email';
  token_hash: string;
  email: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface MailOutboxTable {
  id: string;
  kind: 'verify-email' | 'reset-password' | 'confirm-email-change' | 'email-change-notice' | 'new-device';
  recipient: string;
  account_id: string;
  username: string;
  /** Dropped (null) once the mail is sent or abandoned. */
  sealed_token: string | null;
  new_email: string | null;
  /** For new-device: `{ userAgent, clientAddress }` of the sign-in (migration 0010). */
  device: ColumnType<SignInDevice | null, SignInDevice | null | undefined, SignInDevice | null>;
  created_at: Timestamp;
  attempts: Generated<number>;
  rejections: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  /** A worker holds the mail until then (a lease: a worker that died releases it by expiry). */
  claimed_until: Timestamp | null;
  sent_at: Timestamp | null;
  abandoned_at: Timestamp | null;
}

/** The audit trail of security events (migration 0005). */
export interface SecurityEventsTable {
  id: string;
  type: string;
  occurred_at: Timestamp;
  account_id: string | null;
  session_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  reason: string | null;
  login_hash: string | null;
  session_count: number | null;
}

/** The schema the migrations create, as kysely sees it. */
/** The devices each account signed in from (migration 0010). */
export interface KnownDevicesTable {
  account_id: string;
  fingerprint: string;
  first_seen_at: Timestamp;
}

export interface Schema {
  accounts: AccountsTable;
  account_tombstones: AccountTombstonesTable;
  user_profiles: UserProfilesTable;
  artist_profiles: ArtistProfilesTable;
  outbox: OutboxTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  auth_challenges: AuthChallengesTable;
  session_assurance: SessionAssuranceTable;
  account_tokens: AccountTokensTable;
  mail_outbox: MailOutboxTable;
  security_events: SecurityEventsTable;
  known_devices: KnownDevicesTable;
}

/** Names of the unique indexes whose violation means "already taken"; the error translator relies on them. */
export const UNIQUE_INDEXES = {
  username: 'accounts_username_normalized_key',
  email: 'accounts_email_normalized_key',
  author: 'artist_profiles_author_normalized_key',
} as const;

/** The NOTIFY channel a committed unit of work that appended events signals on. */
export const OUTBOX_CHANNEL = 'authsvc_outbox_appended';
