import type { Account, AccountPatch } from '../domain/account.model.js';

/** Write side of the account store; only reachable inside a unit of work. */
export interface AccountWriter {
  /** Inserts a new account; throws USERNAME_TAKEN, EMAIL_TAKEN or AUTHOR_TAKEN on a case-insensitive clash, even under races. */
  insert(account: Account): Promise<void>;
  /** Writes only the fields present in `patch` plus `updatedAt`; returns the account after the change, or null if no account has this id. Throws *_TAKEN on a clash. */
  update(id: string, patch: AccountPatch, updatedAt: Date): Promise<Account | null>;
  /** The ids of every ADMIN account, each locked until the unit of work ends: a concurrent call waits, then sees the committed outcome. */
  lockAdmins(): Promise<string[]>;
}
