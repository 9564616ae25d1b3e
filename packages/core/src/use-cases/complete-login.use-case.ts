import { assuranceOf, type AuthMethod } from '../domain/second-factor.model.js';
import { DomainError } from '../errors/domain.errors.js';
import { secretDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { SecondFactorProof, SignedIn } from '../service/auth-service.types.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkProof, type SecondFactorVerifier } from './second-factor-verifier.service.js';
import { credentialStamp } from './mfa-ticket.service.js';
import type { TokenPairIssuer } from './token-pair-issuer.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';
import type { NewDeviceNotifier } from './new-device-notice.service.js';
import { cleanUserAgent } from '../validation/field.rules.js';

export interface CompleteLoginInput extends SecondFactorProof {
  /** The ticket Login returned. */
  ticket: string;
}
export type CompleteLoginOutput = SignedIn;

const MAX_TICKET_LENGTH = 128;

export const mfaTicketInvalid = (): DomainError => new DomainError('MFA_TICKET_INVALID');

/**
 * The second step of a sign-in with a second factor: the ticket of Login and a TOTP code, a recovery code or a passkey
 * assertion (to BeginPasskeyLogin's options for the ticket) give the
 * token pair. The ticket is bound to its account and to the password and role it was issued under (a change of either
 * since Login voids it), lives minutes, and is taken (single use) only once the factor is accepted, so a mistyped
 * code can be corrected; wrong codes are throttled per account (SecondFactorVerifier), not per ticket, so fresh
 * tickets give no fresh guesses.
 *
 * The session gets the device fields a Login's gets: the client address and user agent of this call, the device name
 * given to Login (kept with the ticket). Security events: `auth.login.succeeded`, and those of SecondFactorVerifier.
 */
export class CompleteLogin {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'secondFactors' | 'clock' | 'sessions'>,
    private readonly factors: SecondFactorVerifier,
    private readonly tokens: TokenPairIssuer,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly newDevices: NewDeviceNotifier | null = null,
  ) {}

  async execute(input: CompleteLoginInput, signal?: AbortSignal, client: EventClient = {}): Promise<CompleteLoginOutput> {
    const violations = new FieldViolations();
    if (typeof input.ticket !== 'string' || input.ticket === '') violations.add('ticket', 'is required');
    else if (input.ticket.length > MAX_TICKET_LENGTH) violations.add('ticket', `must be at most ${MAX_TICKET_LENGTH} characters`);
    checkProof(violations, input, true);
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const hash = secretDigest(input.ticket);
    const ticket = await this.deps.secondFactors.peekChallenge(hash, 'mfa-login', now);
    if (ticket === null || ticket.accountId === null) throw mfaTicketInvalid();
    const account = await this.deps.accounts.findById(ticket.accountId);
    if (account === null || credentialStamp(account) !== ticket.data['stamp']) {
      await this.deps.secondFactors.takeChallenge(hash, 'mfa-login', now);
      throw mfaTicketInvalid();
    }
    throwIfAborted(signal);
    const accepted = await this.factors.verify(account.id, input, now, client);
    // Taken after the factor: of two completions racing with two good codes, one gets the session.
    if ((await this.deps.secondFactors.takeChallenge(hash, 'mfa-login', now)) === null) throw mfaTicketInvalid();

    const methods: AuthMethod[] = ['pwd', accepted.method];
    const deviceName = typeof ticket.data['deviceName'] === 'string' ? ticket.data['deviceName'] : null;
    const device = { clientAddress: client.clientAddress ?? null, userAgent: cleanUserAgent(client.userAgent), deviceName };
    const { sessionId, tokens } = await this.tokens.startSession(account, now, device, assuranceOf(methods, now));
    // As in Login: a password or role change that committed meanwhile may have missed this new session.
    const current = await this.deps.accounts.findById(account.id);
    if (current === null || credentialStamp(current) !== ticket.data['stamp']) {
      await this.deps.sessions.revoke(sessionId, now);
      throw mfaTicketInvalid();
    }
    this.securityEvents.record([{ type: 'auth.login.succeeded', accountId: account.id, sessionId, reason: 'mfa' }], client);
    await this.newDevices?.signedIn(account, device, now);
    return { accountId: account.id, username: account.username, role: account.role, tokens };
  }
}
