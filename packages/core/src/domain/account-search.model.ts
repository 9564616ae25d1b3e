import type { Account, AccountKind, Role } from './account.model.js';
import { isDisabled, normalizeEmail, normalizeUsername } from './account.model.js';

/**
 * What an admin searches accounts by; every filter present must match. Prefixes are compared with the normalized
 * username or email (lower case), so they are case-insensitive.
 */
export interface AccountFilter {
  /** The normalized username starts with this (already normalized by normalizeUsername). */
  usernamePrefix?: string;
  /** The normalized email starts with this (already normalized by normalizeEmail). */
  emailPrefix?: string;
  kind?: AccountKind;
  role?: Role;
  /** true: only accounts disabled at the query's `now` (isDisabled); false: only the others. */
  disabled?: boolean;
  /** true: only accounts deleted and awaiting erasure (deletedAt set); false: only the others. */
  deleted?: boolean;
  /** Created at or after this instant. */
  createdFrom?: Date;
  /** Created strictly before this instant. */
  createdBefore?: Date;
}

/**
 * The order of a search, chosen by its filter so that an index serves both the filter and the order: by normalized
 * username when a username prefix is given, else by normalized email when an email prefix is given, else by
 * creation time then id. Usernames and emails are unique, so each order is total (stable across pages).
 */
export type SearchOrder = 'username' | 'email' | 'created';

/** Where the previous page ended: the sort key of its last account. Strings compare by UTF-8 bytes (code points). */
export type SearchPosition =
  | { order: 'username'; username: string }
  | { order: 'email'; email: string }
  | { order: 'created'; createdAt: Date; id: string };

/** One page request to the store. */
export interface AccountQuery extends AccountFilter {
  /** The instant `disabled` is judged at. */
  now: Date;
  /** Only accounts after this position, in the query's order; absent for the first page. */
  after?: SearchPosition;
}

export function searchOrderOf(filter: AccountFilter): SearchOrder {
  if (filter.usernamePrefix !== undefined) return 'username';
  if (filter.emailPrefix !== undefined) return 'email';
  return 'created';
}

/** The sort key of `account` in `order`. */
export function positionOf(account: Account, order: SearchOrder): SearchPosition {
  if (order === 'username') return { order, username: normalizeUsername(account.username) };
  if (order === 'email') return { order, email: normalizeEmail(account.email) };
  return { order, createdAt: account.createdAt, id: account.id };
}

/** Byte-wise (code point) comparison, the order of a C collation; JavaScript's `<` compares UTF-16 units instead. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Compares two positions of the same order: negative when `a` comes first. */
export function comparePositions(a: SearchPosition, b: SearchPosition): number {
  if (a.order === 'username' && b.order === 'username') return compareCodePoints(a.username, b.username);
  if (a.order === 'email' && b.order === 'email') return compareCodePoints(a.email, b.email);
  if (a.order === 'created' && b.order === 'created') {
    const byTime = a.createdAt.getTime() - b.createdAt.getTime();
    return byTime !== 0 ? byTime : compareCodePoints(a.id, b.id);
  }
  throw new Error(`cannot compare a ${a.order} position with a ${b.order} position`);
}

/** Whether `account` matches every filter of `query` and comes after its position (the in-memory store's search). */
export function matchesQuery(account: Account, query: AccountQuery): boolean {
  if (query.usernamePrefix !== undefined && !normalizeUsername(account.username).startsWith(query.usernamePrefix)) return false;
  if (query.emailPrefix !== undefined && !normalizeEmail(account.email).startsWith(query.emailPrefix)) return false;
  if (query.kind !== undefined && account.kind !== query.kind) return false;
  if (query.role !== undefined && account.role !== query.role) return false;
  if (query.disabled !== undefined && isDisabled(account, query.now) !== query.disabled) return false;
  if (query.deleted !== undefined && (account.deletedAt !== null) !== query.deleted) return false;
  if (query.createdFrom !== undefined && account.createdAt.getTime() < query.createdFrom.getTime()) return false;
  if (query.createdBefore !== undefined && account.createdAt.getTime() >= query.createdBefore.getTime()) return false;
  if (query.after !== undefined && comparePositions(positionOf(account, query.after.order), query.after) <= 0) return false;
  return true;
}
