import { DomainError } from '../errors/domain.errors.js';
import type { AccountWriter } from '../ports/account-writer.port.js';

/**
 * Throws LAST_ADMIN unless an account other than `leavingId` is an admin. Call it inside the unit of work that
 * takes ADMIN away from `leavingId` (a demotion, and any later way an admin stops counting), before that write:
 * it locks every admin until the unit of work ends, so of two units of work that each remove a different one of
 * the last two admins, the second waits for the first and then sees one admin left, the one it is removing.
 */
export async function requireAnotherAdmin(accounts: Pick<AccountWriter, 'lockAdmins'>, leavingId: string): Promise<void> {
  const admins = await accounts.lockAdmins();
  if (!admins.some((id) => id !== leavingId)) throw new DomainError('LAST_ADMIN');
}
