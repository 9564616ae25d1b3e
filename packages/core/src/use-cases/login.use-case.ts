import type { Account } from '../domain/account.js';
import { normalizeEmail } from '../domain/account.js';
import type { AuthServiceDependencies } from '../service/auth-service.options.js';
import type { LoginResult } from '../service/auth-service.js';
import { FieldViolations } from '../validation/field-violations.js';
import { checkLogin, checkPasswordLength } from '../validation/field-rules.js';
import type { CredentialChecker } from './credential.checker.js';
import { invalidCredentials } from './credential.checker.js';
import type { TokenPairIssuer } from './token-pair.issuer.js';

export interface LoginInput {
  /** Username or email, any case. */
  login: string;
  password: string;
}
export type LoginOutput = LoginResult;

/**
 * Signs in with a username or email and a password, starting a new session (one per device: other sessions
 * stay alive). Unknown account and wrong password fail alike; failures are throttled per account.
 */
export class Login {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'passwordHasher' | 'clock'>,
    private readonly credentials: CredentialChecker,
    private readonly tokens: TokenPairIssuer,
  ) {}

  async execute(input: LoginInput): Promise<LoginOutput> {
    // Only checks that do not depend on any account: a too-long password can never match, whoever asks.
    const violations = new FieldViolations();
    violations.add('login', checkLogin(input.login));
    violations.add('password', input.password === '' ? 'is required' : checkPasswordLength(input.password));
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const account = await this.deps.accounts.findByLogin(input.login);
    // An unknown login is throttled under its own key, so guessing names costs as much as guessing passwords.
    const throttleKey = account === null ? `login:${normalizeEmail(input.login)}` : `account:${account.id}`;
    await this.credentials.check(throttleKey, input.password, account?.passwordHash ?? null, now);
    if (account === null) throw invalidCredentials(); // unreachable: a dummy hash never matches

    if (this.deps.passwordHasher.needsRehash(account.passwordHash)) await this.rehash(account, input.password);
    // Sent together: the throttle reset and the new session cost one round trip to the shared store, not two.
    const [, { tokens }] = await Promise.all([this.credentials.succeeded(throttleKey), this.tokens.startSession(account, now)]);
    return { accountId: account.id, username: account.username, role: account.role, tokens };
  }

  /** Replaces a hash made with a lower cost than configured; not a profile change, so no event. */
  private async rehash(account: Account, password: string): Promise<void> {
    const passwordHash = await this.deps.passwordHasher.hash(password);
    await this.deps.unitOfWork.run((scope) => scope.accounts.update(account.id, { passwordHash }, this.deps.clock.now()));
  }
}
