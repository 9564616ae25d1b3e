import { randomBytes } from 'node:crypto';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { AttemptLimiter, Reservation } from './attempt-limiter.service.js';

export const invalidCredentials = (): DomainError => new DomainError('INVALID_CREDENTIALS');

/** One counted attempt at a password: look up, verify, then say it succeeded. */
export interface CredentialAttempt {
  /** Runs `lookup` for this attempt; if it throws, the attempt is given back (nothing was verified). */
  during<T>(lookup: () => Promise<T>): Promise<T>;
  /**
   * Resolves when `password` matches `passwordHash`, else INVALID_CREDENTIALS (the attempt stays counted).
   * `passwordHash: null` (unknown account) verifies against a dummy hash of the same cost, so both failures take the
   * same time and give the same error. An attempt whose hash never ran (queue full, caller gone) is given back.
   */
  verify(password: string, passwordHash: string | null, signal?: AbortSignal): Promise<void>;
  /** After a match: forgives this login name's failures from this address and gives the shared counts their attempt back. */
  succeeded(): Promise<void>;
  /** The limits this attempt filled (see Reservation.tripped). */
  readonly tripped: readonly string[];
}

/**
 * Checks presented passwords under the login limits, for Login and ChangePassword alike: ChangePassword counts under
 * the account's username, so a stolen access token guesses no faster than a login by username does.
 */
export class CredentialChecker {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'passwordHasher'>,
    private readonly attempts: AttemptLimiter,
  ) {}

  /**
   * Counts one attempt at the password of login name `name` (as normalizeLogin gives it) from `clientAddress`,
   * atomically and before any hash is spent: LOGIN_THROTTLED (whatever the password) when a limit is reached. Any
   * number of concurrent attempts, on any number of instances, get at most the limit's worth of verifications.
   */
  async begin(name: string, clientAddress: string | undefined, now: Date): Promise<CredentialAttempt> {
    const reservation = await this.attempts.login(name, clientAddress, now);
    return {
      during: (lookup) => reservation.during(lookup),
      verify: (password, passwordHash, signal) => this.verify(reservation, password, passwordHash, signal),
      succeeded: () => reservation.succeeded(),
      tripped: reservation.tripped,
    };
  }

  private async verify(reservation: Reservation, password: string, passwordHash: string | null, signal: AbortSignal | undefined): Promise<void> {
    const matches = await reservation.during(async () => this.deps.passwordHasher.verify(password, passwordHash ?? (await this.getDummyHash()), signal));
    if (!matches || passwordHash === null) throw invalidCredentials();
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
