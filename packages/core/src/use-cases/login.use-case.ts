import type { Account } from '../domain/account.model.js';
import { isBarred, normalizeLogin } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { LoginResult } from '../service/auth-service.types.js';
import { DomainError } from '../errors/domain.errors.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkDeviceName, checkLogin, checkPasswordLength, cleanUserAgent } from '../validation/field.rules.js';
import type { CredentialChecker } from './credential-checker.service.js';
import { invalidCredentials } from './credential-checker.service.js';
import type { TokenPairIssuer } from './token-pair-issuer.service.js';
import type { MfaTickets } from './mfa-ticket.service.js';
import type { SecurityEventInput, SecurityEventRecorder } from './security-event-recorder.service.js';
import { isDomainError } from '../errors/domain.errors.js';
import type { NewDeviceNotifier } from './new-device-notice.service.js';

export interface LoginInput {
  /** Username or email, any case. */
  login: string;
  password: string;
  /** Optional name of the device, shown in ListSessions ("Kitchen speaker"); at most 64 characters. */
  deviceName?: string;
}
export type LoginOutput = LoginResult;

/**
 * Signs in with a username or email and a password, starting a new session (one per device: other sessions
 * stay alive). Unknown account and wrong password fail alike, and are limited alike: attempts are counted per login
 * name (as normalised for the lookup) and client address before any hash is spent (see AttemptLimiter).
 *
 * An account with a second factor gets no session yet: the right password returns an MFA ticket and the factors it
 * holds, and CompleteLogin turns the ticket and a factor into the token pair.
 */
