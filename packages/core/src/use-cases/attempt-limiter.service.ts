import { DomainError } from '../errors/domain.errors.js';
import type { ErrorCode } from '../errors/error-codes.errors.js';
import type { RateLimit, RateLimiter } from '../ports/rate-limiter.port.js';
import { addressBucket, attemptKey, type AttemptLimits } from '../validation/attempt-limits.rules.js';

/** What a counted key does once the guarded work succeeded. */
type OnSuccess = 'reset' | 'refund' | 'keep';

interface CountedKey {
  key: string;
  /** The limit's name (`login-from`, `failed-logins-from`, `login`...): bounded, safe for events and metrics. */
  name: string;
  limit: RateLimit;
  onSuccess: OnSuccess;
}

/** One attempt, counted under each of its limits, until its caller says how the guarded work ended. */
export class Reservation {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly counted: readonly CountedKey[],
    private readonly countedAt: Date,
    /** The limits this attempt filled (it took the last allowance of the window): the next attempt is refused. */
    readonly tripped: readonly string[] = [],
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
    const keys: CountedKey[] = [{ key: attemptKey('login-from', name, address), name: 'login-from', limit: this.limits.loginPerAddress, onSuccess: 'reset' }];
    if (clientAddress !== undefined) {
      keys.push({ key: attemptKey('failed-logins-from', address), name: 'failed-logins-from', limit: this.limits.failedLoginsPerAddress, onSuccess: 'refund' });
    }
    keys.push({ key: attemptKey('login', name), name: 'login', limit: this.limits.loginPerName, onSuccess: 'refund' });
    return this.reserve(keys, 'LOGIN_THROTTLED', now);
  }

  /** One registration from `clientAddress` (none counted without an address); RATE_LIMITED when the address is at its limit. */
  registration(clientAddress: string | undefined, now: Date): Promise<Reservation> {
    if (clientAddress === undefined) return this.reserve([], 'RATE_LIMITED', now);
    const key = attemptKey('registrations-from', addressBucket(clientAddress));
    return this.reserve([{ key, name: 'registrations-from', limit: this.limits.registrationsPerAddress, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** One change of the username or email of `accountId`; RATE_LIMITED when the account is at its limit. */
  identityChange(accountId: string, now: Date): Promise<Reservation> {
    return this.reserve([{ key: attemptKey('identity-change', accountId), name: 'identity-change', limit: this.limits.identityChanges, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** One second-factor check of `accountId`; LOGIN_THROTTLED when its failures fill the limit. */
  secondFactor(accountId: string, now: Date): Promise<Reservation> {
    return this.reserve([{ key: attemptKey('second-factor', accountId), name: 'second-factor', limit: this.limits.secondFactorPerAccount, onSuccess: 'refund' }], 'LOGIN_THROTTLED', now);
  }

  /**
   * One mail to `address` (normalizeEmail), for `accountId` when the address belongs to an account (null for an
   * unknown address, which is counted under the address exactly as a known one); RATE_LIMITED when either is full.
   */
  mail(accountId: string | null, address: string, now: Date): Promise<Reservation> {
    return this.reserve(this.mailKeys(accountId, address), 'RATE_LIMITED', now);
  }

  /**
   * One password-reset request for `address` from `clientAddress`: counted first under the client (addressBucket:
   * an IPv6 address by its /64; none counted without an address), then as `mail(null, address)`. Known and unknown
   * addresses are counted alike before any lookup, so RATE_LIMITED tells nothing about the address. Kept on success.
   */
  passwordResetRequest(clientAddress: string | undefined, address: string, now: Date): Promise<Reservation> {
    const keys = this.mailKeys(null, address);
    if (clientAddress !== undefined) {
      const key = attemptKey('reset-requests-from', addressBucket(clientAddress));
      keys.unshift({ key, name: 'reset-requests-from', limit: this.limits.passwordResetRequestsPerAddress, onSuccess: 'keep' });
    }
    return this.reserve(keys, 'RATE_LIMITED', now);
  }

  private mailKeys(accountId: string | null, address: string): CountedKey[] {
    const keys: CountedKey[] = [{ key: attemptKey('mails-to', address), name: 'mails-to', limit: this.limits.mailsPerAddress, onSuccess: 'keep' }];
    if (accountId !== null) keys.push({ key: attemptKey('mails-for', accountId), name: 'mails-for', limit: this.limits.mailsPerAccount, onSuccess: 'keep' });
    return keys;
  }

  /** One presented mailed token from `clientAddress` (none counted without an address); a success gives it back. RATE_LIMITED when full. */
  tokenRedemption(clientAddress: string | undefined, now: Date): Promise<Reservation> {
    if (clientAddress === undefined) return this.reserve([], 'RATE_LIMITED', now);
    const key = attemptKey('token-redemptions-from', addressBucket(clientAddress));
    return this.reserve([{ key, name: 'token-redemptions-from', limit: this.limits.tokenRedemptionsPerAddress, onSuccess: 'refund' }], 'RATE_LIMITED', now);
  }

  /** One passkey sign-in challenge asked from `clientAddress` (none counted without an address); kept. RATE_LIMITED when full. */
  passkeyChallenge(clientAddress: string | undefined, now: Date): Promise<Reservation> {
    if (clientAddress === undefined) return this.reserve([], 'RATE_LIMITED', now);
    const key = attemptKey('passkey-challenges-from', addressBucket(clientAddress));
    return this.reserve([{ key, name: 'passkey-challenges-from', limit: this.limits.passkeyChallengesPerAddress, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** One export of the data of `accountId`; RATE_LIMITED when the account is at its limit. */
  dataExport(accountId: string, now: Date): Promise<Reservation> {
    return this.reserve([{ key: attemptKey('data-export', accountId), name: 'data-export', limit: this.limits.dataExports, onSuccess: 'keep' }], 'RATE_LIMITED', now);
  }

  /** Counts under each key in order; on the first refusal (or failure) gives back what was counted and throws. */
  private async reserve(keys: readonly CountedKey[], refusal: ErrorCode, now: Date): Promise<Reservation> {
    const counted: CountedKey[] = [];
    const tripped: string[] = [];
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
      if (decision.remaining === 0) tripped.push(entry.name);
    }
    return new Reservation(this.limiter, counted, now, tripped);
  }
}
