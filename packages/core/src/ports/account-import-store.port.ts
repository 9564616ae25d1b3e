import type { Account } from '../domain/account.model.js';
import type { OutboxEvent } from '../domain/account-event.model.js';

/** One account to import, with the outbox events to write if (and only if) it is inserted. */
export interface ImportedAccount {
  account: Account;
  events: readonly OutboxEvent[];
}

/** What became of one imported account: inserted; already stored under its id (left unchanged); or refused for a clash. */
export type ImportOutcome = 'inserted' | 'exists' | 'USERNAME_TAKEN' | 'EMAIL_TAKEN' | 'AUTHOR_TAKEN';

/** Writes imported accounts (hashes as they are) in batches: the operator's `accounts import`. */
export interface AccountImportStore {
  /**
   * In one transaction, inserts every account of `batch` whose id is not stored and whose username, email (and
   * author) clash with no stored account nor an earlier one of the batch, with its events; writes nothing of the
   * others. Returns one outcome per account, in order.
   */
  insertNew(batch: readonly ImportedAccount[]): Promise<ImportOutcome[]>;
}
