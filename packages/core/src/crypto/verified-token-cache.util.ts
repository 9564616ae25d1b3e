import { hash } from 'node:crypto';
import type { Role } from '../domain/account.model.js';

/** What the cache remembers of a verified token: its claims as plain values, so that every hit builds new objects. */
export interface VerifiedToken {
  accountId: string;
  sessionId: string;
  role: Role;
  tokenId: string;
  /** NumericDate claims, seconds since the epoch; `nbf` only when the token has one. */
  iat: number;
  exp: number;
  nbf: number | undefined;
  amr: string[];
  authTime: number;
}

/**
 * Tokens whose signature and fixed claims (issuer, audience, type, key, algorithm) were already verified, so a
 * client presenting the same access token on each of its calls costs one signature check per token, not per call.
 * The lifetime claims still have to be checked against the clock on every hit (see JoseAccessTokens.verify).
 *
 * Keyed by the SHA-256 of the whole token (header, payload and signature): only the very text that verified can
 * hit, and the bearer tokens themselves are not kept in memory. Bounded: past `capacity` the oldest entry goes
 * (first in, first out); an evicted token is simply verified again.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError('verified token cache capacity must be an integer >= 0');
  }

  /** The cache key of a token (a digest, never the token). */
  static keyOf(token: string): string {
    return hash('sha256', token, 'base64url');
  }

  get(key: string): VerifiedToken | undefined {
    return this.#entries.get(key);
  }

  set(key: string, token: VerifiedToken): void {
    if (this.capacity === 0) return;
    if (this.#entries.size >= this.capacity && !this.#entries.has(key)) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, token);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
