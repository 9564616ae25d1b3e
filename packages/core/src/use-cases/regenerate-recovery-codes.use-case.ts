import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { newRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { SecondFactorProof } from '../service/auth-service.types.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { notEnrolled } from './confirm-totp-enrolment.use-case.js';
import { checkProof, type SecondFactorVerifier } from './second-factor-verifier.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export type RegenerateRecoveryCodesInput = SecondFactorProof & { id: string };
export interface RegenerateRecoveryCodesOutput {
  /** RECOVERY_CODE_COUNT new codes, shown this once; every earlier code stopped working. */
  recoveryCodes: string[];
}

/**
 * Replaces the caller's recovery codes, proven with a current TOTP code or one of the recovery codes it replaces.
 * Security event `auth.mfa.recovery_codes_regenerated`.
 */
export class RegenerateRecoveryCodes {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors' | 'clock'>,
    private readonly factors: SecondFactorVerifier,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: RegenerateRecoveryCodesInput, client: EventClient = {}): Promise<RegenerateRecoveryCodesOutput> {
    const principal = authorizeCaller('RegenerateRecoveryCodes', caller, input.id);
    const violations = new FieldViolations();
    checkProof(violations, input);
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const factors = await this.deps.secondFactors.enrolledFactors(input.id);
    // Recovery codes back up a factor; with none left there is nothing to recover.
    if (!factors.some((f) => f !== 'recovery_code')) throw notEnrolled();
    const origin = { ...client, sessionId: principal.sessionId };
    await this.factors.verify(input.id, input, now, origin);
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.deps.secondFactors.replaceRecoveryCodes(input.id, recoveryCodes.map(recoveryCodeDigest), now);
    this.securityEvents.record([{ type: 'auth.mfa.recovery_codes_regenerated', accountId: input.id, sessionId: principal.sessionId }], origin);
    return { recoveryCodes };
  }
}
