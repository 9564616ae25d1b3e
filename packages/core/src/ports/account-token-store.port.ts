import type { AccountToken, TokenPurpose } from '../domain/account-token.model.js';

/** Mailed single-use tokens (email verification, password reset, email change); only reachable inside a unit of work. */
export interface AccountTokenStore {
  /** Stores `token` and voids every unspent token of the same purpose and account: only the newest one works. */
  issue(token: AccountToken): Promise<void>;
  /**
   * Spends the unspent, unexpired token of `purpose` with this hash and returns it; null for any other (unknown, of
   * another purpose, expired, spent or voided). Of concurrent redemptions of one token exactly one gets it.
   */
  redeem(hash: string, purpose: TokenPurpose, now: Date): Promise<AccountToken | null>;
  /** Voids every unspent token of `purpose` for the account; returns how many. */
  voidAll(accountId: string, purpose: TokenPurpose, now: Date): Promise<number>;
}
