import unhomoglyph from 'unhomoglyph';

/** Roles carried in access tokens and checked by the authorization policy. */
export const ROLES = ['USER', 'ARTIST', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Listeners are "users"; artists have a stage name and a description. An admin is a user account with role ADMIN. */
export type AccountKind = 'user' | 'artist';

export const GENDERS = ['female', 'male', 'non_binary', 'prefer_not_to_say'] as const;
export type Gender = (typeof GENDERS)[number];

interface AccountCommon {
  /** UUID (v7: time-ordered, so primary-key inserts stay local in a B-tree). */
  id: string;
  role: Role;
  /** As typed at registration; uniqueness is case-insensitive (see normalizeUsername). */
  username: string;
  /** As typed at registration; uniqueness is case-insensitive (see normalizeEmail). */
  email: string;
  passwordHash: string;
  /** When the current email address was last proven reachable (a VerifyEmail, ResetPassword or ConfirmEmailChange), or null: not verified. */
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set while an admin has the account disabled (see isDisabled: a timed disable ends by itself); null otherwise. */
  disabled: AccountDisablement | null;
  /**
   * When the account asked (or an admin decided) to delete it; null otherwise. A deleted account signs in no more
   * (isBarred) and is erased by housekeeping once the grace period after this instant has passed; an admin may
   * restore it until then (decision 0010).
   */
  deletedAt: Date | null;
}

/** Why, since when and until when an admin disabled an account. */
export interface AccountDisablement {
  /** The admin's reason, for other admins (never shown to the account). */
  reason: string;
  since: Date;
  /** The disable ends by itself at this instant; null: until an admin enables the account. */
  until: Date | null;
}

/** Whether the account is disabled at `now`: disabled, and its `until` (if any) not yet reached. */
export function isDisabled(account: Pick<AccountCommon, 'disabled'>, now: Date): boolean {
  const { disabled } = account;
  return disabled !== null && (disabled.until === null || disabled.until.getTime() > now.getTime());
}

/** Whether the account may not sign in or keep a session at `now`: disabled (isDisabled) or deleted, awaiting erasure. */
export function isBarred(account: Pick<AccountCommon, 'disabled' | 'deletedAt'>, now: Date): boolean {
  return account.deletedAt !== null || isDisabled(account, now);
}

export interface UserAccount extends AccountCommon {
  kind: 'user';
  gender: Gender;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  age: number;
}

export interface ArtistAccount extends AccountCommon {
  kind: 'artist';
  /** Stage name, unique case-insensitively among artists. */
  author: string;
  producer: string | null;
  country: string;
  description: string;
}

export type Account = UserAccount | ArtistAccount;

/**
 * A partial update: only the fields present are written. `producer: null` clears the producer.
 * Fields that do not belong to the account's kind are never present (the use case validates that).
 */
export interface AccountPatch {
  username?: string;
  email?: string;
  passwordHash?: string;
  /** null: the address is not (or no longer) verified. */
  emailVerifiedAt?: Date | null;
  role?: Role;
  gender?: Gender;
  country?: string;
  age?: number;
  author?: string;
  producer?: string | null;
  description?: string;
  /** null enables the account. */
  disabled?: AccountDisablement | null;
  /** An instant: deleted then (awaiting erasure); null: restored. */
  deletedAt?: Date | null;
}

/** The public view of an account: everything but the password hash. */
export type PublicProfile =
  | Omit<UserAccount, 'passwordHash'>
  | Omit<ArtistAccount, 'passwordHash'>;

export function toPublicProfile(account: Account): PublicProfile {
  const { passwordHash: _hidden, ...profile } = account;
  return profile;
}

/** An artist's full profile, as the artist itself and admins see it. */
export type ArtistProfile = Omit<ArtistAccount, 'passwordHash'>;

export function toArtistProfile(artist: ArtistAccount): ArtistProfile {
  const { passwordHash: _hidden, ...profile } = artist;
  return profile;
}

/**
 * What any signed-in account may see of an artist: the stage identity. Never the username (half of a login),
 * the email (contact data), the role (it would point at the admins) or when the account last changed (a password
 * or email change shows there).
 */
export type ArtistPublicProfile = Pick<ArtistAccount, 'id' | 'kind' | 'author' | 'producer' | 'country' | 'description' | 'createdAt'>;

export function toArtistPublicProfile(artist: ArtistProfile): ArtistPublicProfile {
  const { id, kind, author, producer, country, description, createdAt } = artist;
  return { id, kind, author, producer, country, description, createdAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The canonical form of an account id: a UUID in lower case, or null for anything that is not a UUID. PostgreSQL
 * compares uuids regardless of letter case while a session store keys its records by the text, so every id is
 * brought to this one spelling before it names anything.
 */
export function canonicalAccountId(id: unknown): string | null {
  return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : null;
}

/** Case-insensitive identity of a username (NFKC + lower case). Stored in its own uniquely indexed column. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** Case-insensitive identity of an email address (the whole address, lower case). */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** Format characters (zero-width, bidi controls...) and the other code points Unicode says render as nothing. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Look-alike identity of an artist's stage name, stored in its own uniquely indexed column: two names that fold
 * alike are the same name. The fold is NFKC, every invisible code point removed (so "Drake" and "Drake" + U+200B
 * are one), runs of white space made one space and trimmed, full case folding (upper then lower case, so "ß" is
 * "ss"), then the confusables skeleton of Unicode TR #39 (unhomoglyph: "Drаke" with a Cyrillic а is "Drake", "0" is
 * "o", "m" is "rn"), lower-cased again. Its limits: the skeleton table is Unicode 13's, pinned with the package (a
 * newer table, like any change here, needs a migration that recomputes author_normalized, as 0003 did), and it
 * folds single characters only, not whole-script look-alikes that the table does not list.
 */
export function normalizeAuthor(author: string): string {
  const visible = author.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
  const caseless = visible.toUpperCase().toLowerCase().normalize('NFD');
  return unhomoglyph(caseless).toLowerCase().normalize('NFC');
}

/**
 * The identity of a presented login (a username or an email): NFKC, surrounding white space removed, lower case.
 * Lookups and the login limits both use this one function, so two spellings reach the same account exactly when they
 * count under the same key. For every valid username and email it equals normalizeUsername and normalizeEmail.
 */
export function normalizeLogin(login: string): string {
  return login.normalize('NFKC').trim().toLowerCase();
}
