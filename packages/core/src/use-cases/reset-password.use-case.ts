import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkNewPassword } from '../validation/field.rules.js';
import { accountNotFound } from './account-lookup.service.js';
import { redeemToken, underRedemption } from './account-mail.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { checkMailedToken } from '../validation/mailed-token.rules.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface ResetPasswordInput {
  token: string;
  newPassword: string;
}

/**
 * Spends a reset token and sets the new password; revokes every session of the account and marks its address
 * verified (the mail reached it). The token must have been mailed to the account's current address. Writes
 * `auth.password.reset` (and `auth.session.revoked`, cause `password_reset`, when sessions ended) in the unit of work.
 */
export class ResetPassword {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'sessions' | 'passwordHasher' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(input: ResetPasswordInput, signal?: AbortSignal, client: EventClient = {}): Promise<void> {
    const { clientAddress } = client;
    const violations = new FieldViolations();
    violations.add('token', checkMailedToken(input.token));
    violations.add('new_password', checkNewPassword(input.newPassword));
    violations.throwIfAny();
    const now = this.deps.clock.now();
    const attempt = await this.attempts.tokenRedemption(clientAddress, now);
    // Hashed before the unit of work, so no transaction waits for a hash; a wrong token costs one, within the redemption limit.
    const passwordHash = await attempt.during(() => this.deps.passwordHasher.hash(input.newPassword, signal));
    throwIfAborted(signal);
    const accountId = await underRedemption(attempt, () =>
      this.deps.unitOfWork.run(async (scope) => {
        const { account } = await redeemToken(scope, input.token, 'reset-password', now, true);
        // Revoked before the commit: if the session store fails, the unit of work rolls back and the token still works.
        const revoked = await this.deps.sessions.revokeAllForAccount(account.id, now);
        const verifies = account.emailVerifiedAt === null;
        const updated = await scope.accounts.update(account.id, verifies ? { passwordHash, emailVerifiedAt: now } : { passwordHash }, now);
        if (updated === null) throw accountNotFound();
        if (verifies) await scope.outbox.append([this.events.updated(updated, now)]);
        const events = [this.securityEvents.build({ type: 'auth.password.reset', accountId: updated.id }, client, now)];
        if (revoked > 0) events.push(this.securityEvents.build({ type: 'auth.session.revoked', accountId: updated.id, reason: 'password_reset', sessionCount: revoked }, client, now));
        await this.securityEvents.recordIn(scope, events);
        return updated.id;
      }),
    );
    // Again after the commit: a login with the old password that raced the change keeps no session.
    await this.deps.sessions.revokeAllForAccount(accountId, now);
  }
}
