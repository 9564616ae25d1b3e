import { authorize } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { toPublicProfile, type PublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { accountNotFound } from './account-lookup.service.js';
import { redeemToken, underRedemption } from './account-mail.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { checkMailedToken } from '../validation/mailed-token.rules.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface ConfirmEmailChangeInput {
  token: string;
}
export type ConfirmEmailChangeOutput = PublicProfile;

/**
 * Spends an email-change token: the account's address becomes the one the token was mailed to, verified (uniqueness
 * checked again by the store at this moment: EMAIL_TAKEN if another account took it meanwhile, and the token stays
 * unspent). Verification tokens of the former address are voided, every session of the account is revoked except
 * the caller's own when the caller is signed in to it; writes `*.updated`, and in the same unit of work
 * `auth.email.changed` (never the addresses) and `auth.session.revoked` (cause `email_change`) when sessions ended.
 */
export class ConfirmEmailChange {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'sessions' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: ConfirmEmailChangeInput, signal?: AbortSignal, client: EventClient = {}): Promise<ConfirmEmailChangeOutput> {
    const { clientAddress } = client;
    const principal = authorize('ConfirmEmailChange', caller);
    const violations = new FieldViolations();
    violations.add('token', checkMailedToken(input.token));
    violations.throwIfAny();
    const now = this.deps.clock.now();
    const attempt = await this.attempts.tokenRedemption(clientAddress, now);
    const keep = (accountId: string) => (principal?.accountId === accountId ? principal.sessionId : undefined);
    const updated = await underRedemption(attempt, () =>
      this.deps.unitOfWork.run(async (scope) => {
        const { record, account } = await redeemToken(scope, input.token, 'change-email', now, false);
        const revoked = await this.deps.sessions.revokeAllForAccount(account.id, now, keep(account.id));
        const changed = await scope.accounts.update(account.id, { email: record.email, emailVerifiedAt: now }, now);
        if (changed === null) throw accountNotFound();
        await scope.tokens.voidAll(account.id, 'verify-email', now);
        await scope.tokens.voidAll(account.id, 'reset-password', now);
        await scope.outbox.append([this.events.updated(changed, now)]);
        const events = [this.securityEvents.build({ type: 'auth.email.changed', accountId: changed.id, sessionId: keep(changed.id) ?? null }, client, now)];
        if (revoked > 0) events.push(this.securityEvents.build({ type: 'auth.session.revoked', accountId: changed.id, reason: 'email_change', sessionCount: revoked }, client, now));
        await this.securityEvents.recordIn(scope, events);
        throwIfAborted(signal);
        return changed;
      }),
    );
    await this.deps.sessions.revokeAllForAccount(updated.id, now, keep(updated.id));
    return toPublicProfile(updated);
  }
}