export class Login {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'passwordHasher' | 'clock' | 'sessions' | 'secondFactors'>,
    private readonly credentials: CredentialChecker,
    private readonly tokens: TokenPairIssuer,
    private readonly tickets: MfaTickets,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly requireVerifiedEmail = false,
    private readonly newDevices: NewDeviceNotifier | null = null,
  ) {}

  async execute(input: LoginInput, signal?: AbortSignal, clientAddress?: string, userAgent?: string): Promise<LoginOutput> {
    // Only checks that do not depend on any account: a too-long password can never match, whoever asks.
    const violations = new FieldViolations();
    violations.add('login', checkLogin(input.login));
    violations.add('password', input.password === '' ? 'is required' : checkPasswordLength(input.password, this.deps.passwordHasher.maxPasswordBytes));
    violations.add('device_name', checkDeviceName(input.deviceName));
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const client = { clientAddress, userAgent };
    const name = normalizeLogin(input.login);
    // Counted before the lookup, under the name as typed (normalised), so an unknown name costs what a known one does.
    const attempt = await this.credentials.begin(name, clientAddress, now).catch((error: unknown) => {
      // Refused before any lookup: the account is not known here, the keyed hash of the name correlates.
      if (isDomainError(error, 'LOGIN_THROTTLED')) {
        this.securityEvents.record([{ type: 'auth.login.failed', reason: 'throttled', loginHash: this.securityEvents.loginHash(name) }], client);
      }
      throw error;
    });
    const account = await attempt.during(() => this.deps.accounts.findByLogin(input.login));
    try {
      await attempt.verify(input.password, account?.passwordHash ?? null, signal);
    } catch (error) {
      if (isDomainError(error, 'INVALID_CREDENTIALS')) {
        const failed: SecurityEventInput[] = [
          { type: 'auth.login.failed', accountId: account?.id ?? null, reason: 'bad_credentials', loginHash: this.securityEvents.loginHash(name) },
        ];
        if (attempt.tripped.length > 0) {
          failed.push({ type: 'auth.throttle.tripped', accountId: account?.id ?? null, reason: attempt.tripped.join(','), loginHash: this.securityEvents.loginHash(name) });
        }
        this.securityEvents.record(failed, client);
      }
      throw error;
    }
    if (account === null) throw invalidCredentials(); // unreachable: a dummy hash never matches
    // Only now, the password verified: whoever does not know it learns nothing about the account's state. A deleted
    // account awaiting erasure is refused as a disabled one is (decision 0010): its owner knows the password already.
    if (isBarred(account, now)) {
      this.securityEvents.record([{ type: 'auth.login.failed', accountId: account.id, reason: account.deletedAt !== null ? 'deleted' : 'disabled' }], client);
      throw new DomainError('ACCOUNT_DISABLED');
    }
    // A caller that gave up during the hash gets no session (nobody would ever hold its tokens).
    throwIfAborted(signal);
    // Only after the password matched: a guesser learns nothing from this answer that the password did not give.
    if (this.requireVerifiedEmail && account.emailVerifiedAt === null) {
      await attempt.succeeded();
      throw new DomainError('EMAIL_NOT_VERIFIED');
    }

    const verifiedHash = this.deps.passwordHasher.needsRehash(account.passwordHash)
      ? await this.rehash(account, input.password, signal)
      : account.passwordHash;
    const factors = await attempt.during(() => this.deps.secondFactors.enrolledFactors(account.id));
    if (factors.length > 0) {
      const ticketed = this.tickets.issue({ ...account, passwordHash: verifiedHash }, factors, now, input.deviceName || null);
      const [, secondFactor] = await Promise.all([attempt.succeeded(), ticketed]);
      return { accountId: account.id, username: account.username, role: account.role, secondFactor };
    }
    // Sent together: forgiving the attempt and the new session cost one round trip to the shared store, not two.
    const device = { clientAddress: clientAddress ?? null, userAgent: cleanUserAgent(userAgent), deviceName: input.deviceName || null };
    const [, { sessionId, tokens }] = await Promise.all([attempt.succeeded(), this.tokens.startSession(account, now, device)]);
    await this.abandonIfChangedMeanwhile(account, verifiedHash, sessionId, now);
    this.securityEvents.record([{ type: 'auth.login.succeeded', accountId: account.id, sessionId }], client);
    await this.newDevices?.signedIn(account, device, now);
    return { accountId: account.id, username: account.username, role: account.role, tokens };
  }

  /**
   * A ChangePassword, SetRole, DisableAccount or DeleteAccount that committed while this login was hashing revokes the sessions it can list
   * after its commit; a session this login created later would survive with the old password or role. So, once
   * the session exists, read the account again: if its password or role changed, give the session up. Either the
   * change listed this session (and revoked it) or this read sees the change. Costs one primary-key read on a path
   * that already spends a bcrypt verification.
   */
  private async abandonIfChangedMeanwhile(account: Account, verifiedHash: string, sessionId: string, now: Date): Promise<void> {
    const current = await this.deps.accounts.findById(account.id);
    if (current !== null && current.passwordHash === verifiedHash && current.role === account.role && !isBarred(current, now)) return;
    await this.deps.sessions.revoke(sessionId, now);
    // A DisableAccount or DeleteAccount that committed meanwhile: the same answer as if it had come first.
    if (current !== null && current.passwordHash === verifiedHash && isBarred(current, now)) throw new DomainError('ACCOUNT_DISABLED');
    throw invalidCredentials();
  }

  /**
   * Replaces a hash made with a lower cost than configured (not a profile change, so no event). Compare-and-set
   * inside the unit of work: if a ChangePassword stored a new hash since this login read the account, the rehash
   * of the OLD password must not overwrite it; the login then fails like any login racing a password change.
   * Returns the hash now stored.
   */
  private async rehash(account: Account, password: string, signal: AbortSignal | undefined): Promise<string> {
    const passwordHash = await this.deps.passwordHasher.hash(password, signal);
    const stored = await this.deps.unitOfWork.run(async (scope) => {
      const current = await scope.accounts.findById(account.id);
      if (current === null || current.passwordHash !== account.passwordHash) return null;
      await scope.accounts.update(account.id, { passwordHash }, this.deps.clock.now());
      throwIfAborted(signal);
      return passwordHash;
    });
    if (stored === null) throw invalidCredentials();
    return stored;
  }
}
