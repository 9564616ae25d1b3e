import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { PublicProfile } from '../domain/account.model.js';
import { isDisabled, toPublicProfile } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkReason } from '../validation/field.rules.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import { requireAnotherAdmin } from './admin-succession.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface DisableAccountInput {
  id: string;
  /** Why, for other admins (never shown to the account). */
  reason: string;
  /** The disable ends by itself at this instant (in the future); absent: until EnableAccount. */
  until?: Date;
}
/** The account after the change; `disabled` is set. */
export type DisableAccountOutput = PublicProfile;

/**
 * Disables an account (admins only): its sessions are revoked at once, so its access tokens are refused from the
 * next call on and its refresh tokens stop working; Login then answers ACCOUNT_DISABLED, but only after the password
 * was verified (a wrong password still gets INVALID_CREDENTIALS, so the answer tells nothing to who does not know
 * it). A timed disable ends by itself at `until`. Disabling the last enabled admin, itself included, is refused
 * (LAST_ADMIN), race-safe (requireAnotherAdmin). Disabling again replaces the reason and the end. The revocation runs
 * after the commit and also when nothing changed, so a retry after a failed revocation finishes the job; a login
 * racing the disable re-reads the account once its session exists (Login) and gives the session up.
 *
 * Security events: `auth.account.disabled` in the unit of work (reason `timed` or `indefinite`; never the admin's
 * reason, which the account may read in ListSecurityEvents), and `auth.session.revoked` (cause `account_disabled`)
 * right after the revocation when sessions ended.
 */
export class DisableAccount {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'sessions' | 'clock'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: DisableAccountInput, signal?: AbortSignal, client: EventClient = {}): Promise<DisableAccountOutput> {
    authorizeCaller('DisableAccount', caller, input.id);
    const now = this.deps.clock.now();
    const violations = new FieldViolations();
    violations.add('reason', checkReason(input.reason));
    if (input.until !== undefined && !(input.until.getTime() > now.getTime())) violations.add('until', 'must be in the future');
    violations.throwIfAny();

    const account = await this.deps.unitOfWork.run(async (scope) => {
      const current = requireAccount(await scope.accounts.findById(input.id));
      if (current.role === 'ADMIN' && !isDisabled(current, now)) await requireAnotherAdmin(scope.accounts, current.id, now);
      throwIfAborted(signal);
      const updated = await scope.accounts.update(current.id, { disabled: { reason: input.reason.trim(), since: now, until: input.until ?? null } }, now);
      if (updated === null) throw accountNotFound();
      const disabled = this.securityEvents.build({ type: 'auth.account.disabled', accountId: updated.id, reason: input.until === undefined ? 'indefinite' : 'timed' }, client, now);
      await this.securityEvents.recordIn(scope, [disabled]);
      return updated;
    });
    const revoked = await this.deps.sessions.revokeAllForAccount(account.id, now);
    if (revoked > 0) this.securityEvents.record([{ type: 'auth.session.revoked', accountId: account.id, reason: 'account_disabled', sessionCount: revoked }], client);
    return toPublicProfile(account);
  }
}
