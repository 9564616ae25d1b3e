import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { normalizeEmail } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { requireAccount } from './account-lookup.service.js';
import type { AccountMailer } from './account-mail.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';

export interface RequestEmailVerificationInput {
  id: string;
}
export interface RequestEmailVerificationOutput {
  /** True when the address was verified already: no mail is sent. */
  alreadyVerified: boolean;
}

/**
 * Mails the account's own address a verification link (a new token voids the earlier ones). Counted against the
 * account's and the address's mail limits (RATE_LIMITED with when to retry); the mail is queued in the same unit of
 * work as its token.
 */
export class RequestEmailVerification {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'clock'>,
    private readonly mailer: AccountMailer,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(caller: Caller, input: RequestEmailVerificationInput, signal?: AbortSignal): Promise<RequestEmailVerificationOutput> {
    authorizeCaller('RequestEmailVerification', caller, input.id);
    const now = this.deps.clock.now();
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    if (account.emailVerifiedAt !== null) return { alreadyVerified: true };
    throwIfAborted(signal);
    const reservation = await this.attempts.mail(account.id, normalizeEmail(account.email), now);
    return reservation.during(() =>
      this.deps.unitOfWork.run(async (scope) => {
        const current = requireAccount(await scope.accounts.findById(account.id));
        if (current.emailVerifiedAt !== null) return { alreadyVerified: true };
        await this.mailer.sendToken(scope, 'verify-email', 'verify-email', current, current.email, now);
        throwIfAborted(signal);
        return { alreadyVerified: false };
      }),
    );
  }
}
