import { isDomainError } from '../errors/domain.errors.js';
import { normalizeEmail, normalizeUsername, type Account, type AccountKind, type AccountPatch } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';

/** Whether `patch` gives `current` another username or email (a change of letter case only is none). */
function changesIdentity(current: Account, patch: AccountPatch): boolean {
  const username = patch.username !== undefined && normalizeUsername(patch.username) !== normalizeUsername(current.username);
  const email = patch.email !== undefined && normalizeEmail(patch.email) !== normalizeEmail(current.email);
  return username || email;
}

/**
 * Applies a validated patch to an account of `kind` and appends its `*.updated` event, in one unit of work.
 * An empty patch changes nothing: the current account is returned and no event is written, so consumers
 * never see an event that reports no change.
 *
 * A new username or email is counted against the account's identity-change limit before the write that could
 * answer USERNAME_TAKEN or EMAIL_TAKEN, so probing which names are registered costs the prober its own changes
 * (RATE_LIMITED beyond the limit). A taken name stays counted: that answer is what a probe is after. A patch that
 * sends the current values again (a client that always sends every field) counts nothing.
 */
export async function updateAccountWithEvent(
  unitOfWork: UnitOfWork,
  events: AccountEventFactory,
  attempts: AttemptLimiter,
  id: string,
  kind: AccountKind,
  patch: AccountPatch,
  now: Date,
  signal?: AbortSignal,
): Promise<Account> {
  return unitOfWork.run(async (scope) => {
    const current = requireAccount(await scope.accounts.findById(id), kind);
    if (Object.keys(patch).length === 0) return current;
    const change = changesIdentity(current, patch) ? await attempts.identityChange(current.id, now) : null;
    const newAddress = patch.email !== undefined && normalizeEmail(patch.email) !== normalizeEmail(current.email);
    try {
      // A new address is not verified, and the links mailed for the former one stop working.
      const updated = await scope.accounts.update(current.id, newAddress ? { ...patch, emailVerifiedAt: null } : patch, now);
      if (newAddress) {
        await scope.tokens.voidAll(current.id, 'verify-email', now);
        await scope.tokens.voidAll(current.id, 'change-email', now);
        await scope.tokens.voidAll(current.id, 'reset-password', now);
      }
      if (updated === null) throw accountNotFound();
      await scope.outbox.append([events.updated(updated, now)]);
      throwIfAborted(signal); // rolled back rather than committed for a caller that gave up
      return updated;
    } catch (error) {
      const answered = isDomainError(error, 'USERNAME_TAKEN') || isDomainError(error, 'EMAIL_TAKEN');
      if (change !== null && !answered) await change.cancel();
      throw error;
    }
  });
}
