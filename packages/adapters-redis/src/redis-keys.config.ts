/**
 * Every key this package writes, in one place (the README documents the same layout).
 *
 * Each id sits in a Redis Cluster hash tag `{...}`. Every script and every command of this package touches
 * exactly one key, so no operation can cross slots; the tags keep each entity's keys together should a
 * later script need two keys of the same session or account.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {
    // A brace in the prefix would become the hash tag of every key and pin all keys to one cluster slot.
    if (/[{}]/.test(prefix)) throw new Error('Redis key prefix must not contain "{" or "}"');
  }

  /** Hash of one session (refresh-token family): accountId, counter, createdAt, lastUsedAt, expiresAt, rotatedAt, revokedAt. */
  session(sessionId: string): string {
    return `${this.prefix}session:{${sessionId}}`;
  }

  /** Sorted set of an account's session ids scored by their expiresAt (epoch ms). */
  accountSessions(accountId: string): string {
    return `${this.prefix}account-sessions:{${accountId}}`;
  }

  /** Hash of a rate-limit window: count, start (epoch ms). */
  rateLimit(key: string): string {
    return `${this.prefix}rate:{${key}}`;
  }
}
