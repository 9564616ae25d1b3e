import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { newRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkDeviceName } from '../validation/field.rules.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { checkWebAuthnResponse, requirePasskeys, type PasskeyCeremonies } from './passkey-ceremonies.service.js';
import { secondFactorInvalid } from './second-factor-verifier.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface FinishPasskeyRegistrationInput {
  id: string;
  /** JSON of the new credential (PublicKeyCredential.toJSON() of `navigator.credentials.create()`). */
  response: string;
  /** A name for the passkey, shown by ListPasskeys ("Work laptop"); at most 64 characters. */
  name?: string;
}
export interface FinishPasskeyRegistrationOutput {
  /** The credential id of the new passkey (base64url). */
  credentialId: string;
  /** The recovery codes issued with the account's first factor, shown this once; empty when it already had one. */
  recoveryCodes: string[];
}

/**
 * Registers the passkey created for the options of BeginPasskeyRegistration (their challenge is taken: single use),
 * verified against the relying party's id and origins (attestation not required). Counted like a second-factor
 * check. With the account's first factor come RECOVERY_CODE_COUNT recovery codes, in the same transaction.
 * Security event `auth.mfa.enrolled` (reason `passkey`).
 */
export class FinishPasskeyRegistration {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors' | 'clock'>,
    private readonly attempts: AttemptLimiter,
    private readonly passkeys: PasskeyCeremonies,
    private readonly options: Parameters<typeof requirePasskeys>[0],
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: FinishPasskeyRegistrationInput, client: EventClient = {}): Promise<FinishPasskeyRegistrationOutput> {
    const principal = authorizeCaller('FinishPasskeyRegistration', caller, input.id);
    const violations = new FieldViolations();
    checkWebAuthnResponse(violations, 'response', input.response);
    violations.add('name', checkDeviceName(input.name));
    violations.throwIfAny();
    requirePasskeys(this.options);

    const now = this.deps.clock.now();
    const reservation = await this.attempts.secondFactor(input.id, now);
    const passkey = await reservation.during(() => this.passkeys.verifyRegistration(input.id, input.response, input.name || null, now)).catch((error: unknown) => {
      this.securityEvents.record([{ type: 'auth.mfa.failed', accountId: input.id, sessionId: principal.sessionId, reason: 'passkey' }], client);
      throw error;
    });
    const firstFactor = (await reservation.during(() => this.deps.secondFactors.enrolledFactors(input.id))).length === 0;
    const recoveryCodes = firstFactor ? Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode) : [];
    const added = await reservation.during(() => this.deps.secondFactors.addPasskey(passkey, firstFactor ? recoveryCodes.map(recoveryCodeDigest) : null));
    if (!added) throw secondFactorInvalid();
    await reservation.succeeded();
    this.securityEvents.record([{ type: 'auth.mfa.enrolled', accountId: input.id, sessionId: principal.sessionId, reason: 'passkey' }], client);
    return { credentialId: passkey.credentialId, recoveryCodes };
  }
}
