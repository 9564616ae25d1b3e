import type { Account, PublicProfile, Role } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { validationError } from '../errors/domain.errors.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { checkRole } from '../validation/field.rules.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import { requireAnotherAdmin } from './admin-succession.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface SetRoleInput {
  id: string;
  role: Role;
}
export type SetRoleOutput = PublicProfile;

/** USER belongs to user accounts and ARTIST to artist accounts; ADMIN can be granted to either. */
function roleProblem(account: Account, role: Role): string | null {
  if (role === 'USER' && account.kind !== 'user') return 'USER is only for user accounts (an artist is ARTIST or ADMIN)';
  if (role === 'ARTIST' && account.kind !== 'artist') return 'ARTIST is only for artist accounts (a user is USER or ADMIN)';
  return null;
}

/**
 * Changes an account's role (admins only) with its `*.updated` event, then revokes every session of the account
 * so no access token keeps the old role. The revocation runs even when the role was already the one asked
 * (no write, no event then): retrying after a failed revocation finishes the job. Everything after the lookup
 * names the account by the id the store returned, never by the id as given: a store may find "ABC..." for
 * "abc...", and sessions are kept under the stored spelling. Taking ADMIN from the last admin, itself included,
 * is refused (LAST_ADMIN), race-safe (requireAnotherAdmin).
 */
export class SetRole {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'sessions' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: SetRoleInput, signal?: AbortSignal, client: EventClient = {}): Promise<SetRoleOutput> {
    authorizeCaller('SetRole', caller, input.id);
    const invalidRole = checkRole(input.role);
    if (invalidRole !== null) throw validationError([{ field: 'role', description: invalidRole }]);

    const now = this.deps.clock.now();
    const account = await this.deps.unitOfWork.run(async (scope) => {
      let current = requireAccount(await scope.accounts.findById(input.id));
      const mismatch = roleProblem(current, input.role);
      if (mismatch !== null) throw validationError([{ field: 'role', description: mismatch }]);
      if (current.role === 'ADMIN' && input.role !== 'ADMIN') {
        await requireAnotherAdmin(scope.accounts, current.id, now);
        // Read again under the lock: a demotion that committed while this one waited has changed the row.
        current = requireAccount(await scope.accounts.findById(current.id));
      }
      if (current.role === input.role) return current;
      const updated = await scope.accounts.update(current.id, { role: input.role }, now);
      if (updated === null) throw accountNotFound();
      await scope.outbox.append([this.events.updated(updated, now)]);
      const roleChanged = this.securityEvents.build({ type: 'auth.role.changed', accountId: updated.id, reason: `${current.role}->${input.role}` }, client, now);
      await this.securityEvents.recordIn(scope, [roleChanged]);
      throwIfAborted(signal);
      return updated;
    });
    // After the commit: every session started before it, under the old role, ends.
    const revoked = await this.deps.sessions.revokeAllForAccount(account.id, now);
    if (revoked > 0) this.securityEvents.record([{ type: 'auth.session.revoked', accountId: account.id, reason: 'role_change', sessionCount: revoked }], client);
    return toPublicProfile(account);
  }
}
