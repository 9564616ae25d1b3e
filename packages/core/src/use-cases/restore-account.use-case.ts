import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface RestoreAccountInput {
  id: string;
}
export type RestoreAccountOutput = PublicProfile;

/**
 * Cancels a deletion (admins only) while the account awaits its erasure: it signs in again with its password (its
 * sessions, revoked by the deletion, stay ended), with a `*.restored` event and `auth.account.restored`. An account
 * that is not deleted stays as it is; an erased one is ACCOUNT_NOT_FOUND, as any unknown id.
 */
export class RestoreAccount {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: RestoreAccountInput, signal?: AbortSignal, client: EventClient = {}): Promise<RestoreAccountOutput> {
    authorizeCaller('RestoreAccount', caller, input.id);
    const now = this.deps.clock.now();
    const account = await this.deps.unitOfWork.run(async (scope) => {
      const current = requireAccount(await scope.accounts.findById(input.id));
      if (current.deletedAt === null) return current;
      throwIfAborted(signal);
      const updated = await scope.accounts.update(current.id, { deletedAt: null }, now);
      if (updated === null) throw accountNotFound();
      await scope.outbox.append([this.events.restored(updated, now)]);
      await this.securityEvents.recordIn(scope, [this.securityEvents.build({ type: 'auth.account.restored', accountId: updated.id }, client, now)]);
      return updated;
    });
    return toPublicProfile(account);
  }
}
