import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { DomainError } from '../errors/domain.errors.js';
import { matchTotpStep } from '../crypto/totp.codec.js';
import { newRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { requireSecretBox, secondFactorInvalid } from './second-factor-verifier.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface ConfirmTotpEnrolmentInput {
  id: string;
  /** The app's current code. */
  totpCode: string;
}
export interface ConfirmTotpEnrolmentOutput {
  /** The recovery codes issued with the account's first factor, shown this once; empty when it already had a factor. */
  recoveryCodes: string[];
}

export const notEnrolled = (): DomainError => new DomainError('SECOND_FACTOR_NOT_ENROLLED');

/**
 * Enables the pending TOTP authenticator once a code of its secret comes back (counted like any second-factor check).
 * With the account's first factor come RECOVERY_CODE_COUNT recovery codes, stored hashed in the same transaction.
 * Security events `auth.mfa.enrolled` and, for a wrong code, `auth.mfa.failed` (reason `totp`), right after.
 */
export class ConfirmTotpEnrolment {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'secondFactors' | 'clock'>,
    private readonly attempts: AttemptLimiter,
    private readonly options: Pick<AuthServiceOptions, 'secretBox'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: ConfirmTotpEnrolmentInput, client: EventClient = {}): Promise<ConfirmTotpEnrolmentOutput> {
    const principal = authorizeCaller('ConfirmTotpEnrolment', caller, input.id);
    const violations = new FieldViolations();
    violations.add('totp_code', /^\d{6}$/.test(input.totpCode) ? null : 'must be 6 digits');
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const pending = await this.deps.secondFactors.totpOf(input.id);
    if (pending === null || pending.confirmedAt !== null) throw notEnrolled();
    const reservation = await this.attempts.secondFactor(input.id, now);
    const step = matchTotpStep(requireSecretBox(this.options).open(pending.sealedSecret, input.id), input.totpCode, now);
    if (step === null) {
      this.securityEvents.record([{ type: 'auth.mfa.failed', accountId: input.id, sessionId: principal.sessionId, reason: 'totp' }], client);
      throw secondFactorInvalid();
    }
    const firstFactor = (await reservation.during(() => this.deps.secondFactors.enrolledFactors(input.id))).length === 0;
    const recoveryCodes = firstFactor ? Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode) : [];
    const confirmed = await reservation.during(() =>
      this.deps.secondFactors.confirmTotp(input.id, step, firstFactor ? recoveryCodes.map(recoveryCodeDigest) : null, now),
    );
    if (!confirmed) throw notEnrolled();
    await reservation.succeeded();
    this.securityEvents.record([{ type: 'auth.mfa.enrolled', accountId: input.id, sessionId: principal.sessionId, reason: 'totp' }], client);
    return { recoveryCodes };
  }
}
