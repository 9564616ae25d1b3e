import type { Account } from '../domain/account.model.js';
import { isDisabled, normalizeLogin } from '../domain/account.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { LoginResult } from '../service/auth-service.types.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkLogin, checkPasswordLength } from '../validation/field.rules.js';
import type { CredentialChecker } from './credential-checker.service.js';
import { invalidCredentials } from './credential-checker.service.js';
import type { TokenPairIssuer } from './token-pair-issuer.service.js';

export interface LoginInput {
  /** Username or email, any case. */
  login: string;
  password: string;
}
export type LoginOutput = LoginResult;

/**
 * Signs in with a username or email and a password, starting a new session (one per device: other sessions
 * stay alive). Unknown account and wrong password fail alike, and are limited alike: attempts are counted per login
 * name (as normalised for the lookup) and client address before any hash is spent (see AttemptLimiter).
 */
export class Login {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'passwordHasher' | 'clock' | 'sessions'>,
    private readonly credentials: CredentialChecker,
    private readonly tokens: TokenPairIssuer,
  ) {}

  async execute(input: LoginInput, signal?: AbortSignal, clientAddress?: string): Promise<LoginOutput> {
    // Only checks that do not depend on any account: a too-long password can never match, whoever asks.
    const violations = new FieldViolations();
    violations.add('login', checkLogin(input.login));
    violations.add('password', input.password === '' ? 'is required' : checkPasswordLength(input.password));
    violations.throwIfAny();

    const now = this.deps.clock.now();
    // Counted before the lookup, under the name as typed (normalised), so an unknown name costs what a known one does.
    const attempt = await this.credentials.begin(normalizeLogin(input.login), clientAddress, now);
    const account = await attempt.during(() => this.deps.accounts.findByLogin(input.login));
    await attempt.verify(input.password, account?.passwordHash ?? null, signal);
    if (account === null) throw invalidCredentials(); // unreachable: a dummy hash never matches
    // Only now, the password verified: whoever does not know it learns nothing about the account's state.
    if (isDisabled(account, now)) throw new DomainError('ACCOUNT_DISABLED');
    // A caller that gave up during the hash gets no session (nobody would ever hold its tokens).
    throwIfAborted(signal);

    const verifiedHash = this.deps.passwordHasher.needsRehash(account.passwordHash)
      ? await this.rehash(account, input.password, signal)
      : account.passwordHash;
    // Sent together: forgiving the attempt and the new session cost one round trip to the shared store, not two.
    const [, { sessionId, tokens }] = await Promise.all([attempt.succeeded(), this.tokens.startSession(account, now)]);
    await this.abandonIfChangedMeanwhile(account, verifiedHash, sessionId, now);
    return { accountId: account.id, username: account.username, role: account.role, tokens };
  }

  /**
   * A ChangePassword, SetRole or DisableAccount that committed while this login was hashing revokes the sessions it can list
   * after its commit; a session this login created later would survive with the old password or role. So, once
   * the session exists, read the account again: if its password or role changed, give the session up. Either the
   * change listed this session (and revoked it) or this read sees the change. Costs one primary-key read on a path
   * that already spends a bcrypt verification.
   */
  private async abandonIfChangedMeanwhile(account: Account, verifiedHash: string, sessionId: string, now: Date): Promise<void> {
    const current = await this.deps.accounts.findById(account.id);
    if (current !== null && current.passwordHash === verifiedHash && current.role === account.role && !isDisabled(current, now)) return;
    await this.deps.sessions.revoke(sessionId, now);
    // A DisableAccount that committed meanwhile: the same answer as if it had come first.
    if (current !== null && current.passwordHash === verifiedHash && isDisabled(current, now)) throw new DomainError('ACCOUNT_DISABLED');
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
