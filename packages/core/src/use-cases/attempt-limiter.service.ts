import { DomainError } from '../errors/domain.errors.js';
import type { ErrorCode } from '../errors/error-codes.errors.js';
import type { RateLimit, RateLimiter } from '../ports/rate-limiter.port.js';
import { addressBucket, attemptKey, type AttemptLimits } from '../validation/attempt-limits.rules.js';

/** What a counted key does once the guarded work succeeded. */
type OnSuccess = 'reset' | 'refund' | 'keep';

interface CountedKey {
  key: string;
  limit: RateLimit;
  onSuccess: OnSuccess;
}

/** One attempt, counted under each of its limits, until its caller says how the guarded work ended. */
export class Reservation {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly counted: readonly CountedKey[],
    private readonly countedAt: Date,
  ) {}

  /**
   * The guarded work never ran, or ended without an answer (the hash queue was full, the caller gave up, a store
   * failed): every count goes back. A refund that fails leaves its attempt counted, erring on the side of refusing.
   */
  async cancel(): Promise<void> {
    await Promise.all(this.counted.map((c) => this.limiter.refund(c.key, c.limit, this.countedAt).catch(() => undefined)));
  }

  /** The work succeeded: keys that count failures get the attempt back, keys that a success forgives start over. */
  async succeeded(): Promise<void> {
    await Promise.all(
      this.counted.map((c) => {
        if (c.onSuccess === 'reset') return this.limiter.reset(c.key);
        if (c.onSuccess === 'refund') return this.limiter.refund(c.key, c.limit, this.countedAt);
        return undefined;
      }),
    );
  }

  /** Runs `work` under this reservation: if it throws, the attempt is given back first. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await this.cancel();
      throw error;
    }
  }
}

/**
 * Counts attempts before the work they guard (a password hash, a probe of the store), under the limits of
 * AttemptLimits, on the RateLimiter every instance shares. Keys are computed from what the caller presents (a login
 * name as normalised for lookup, the client address), never from what the store holds: an unknown login name is
 * counted exactly like an existing one, so no sequence of attempts tells whether an account exists.
 */
export class AttemptLimiter {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: AttemptLimits,
  ) {}

  /**
   * One password check of `name` (normalizeLogin) from `clientAddress`. Counted under (name, address) first, so a
   * single address that guesses is refused there and never fills the per-name cap the owner logs in under; then
   * under the address, then under the name. LOGIN_THROTTLED (with when to retry) when any of them is full.
   */
  login(name: string, clientAddress: string | undefined, now: Date): Promise<Reservation> {
    const address = clientAddress === undefined ? '' : addressBucket(clientAddress);
    const keys: CountedKey[] = [{ key: attemptKey('login-from', name, address), limit: this.limits.loginPerAddress, onSuccess: 'reset' }];
    if (clientAddress !== undefined) {
      keys.push({ key: attemptKey('failed-logins-from', address), limit: this.limits.failedLoginsPerAddress, onSuccess: 'refund' });
    }
    keys.push({ key: attemptKey('login', name), limit: this.limits.loginPerName, onSuccess: 'refund' });
    return this.reserve(keys, 'LOGIN_THROTTLED', now);
  }

  /** One registration from `clientAddress` (none counted without an address); RATE_LIMITED when the address is at its limit. */
  registration(clientAddress: string | undefined, now: Date): Promise<Reservation> {
    if (clientAddress === undefined) return this.reserve([], 'RATE_LIMITED', now);
    const key = attemptKey('registrations-from', addressBucket(clientAddress));
    return this.reserve([{ key, limit: this.limits.registrationsPerAddress, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** One change of the username or email of `accountId`; RATE_LIMITED when the account is at its limit. */
  identityChange(accountId: string, now: Date): Promise<Reservation> {
    return this.reserve([{ key: attemptKey('identity-change', accountId), limit: this.limits.identityChanges, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** One export of the data of `accountId`; RATE_LIMITED when the account is at its limit. */
  dataExport(accountId: string, now: Date): Promise<Reservation> {
    return this.reserve([{ key: attemptKey('data-export', accountId), limit: this.limits.dataExports, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** Counts under each key in order; on the first refusal (or failure) gives back what was counted and throws. */
  private async reserve(keys: readonly CountedKey[], refusal: ErrorCode, now: Date): Promise<Reservation> {
    const counted: CountedKey[] = [];
    for (const entry of keys) {
      const decision = await this.limiter.consume(entry.key, entry.limit, now).catch(async (error: unknown) => {
        await new Reservation(this.limiter, counted, now).cancel();
        throw error;
      });
      if (!decision.allowed) {
        await new Reservation(this.limiter, counted, now).cancel();
        throw new DomainError(refusal, { retryAfterMs: decision.retryAfterMs });
      }
      counted.push(entry);
    }
    return new Reservation(this.limiter, counted, now);
  }
}
