import { DomainError } from '../errors/domain.errors.js';
import type { SecretBox } from '../crypto/secret-box.codec.js';
import { matchTotpStep } from '../crypto/totp.codec.js';
import { recoveryCodeDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import type { SecondFactorProof } from '../service/auth-service.types.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { isDomainError } from '../errors/domain.errors.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';
import type { AuthMethod } from '../domain/second-factor.model.js';
import { checkWebAuthnResponse, type PasskeyCeremonies } from './passkey-ceremonies.service.js';

export const secondFactorInvalid = (): DomainError => new DomainError('SECOND_FACTOR_INVALID');

/** Where a check comes from, for its security events: the call's client and the caller's session, if any. */
export interface CheckOrigin extends EventClient {
  sessionId?: string | null;
}

/** Which proof was accepted, and the amr it gives. */
export interface AcceptedProof {
  kind: 'totp' | 'recovery_code' | 'passkey';
  method: AuthMethod;
}

/** The longest code anyone types: refused beyond, before any work. */
const MAX_CODE_LENGTH = 64;

/**
 * Field checks of a proof: exactly one of `totp_code` and `recovery_code` (or `passkey_assertion` where `passkeys`
 * says it is accepted: CompleteLogin), of a sane length.
 */
export function checkProof(violations: FieldViolations, proof: SecondFactorProof, passkeys = false): void {
  const given = [proof.totpCode, proof.recoveryCode, passkeys ? proof.passkeyAssertion : undefined].filter((v) => v !== undefined && v !== '');
  if (given.length !== 1) {
    violations.add('totp_code', passkeys ? 'exactly one of totp_code, recovery_code and passkey_assertion is required' : 'exactly one of totp_code and recovery_code is required');
    return;
  }
  if (!passkeys && proof.passkeyAssertion) violations.add('passkey_assertion', 'is not accepted here: use totp_code or recovery_code');
  if (passkeys && proof.passkeyAssertion) checkWebAuthnResponse(violations, 'passkey_assertion', proof.passkeyAssertion);
  if (proof.totpCode !== undefined && proof.totpCode !== '' && !/^\d{6}$/.test(proof.totpCode)) violations.add('totp_code', 'must be 6 digits');
  if (proof.recoveryCode !== undefined && proof.recoveryCode.length > MAX_CODE_LENGTH) violations.add('recovery_code', `must be at most ${MAX_CODE_LENGTH} characters`);
}

/** The box that seals TOTP secrets; MFA_NOT_CONFIGURED when the service was built without one. */
export function requireSecretBox(options: Pick<AuthServiceOptions, 'secretBox'>): SecretBox {
  if (options.secretBox === undefined) throw new DomainError('MFA_NOT_CONFIGURED');
  return options.secretBox;
}

/**
 * Checks a TOTP code or a recovery code of an account, counted (before the check, atomically) under the account's
 * second-factor limit: wrong codes fill it, a right one gives its attempt back. A TOTP code is accepted once: its time
 * step must be later than the last accepted one, which the store settles atomically (a replay racing the first use
 * loses). A recovery code is marked used in the same atomic step that finds it.
 *
 * Security events: `auth.mfa.failed` for a wrong code (reason: the kind of proof) or a check refused by the limit
 * (`throttled`), `auth.mfa.recovery_code_used` for an accepted recovery code. The store's writes are atomic on their
 * own, outside the unit of work (decision 0011), so these are recorded right after them (decision 0009's queue).
 */
export class SecondFactorVerifier {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors'>,
    private readonly attempts: AttemptLimiter,
    private readonly options: Pick<AuthServiceOptions, 'secretBox'>,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly passkeys: PasskeyCeremonies,
  ) {}

  /** Resolves to the kind of proof accepted; SECOND_FACTOR_INVALID (counted) or LOGIN_THROTTLED otherwise. */
  async verify(accountId: string, proof: SecondFactorProof, now: Date, origin: CheckOrigin = {}): Promise<AcceptedProof> {
    const sessionId = origin.sessionId ?? null;
    const reservation = await this.attempts.secondFactor(accountId, now).catch((error: unknown) => {
      if (isDomainError(error, 'LOGIN_THROTTLED')) this.securityEvents.record([{ type: 'auth.mfa.failed', accountId, sessionId, reason: 'throttled' }], origin);
      throw error;
    });
    const accepted = await reservation.during(async (): Promise<AcceptedProof | null> => {
      if (proof.totpCode) {
        const step = await this.totpStep(accountId, proof.totpCode, now);
        return step !== null && (await this.deps.secondFactors.useTotpStep(accountId, step)) ? { kind: 'totp', method: 'otp' } : null;
      }
      if (proof.passkeyAssertion) {
        const verified = await this.passkeys.verifyAssertion(accountId, proof.passkeyAssertion, now).catch((error: unknown) => {
          if (isDomainError(error, 'SECOND_FACTOR_INVALID')) return null;
          throw error;
        });
        return verified === null ? null : { kind: 'passkey', method: verified.method };
      }
      return proof.recoveryCode && (await this.deps.secondFactors.useRecoveryCode(accountId, recoveryCodeDigest(proof.recoveryCode), now))
        ? { kind: 'recovery_code', method: 'otp' }
        : null;
    });
    if (accepted === null) {
      const reason = proof.totpCode ? 'totp' : proof.passkeyAssertion ? 'passkey' : 'recovery_code';
      this.securityEvents.record([{ type: 'auth.mfa.failed', accountId, sessionId, reason }], origin);
      throw secondFactorInvalid();
    }
    await reservation.succeeded();
    if (accepted.kind === 'recovery_code') this.securityEvents.record([{ type: 'auth.mfa.recovery_code_used', accountId, sessionId }], origin);
    return accepted;
  }

  /** The step of a code of the account's confirmed TOTP secret, within the drift allowed; null when none matches. */
  private async totpStep(accountId: string, code: string, now: Date): Promise<number | null> {
    const factor = await this.deps.secondFactors.totpOf(accountId);
    if (factor === null || factor.confirmedAt === null) return null;
    return matchTotpStep(requireSecretBox(this.options).open(factor.sealedSecret, accountId), code, now);
  }
}
