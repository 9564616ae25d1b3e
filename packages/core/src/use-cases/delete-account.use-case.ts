import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { PublicProfile } from '../domain/account.model.js';
import { canonicalAccountId, isBarred, normalizeLogin, toPublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import { TOKEN_PURPOSES } from '../domain/account-token.model.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkPasswordLength } from '../validation/field.rules.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import { requireAnotherAdmin } from './admin-succession.service.js';
import type { CredentialChecker } from './credential-checker.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';
import type { StepUp } from './step-up.service.js';

export interface DeleteAccountInput {
  id: string;
  /** The account's password: required when the account deletes itself, ignored when an admin deletes another account. */
  currentPassword?: string;
}

export interface DeleteAccountOutput {
  /** The account as it is kept until its erasure: `deletedAt` set. */
  account: PublicProfile;
  /** From this instant housekeeping erases the account; until then an admin may restore it (RestoreAccount). */
  eraseAfter: Date;
}

/**
 * Deletes an account: the account itself with its password (and, when it has a second factor, a recent sign-in with
 * it: StepUp), or an admin without one. In one unit of work the account is marked deleted, with its `*.deleted`
 * event and the `auth.account.deleted` security event; then every session is revoked. From then on Login refuses it
 * as it refuses a disabled account, only after the password was verified (decision 0010), RefreshToken ends what a
 * racing login started, and housekeeping (PurgeDeletedAccounts) erases it once `deletionGraceMs` has passed.
 * Deleting the last admin that counts, itself included, is refused (LAST_ADMIN, race-safe: requireAnotherAdmin).
 * Deleting a deleted account changes nothing but revokes its sessions again, so a retry finishes the job.
 */
export class DeleteAccount {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'sessions' | 'passwordHasher' | 'clock'>,
    private readonly credentials: CredentialChecker,
    private readonly stepUp: StepUp,
    private readonly events: AccountEventFactory,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly settings: Pick<AuthServiceOptions, 'deletionGraceMs'>,
  ) {}

  async execute(caller: Caller, input: DeleteAccountInput, signal?: AbortSignal, client: EventClient = {}): Promise<DeleteAccountOutput> {
    const principal = authorizeCaller('DeleteAccount', caller, input.id);
    const self = canonicalAccountId(principal.accountId) === canonicalAccountId(input.id);
    if (self) {
      const violations = new FieldViolations();
      const password = input.currentPassword ?? '';
      violations.add('current_password', password === '' ? 'is required' : checkPasswordLength(password, this.deps.passwordHasher.maxPasswordBytes));
      violations.throwIfAny();
    }

    const now = this.deps.clock.now();
    if (self) {
      const account = requireAccount(await this.deps.accounts.findById(input.id));
      await this.stepUp.require(principal, account.id, now);
      // Counted as a login by username, as ChangePassword is: a stolen access token guesses no faster here.
      const attempt = await this.credentials.begin(normalizeLogin(account.username), client.clientAddress, now);
      await attempt.verify(input.currentPassword ?? '', account.passwordHash, signal);
      await attempt.succeeded();
    }
    throwIfAborted(signal);

    const account = await this.deps.unitOfWork.run(async (scope) => {
      let current = requireAccount(await scope.accounts.findById(input.id));
      if (current.deletedAt !== null) return current;
      if (current.role === 'ADMIN' && !isBarred(current, now)) {
        await requireAnotherAdmin(scope.accounts, current.id, now);
        // Read again under the lock: a deletion that committed while this one waited has changed the row.
        current = requireAccount(await scope.accounts.findById(current.id));
        if (current.deletedAt !== null) return current;
      }
      const updated = await scope.accounts.update(current.id, { deletedAt: now }, now);
      if (updated === null) throw accountNotFound();
      // Mailed links (verification, reset, email change) stop working with the deletion, not only at the erasure.
      for (const purpose of TOKEN_PURPOSES) await scope.tokens.voidAll(updated.id, purpose, now);
      await scope.outbox.append([this.events.deleted(updated, this.eraseAfter(now), now)]);
      const deleted = this.securityEvents.build({ type: 'auth.account.deleted', accountId: updated.id, reason: self ? 'self' : 'admin' }, client, now);
      await this.securityEvents.recordIn(scope, [deleted]);
      return updated;
    });

    // After the commit, and also when nothing changed: a login racing the deletion re-reads the account once its
    // session exists (Login) and gives it up; what is listed now ends here.
    const revoked = await this.deps.sessions.revokeAllForAccount(account.id, now);
    if (revoked > 0) this.securityEvents.record([{ type: 'auth.session.revoked', accountId: account.id, reason: 'account_deleted', sessionCount: revoked }], client);
    return { account: toPublicProfile(account), eraseAfter: this.eraseAfter(account.deletedAt ?? now) };
  }

  private eraseAfter(deletedAt: Date): Date {
    return new Date(deletedAt.getTime() + this.settings.deletionGraceMs);
  }
}
