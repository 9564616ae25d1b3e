import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { normalizeLogin } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { SecondFactorProof } from '../service/auth-service.types.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkPasswordLength } from '../validation/field.rules.js';
import { requireAccount } from './account-lookup.service.js';
import { notEnrolled } from './confirm-totp-enrolment.use-case.js';
import type { CredentialChecker } from './credential-checker.service.js';
import { checkProof, type SecondFactorVerifier } from './second-factor-verifier.service.js';
import type { StepUp } from './step-up.service.js';
import type { SecurityEventRecorder } from './security-event-recorder.service.js';

export interface DisableTotpInput extends SecondFactorProof {
  id: string;
  password: string;
}

/**
 * Removes the caller's TOTP authenticator: needs the password (counted like a login) and a current code or an unused
 * recovery code (counted like any second-factor check), from a session signed in with a factor recently (StepUp).
 * When no other factor is left, the recovery codes go too. Security event `auth.mfa.removed` (reason `totp`).
 */
export class DisableTotp {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'secondFactors' | 'clock'>,
    private readonly credentials: CredentialChecker,
    private readonly factors: SecondFactorVerifier,
    private readonly stepUp: StepUp,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: DisableTotpInput, signal?: AbortSignal, clientAddress?: string, userAgent?: string): Promise<void> {
    const principal = authorizeCaller('DisableTotp', caller, input.id);
    const violations = new FieldViolations();
    violations.add('password', input.password === '' ? 'is required' : checkPasswordLength(input.password));
    checkProof(violations, input);
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    const totp = await this.deps.secondFactors.totpOf(account.id);
    if (totp === null || totp.confirmedAt === null) throw notEnrolled();
    await this.stepUp.require(principal, account.id, now);
    const attempt = await this.credentials.begin(normalizeLogin(account.username), clientAddress, now);
    await attempt.verify(input.password, account.passwordHash, signal);
    await attempt.succeeded();
    const origin = { clientAddress, userAgent, sessionId: principal.sessionId };
    await this.factors.verify(account.id, input, now, origin);
    const others = (await this.deps.secondFactors.enrolledFactors(account.id)).filter((f) => f !== 'totp' && f !== 'recovery_code');
    if (await this.deps.secondFactors.removeTotp(account.id, others.length === 0)) {
      this.securityEvents.record([{ type: 'auth.mfa.removed', accountId: account.id, sessionId: principal.sessionId, reason: 'totp' }], origin);
    }
  }
}
