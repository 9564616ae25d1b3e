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
  createdAt: Date;
  updatedAt: Date;
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
  role?: Role;
  gender?: Gender;
  country?: string;
  age?: number;
  author?: string;
  producer?: string | null;
  description?: string;
}

/** The public view of an account: everything but the password hash. */
export type PublicProfile =
  | Omit<UserAccount, 'passwordHash'>
  | Omit<ArtistAccount, 'passwordHash'>;

export function toPublicProfile(account: Account): PublicProfile {
  const { passwordHash: _hidden, ...profile } = account;
  return profile;
}

/** Case-insensitive identity of a username (NFKC + lower case). Stored in its own uniquely indexed column. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** Case-insensitive identity of an email address (the whole address, lower case). */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** Case-insensitive identity of an artist's stage name. */
export function normalizeAuthor(author: string): string {
  return author.normalize('NFKC').trim().toLowerCase();
}

/**
 * The identity of a presented login (a username or an email): NFKC, surrounding white space removed, lower case.
 * Lookups and the login limits both use this one function, so two spellings reach the same account exactly when they
 * count under the same key. For every valid username and email it equals normalizeUsername and normalizeEmail.
 */
export function normalizeLogin(login: string): string {
  return login.normalize('NFKC').trim().toLowerCase();
}
