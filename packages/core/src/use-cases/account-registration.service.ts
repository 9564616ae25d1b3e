import type { Account } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { throwIfAborted } from '../service/call-options.util.js';

/**
 * Inserts a new account and its `*.created` event in one unit of work: either both are stored or neither.
 * The password must already be hashed: no transaction is held open during a hash.
 * Uniqueness clashes come from the store (USERNAME_TAKEN, EMAIL_TAKEN, AUTHOR_TAKEN), which sees concurrent registrations.
 * A caller that gave up (`signal` fired) before the commit gets a rollback, not an account it never hears of.
 */
export async function insertAccountWithEvent(
  unitOfWork: UnitOfWork,
  events: AccountEventFactory,
  account: Account,
  signal?: AbortSignal,
): Promise<void> {
  await unitOfWork.run(async (scope) => {
    await scope.accounts.insert(account);
    await scope.outbox.append([events.created(account, account.createdAt)]);
    throwIfAborted(signal);
  });
}
