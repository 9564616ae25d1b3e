import type { Account, AccountKind, AccountPatch } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';

/**
 * Applies a validated patch to an account of `kind` and appends its `*.updated` event, in one unit of work.
 * An empty patch changes nothing: the current account is returned and no event is written, so consumers
 * never see an event that reports no change.
 */
export async function updateAccountWithEvent(
  unitOfWork: UnitOfWork,
  events: AccountEventFactory,
  id: string,
  kind: AccountKind,
  patch: AccountPatch,
  now: Date,
  signal?: AbortSignal,
): Promise<Account> {
  return unitOfWork.run(async (scope) => {
    const current = requireAccount(await scope.accounts.findById(id), kind);
    if (Object.keys(patch).length === 0) return current;
    const updated = await scope.accounts.update(current.id, patch, now);
    if (updated === null) throw accountNotFound();
    await scope.outbox.append([events.updated(updated, now)]);
    throwIfAborted(signal); // rolled back rather than committed for a caller that gave up
    return updated;
  });
}
