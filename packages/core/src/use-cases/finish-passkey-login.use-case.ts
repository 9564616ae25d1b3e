import { isDisabled } from '../domain/account.model.js';
import { assuranceOf } from '../domain/second-factor.model.js';
import { DomainError, isDomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import type { SignedIn } from '../service/auth-service.types.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkDeviceName, cleanUserAgent } from '../validation/field.rules.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { checkWebAuthnResponse, requirePasskeys, type PasskeyCeremonies } from './passkey-ceremonies.service.js';
import type { SecurityEventRecorder } from './security-event-recorder.service.js';
import type { TokenPairIssuer } from './token-pair-issuer.service.js';

export interface FinishPasskeyLoginInput {
  /** JSON of the assertion (PublicKeyCredential.toJSON() of `navigator.credentials.get()`) to passwordless options. */
  response: string;
  /** Optional name of the device, shown in ListSessions; at most 64 characters. */
  deviceName?: string;
}

/**
 * Passwordless sign-in with a discoverable passkey: the assertion to the options of BeginPasskeyLogin (no ticket),
 * user verification required, names its account (user handle); a new session with amr `hwk` or `swk` (a passkey
 * with user verification is a second factor by itself, so the role policy and step-up accept it). Wrong assertions
 * for a known passkey count under its account's second-factor limit; a disabled account is refused
 * (ACCOUNT_DISABLED) only after the assertion is verified. Security event `auth.login.succeeded` (reason `passkey`).
 */
export class FinishPasskeyLogin {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'clock'>,
    private readonly attempts: AttemptLimiter,
    private readonly passkeys: PasskeyCeremonies,
    private readonly tokens: TokenPairIssuer,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly options: Pick<AuthServiceOptions, 'passkeys' | 'requireVerifiedEmail'>,
  ) {}

  async execute(input: FinishPasskeyLoginInput, clientAddress?: string, userAgent?: string): Promise<SignedIn> {
    const violations = new FieldViolations();
    checkWebAuthnResponse(violations, 'response', input.response);
    violations.add('device_name', checkDeviceName(input.deviceName));
    violations.throwIfAny();
    requirePasskeys(this.options);

    const now = this.deps.clock.now();
    const client = { clientAddress, userAgent };
    const claimed = await this.passkeys.claimedAccount(input.response);
    const reservation = claimed === null ? null : await this.attempts.secondFactor(claimed, now);
    const verified = await this.passkeys.verifyAssertion(null, input.response, now).catch(async (error: unknown) => {
      if (isDomainError(error, 'SECOND_FACTOR_INVALID') && claimed !== null) {
        this.securityEvents.record([{ type: 'auth.mfa.failed', accountId: claimed, reason: 'passkey' }], client);
      } else await reservation?.cancel();
      throw error;
    });
    await reservation?.succeeded();
    const account = await this.deps.accounts.findById(verified.passkey.accountId);
    if (account === null) throw new DomainError('SECOND_FACTOR_INVALID');
    if (isDisabled(account, now)) {
      this.securityEvents.record([{ type: 'auth.login.failed', accountId: account.id, reason: 'disabled' }], client);
      throw new DomainError('ACCOUNT_DISABLED');
    }
    if (this.options.requireVerifiedEmail && account.emailVerifiedAt === null) throw new DomainError('EMAIL_NOT_VERIFIED');
    const device = { clientAddress: clientAddress ?? null, userAgent: cleanUserAgent(userAgent), deviceName: input.deviceName || null };
    const { sessionId, tokens } = await this.tokens.startSession(account, now, device, assuranceOf([verified.method], now));
    this.securityEvents.record([{ type: 'auth.login.succeeded', accountId: account.id, sessionId, reason: 'passkey' }], client);
    return { accountId: account.id, username: account.username, role: account.role, tokens };
  }
}
