import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { secretDigest } from '../crypto/one-time-secret.codec.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { mfaTicketInvalid } from './complete-login.use-case.js';
import type { PasskeyCeremonies } from './passkey-ceremonies.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';

export interface BeginPasskeyLoginInput {
  /** The MFA ticket of Login, to use a passkey as the second factor (then CompleteLogin); empty for a passwordless sign-in (then FinishPasskeyLogin). */
  ticket?: string;
}
export interface BeginPasskeyLoginOutput {
  /** JSON of PublicKeyCredentialRequestOptions, for `navigator.credentials.get()` (startAuthentication in the browser library). */
  options: string;
}

/**
 * Request options for a passkey sign-in, with a single-use challenge (lives mfa.ticketTtl). With Login's ticket: the
 * ticket's account's passkeys, for CompleteLogin (the ticket is looked at, not taken). Without: any discoverable
 * passkey, user verification required, for FinishPasskeyLogin. An unauthenticated caller learns nothing: without a
 * ticket the options name no account. Each call stores a challenge, so calls are counted per client address
 * (passkeyChallengesPerAddress; RATE_LIMITED beyond).
 */
export class BeginPasskeyLogin {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors' | 'clock'>,
    private readonly passkeys: PasskeyCeremonies,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(input: BeginPasskeyLoginInput, clientAddress?: string): Promise<BeginPasskeyLoginOutput> {
    const violations = new FieldViolations();
    if (input.ticket !== undefined && input.ticket.length > 128) violations.add('ticket', 'must be at most 128 characters');
    violations.throwIfAny();
    const now = this.deps.clock.now();
    await this.attempts.passkeyChallenge(clientAddress, now);
    let accountId: string | null = null;
    if (input.ticket) {
      const ticket = await this.deps.secondFactors.peekChallenge(secretDigest(input.ticket), 'mfa-login', now);
      if (ticket === null || ticket.accountId === null) throw mfaTicketInvalid();
      accountId = ticket.accountId;
    }
    return { options: await this.passkeys.authenticationOptions(accountId, now) };
  }
}
