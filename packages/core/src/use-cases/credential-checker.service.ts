import { randomBytes } from 'node:crypto';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';

export const invalidCredentials = (): DomainError => new DomainError('INVALID_CREDENTIALS');

/**
 * Checks a presented password under the login throttle. Used by Login and ChangePassword, so a stolen
 * access token cannot be used to guess the password through ChangePassword faster than through Login.
 */
export class CredentialChecker {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: Pick<AuthServiceDependencies, 'passwordHasher' | 'loginThrottle'>) {}

  /**
   * Resolves when `password` matches `passwordHash`; throws LOGIN_THROTTLED (whatever the password) when `throttleKey`
   * is locked, INVALID_CREDENTIALS otherwise. `passwordHash: null` (unknown account) verifies against a dummy hash
   * of the same cost, so both failures take the same time and give the same error.
   */
  async verify(throttleKey: string, password: string, passwordHash: string | null, now: Date, signal?: AbortSignal): Promise<void> {
    await this.check(throttleKey, password, passwordHash, now, signal);
    await this.succeeded(throttleKey);
  }

  /**
   * verify() without the reset of the failure count, for a caller that sends that reset together with its next
   * store call (Login: the reset and the new session go to the store in the same round trip). A caller that gave up
   * (`signal`) before its verification started costs no hash and records no failure.
   */
  async check(throttleKey: string, password: string, passwordHash: string | null, now: Date, signal?: AbortSignal): Promise<void> {
    const decision = await this.deps.loginThrottle.check(throttleKey, now);
    if (!decision.allowed) {
      throw new DomainError('LOGIN_THROTTLED', { retryAfterMs: decision.retryAfterMs });
    }
    const matches = await this.deps.passwordHasher.verify(password, passwordHash ?? (await this.getDummyHash()), signal);
    if (!matches || passwordHash === null) {
      await this.deps.loginThrottle.recordFailure(throttleKey, now);
      throw invalidCredentials();
    }
  }

  /** Forgets the failures of `throttleKey` after its password matched. */
  succeeded(throttleKey: string): Promise<void> {
    return this.deps.loginThrottle.reset(throttleKey);
  }

  /** A hash of a random password nobody knows, made with the hasher's current cost on first need. */
  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.deps.passwordHasher.hash(randomBytes(18).toString('base64url')).catch((error: unknown) => {
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }
}
