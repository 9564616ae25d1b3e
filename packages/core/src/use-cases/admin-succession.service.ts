import { isBarred } from '../domain/account.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AccountReader } from '../ports/account-reader.port.js';
import type { AccountWriter } from '../ports/account-writer.port.js';

/**
 * Throws LAST_ADMIN unless an account other than `leavingId` is an admin that counts at `now`: role ADMIN, not
 * disabled and not deleted. Call it inside the unit of work that takes ADMIN away from `leavingId` (a demotion, a disable, a deletion), before that write: it locks every admin until the unit of work ends, so of
 * two units of work that each remove a different one of the last two admins, the second waits for the first and
 * then sees one admin left, the one it is removing. The admins are read again after the lock, so a disable that
 * committed while this one waited is seen.
 */
export async function requireAnotherAdmin(accounts: Pick<AccountWriter, 'lockAdmins'> & Pick<AccountReader, 'findById'>, leavingId: string, now: Date): Promise<void> {
  const admins = await accounts.lockAdmins();
  for (const id of admins) {
    if (id === leavingId) continue;
    const admin = await accounts.findById(id);
    if (admin !== null && admin.role === 'ADMIN' && !isBarred(admin, now)) return;
  }
  throw new DomainError('LAST_ADMIN');
}
