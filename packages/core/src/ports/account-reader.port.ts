import type { Account } from '../domain/account.model.js';
import type { AccountQuery } from '../domain/account-search.model.js';

/** Read side of the account store. */
export interface AccountReader {
  /** The account with this id, or null (also null for an id that is not a well-formed UUID). */
  findById(id: string): Promise<Account | null>;
  /** The account whose username or email equals `login` once both are normalised by normalizeLogin (case, surrounding white space, NFKC), or null. */
  findByLogin(login: string): Promise<Account | null>;
  /** Up to `limit` accounts matching every filter of `query`, in the order searchOrderOf(query) names, strictly after `query.after`. */
  search(query: AccountQuery, limit: number): Promise<Account[]>;
  /** The ids of up to `limit` accounts deleted at or before `cutoff` (awaiting erasure), the longest deleted first. */
  deletedBefore(cutoff: Date, limit: number): Promise<string[]>;
}
