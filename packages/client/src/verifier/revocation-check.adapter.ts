import { status } from '@grpc/grpc-js';
import type { AuthClient } from '../auth-client.factory.js';
import { isAuthServiceError } from '../auth-service.errors.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.util.js';
import { ExpiringCache } from './expiring-cache.util.js';
import { TokenRejectedError } from './token-verifier.errors.js';

export interface RevocationCheckOptions {
  /** How long a "not revoked" answer is trusted: a session revoked meanwhile is noticed this late. Default 5 000 ms. */
  cacheTtlMs?: number;
  /** Tokens remembered at most (~200 bytes each). Default 10 000. */
  cacheMaxEntries?: number;
  /** Deadline of one ValidateToken call, retries included. Default 2 000 ms. */
  timeoutMs?: number;
  breaker?: CircuitBreakerOptions;
  now?: () => number;
}

/** The answer about one token: still valid, or refused for good (revoked, or invalid by the server's word). */
type Verdict = 'valid' | 'revoked' | 'invalid';

/**
 * Asks ValidateToken whether a locally verified token's session is still alive. Answers are cached per token (a
 * refusal until the token expires anyway, an acceptance for `cacheTtlMs`); concurrent checks of one token share a
 * call. When the service does not answer (UNAVAILABLE, a deadline, anything but a verdict) the failures feed a
 * circuit breaker; while it is open, tokens without a cached answer are refused at once: fail closed.
 */
export class RevocationCheck {
  readonly breaker: CircuitBreaker;
  readonly #client: AuthClient;
  readonly #cache: ExpiringCache<Verdict>;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<Verdict>>();

  constructor(client: AuthClient, options: RevocationCheckOptions = {}) {
    this.#client = client;
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.cacheTtlMs ?? 5_000;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    this.#cache = new ExpiringCache(options.cacheMaxEntries ?? 10_000, this.#now);
    this.breaker = new CircuitBreaker({ now: this.#now, ...options.breaker });
  }

  /** Resolves when the session of `token` (already verified locally, id `tokenId`) is alive; else TokenRejectedError. */
  async check(token: string, tokenId: string, expiresAt: Date): Promise<void> {
    const verdict = this.#cache.get(tokenId) ?? (await this.#shared(token, tokenId, expiresAt));
    if (verdict !== 'valid') throw new TokenRejectedError(verdict);
  }

  #shared(token: string, tokenId: string, expiresAt: Date): Promise<Verdict> {
    let pending = this.#inFlight.get(tokenId);
    if (pending === undefined) {
      pending = this.#ask(token, tokenId, expiresAt).finally(() => this.#inFlight.delete(tokenId));
      this.#inFlight.set(tokenId, pending);
    }
    return pending;
  }

  async #ask(token: string, tokenId: string, expiresAt: Date): Promise<Verdict> {
    if (!this.breaker.tryAcquire()) throw new TokenRejectedError('unverifiable', { cause: new Error('circuit breaker open: ValidateToken is failing') });
    let verdict: Verdict;
    try {
      await this.#client.validateToken({ accessToken: token }, { deadline: this.#timeoutMs });
      verdict = 'valid';
    } catch (error) {
      if (!isAuthServiceError(error) || error.code !== status.UNAUTHENTICATED) {
        this.breaker.failure();
        throw new TokenRejectedError('unverifiable', { cause: error });
      }
      verdict = error.reason === 'SESSION_REVOKED' ? 'revoked' : 'invalid';
    }
    this.breaker.success();
    const untilExpiry = expiresAt.getTime() - this.#now();
    this.#cache.set(tokenId, verdict, verdict === 'valid' ? Math.min(this.#ttlMs, untilExpiry) : untilExpiry);
    return verdict;
  }
}
