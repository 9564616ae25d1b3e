import type { Principal } from '../auth/principal.model.js';
import { usedSecondFactor } from '../domain/second-factor.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';

/**
 * Step-up for sensitive changes (ChangePassword, DisableTotp, DeleteAccount of oneself): when the account has a
 * second factor, the caller's token must come from a sign-in that used one (`amr`) no longer than
 * reauthenticationWindowMs ago (`auth_time`); else REAUTHENTICATION_REQUIRED, and the client signs in again
 * (Login, then CompleteLogin) for a fresh token. An account without a factor is not asked for more than before.
 */
export class StepUp {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors'>,
    private readonly settings: Pick<AuthServiceOptions, 'reauthenticationWindowMs'>,
  ) {}

  async require(caller: Principal, accountId: string, now: Date): Promise<void> {
    const factors = await this.deps.secondFactors.enrolledFactors(accountId);
    if (!factors.some((f) => f !== 'recovery_code')) return;
    const recent = caller.authTime !== undefined && now.getTime() - caller.authTime.getTime() <= this.settings.reauthenticationWindowMs;
    if (!recent || !usedSecondFactor(caller.amr ?? ['pwd'])) throw new DomainError('REAUTHENTICATION_REQUIRED');
  }
}
