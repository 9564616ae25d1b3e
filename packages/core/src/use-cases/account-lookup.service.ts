import type { Account, AccountKind } from '../domain/account.model.js';
import { DomainError } from '../errors/domain.errors.js';

export const accountNotFound = (): DomainError => new DomainError('ACCOUNT_NOT_FOUND');

/**
 * The account if it exists and is of `kind`, else ACCOUNT_NOT_FOUND: GetUser on an artist's id
 * finds nothing, as if the id were unknown.
 */
export function requireAccount<K extends AccountKind>(account: Account | null, kind: K): Extract<Account, { kind: K }>;
export function requireAccount(account: Account | null): Account;
export function requireAccount(account: Account | null, kind?: AccountKind): Account {
  if (account === null || (kind !== undefined && account.kind !== kind)) throw accountNotFound();
  return account;
}
