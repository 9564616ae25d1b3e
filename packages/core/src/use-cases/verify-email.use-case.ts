import { toPublicProfile, type PublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { accountNotFound } from './account-lookup.service.js';
import { redeemToken, underRedemption } from './account-mail.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { checkMailedToken } from '../validation/mailed-token.rules.js';

export interface VerifyEmailInput {
  token: string;
}
export type VerifyEmailOutput = PublicProfile;

/**
 * Spends a verification token and marks the address it was mailed to as verified, if it is still the account's
 * address; writes `*.updated`. Any token that does not work: ACCOUNT_TOKEN_INVALID, counted per client address.
 */
export class VerifyEmail {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(input: VerifyEmailInput, signal?: AbortSignal, clientAddress?: string): Promise<VerifyEmailOutput> {
    const violations = new FieldViolations();
    violations.add('token', checkMailedToken(input.token));
    violations.throwIfAny();
    const now = this.deps.clock.now();
    const attempt = await this.attempts.tokenRedemption(clientAddress, now);
    const account = await underRedemption(attempt, () =>
      this.deps.unitOfWork.run(async (scope) => {
        const { account } = await redeemToken(scope, input.token, 'verify-email', now, true);
        if (account.emailVerifiedAt !== null) return account;
        const updated = await scope.accounts.update(account.id, { emailVerifiedAt: now }, now);
        if (updated === null) throw accountNotFound();
        await scope.outbox.append([this.events.updated(updated, now)]);
        throwIfAborted(signal);
        return updated;
      }),
    );
    return toPublicProfile(account);
  }
}
