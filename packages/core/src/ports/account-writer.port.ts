import type { Account, AccountPatch } from '../domain/account.model.js';

/** Write side of the account store; only reachable inside a unit of work. */
export interface AccountWriter {
  /** Inserts a new account; throws USERNAME_TAKEN, EMAIL_TAKEN or AUTHOR_TAKEN on a case-insensitive clash, even under races; throws (a bug) for an id stored or erased. */
  insert(account: Account): Promise<void>;
  /** Writes only the fields present in `patch` plus `updatedAt`; returns the account after the change, or null if no account has this id. Throws *_TAKEN on a clash. */
  update(id: string, patch: AccountPatch, updatedAt: Date): Promise<Account | null>;
  /** The ids of every ADMIN account, each locked until the unit of work ends: a concurrent call waits, then sees the committed outcome. */
  lockAdmins(): Promise<string[]>;
  /**
   * Erases the account if it was deleted at or before `deletedBefore`, checked under the row's lock (a restore that
   * committed first wins): its row, profile, mailed tokens, second factors and mail are deleted, and a tombstone of
   * its id is kept, so `insert` (and an import) with this id is refused ever after. Returns the account as it was,
   * or null (unknown, not deleted, or deleted later).
   */
  erase(id: string, deletedBefore: Date, erasedAt: Date): Promise<Account | null>;
}
