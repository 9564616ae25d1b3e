import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface EnableAccountInput {
  id: string;
}
export type EnableAccountOutput = PublicProfile;

/**
 * Ends a disable (admins only); the account signs in again with its password. An enabled account stays as it is.
 * Writes `auth.account.enabled` in the unit of work when a disable ended (a timed one that already ran out included).
 */
export class EnableAccount {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: EnableAccountInput, signal?: AbortSignal, client: EventClient = {}): Promise<EnableAccountOutput> {
    authorizeCaller('EnableAccount', caller, input.id);
    const now = this.deps.clock.now();
    const account = await this.deps.unitOfWork.run(async (scope) => {
      const current = requireAccount(await scope.accounts.findById(input.id));
      if (current.disabled === null) return current;
      throwIfAborted(signal);
      const updated = await scope.accounts.update(current.id, { disabled: null }, now);
      if (updated === null) throw accountNotFound();
      await this.securityEvents.recordIn(scope, [this.securityEvents.build({ type: 'auth.account.enabled', accountId: updated.id }, client, now)]);
      return updated;
    });
    return toPublicProfile(account);
  }
}
