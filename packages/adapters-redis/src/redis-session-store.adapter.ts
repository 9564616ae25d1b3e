import type { RedeemResult, SessionDetails, SessionRecord, SessionStart, SessionStore } from '@authsvc/core';
import { redisCall } from './redis.errors.js';
import { RedisKeys } from './redis-keys.config.js';
import type { LivenessFields, RedisLivenessCache } from './redis-liveness-cache.worker.js';
import { defineScript, type RedisClient, type ScriptRunner } from './redis-script.util.js';
import { CREATE_SESSION, INDEX_SESSION, LIVE_INDEX_MEMBERS, REDEEM, REVOKE } from './session-store.script.js';

const SESSION_FIELDS = ['accountId', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt', 'clientAddress', 'userAgent', 'deviceName'] as const;

/**
 * Sessions (refresh-token families) in Redis. A redemption and a revocation check are each one round trip;
 * every key expires with the sessions it describes. Key layout and failure behaviour: see the README.
 */
export class RedisSessionStore implements SessionStore {
  private readonly keys: RedisKeys;
  private readonly scripts: Record<'create' | 'index' | 'live' | 'redeem' | 'revoke', ScriptRunner>;

  /**
   * With `liveness`, revocation checks answer from a cache Redis invalidates while its invalidation channel is proven
   * live, and read Redis otherwise (docs/decisions/0013): isRevoked fills it, accountOf only uses what is there.
   */
  constructor(
    private readonly client: RedisClient,
    prefix: string,
    private readonly liveness?: RedisLivenessCache,
  ) {
    this.keys = new RedisKeys(prefix);
    this.scripts = {
      create: defineScript(client, 'authsvcSessionCreate', CREATE_SESSION),
      index: defineScript(client, 'authsvcSessionIndex', INDEX_SESSION),
      live: defineScript(client, 'authsvcSessionLive', LIVE_INDEX_MEMBERS),
      redeem: defineScript(client, 'authsvcSessionRedeem', REDEEM),
      revoke: defineScript(client, 'authsvcSessionRevoke', REVOKE),
    };
  }

  async create(session: SessionStart): Promise<void> {
    const createdAt = session.createdAt.getTime();
    const expiresAt = session.expiresAt.getTime();
    // Both scripts are sent at once (one round trip; two keys in different Cluster slots cannot share a script).
    // If only the session is written, create() rejects, so no token of that unindexed session is ever issued and
    // nothing can survive "revoke all" through it.
    await Promise.all([
      redisCall(() => this.scripts.index(this.keys.accountSessions(session.accountId), session.sessionId, expiresAt, createdAt)),
      redisCall(() =>
        this.scripts.create(
          this.keys.session(session.sessionId),
          session.accountId,
          createdAt,
          expiresAt,
          session.clientAddress ?? '',
          session.userAgent ?? '',
          session.deviceName ?? '',
          session.assuranceRecorded === undefined ? '' : session.assuranceRecorded ? '1' : '0',
        ),
      ),
    ]);
  }

  async redeem(sessionId: string, counter: number, now: Date, graceMs: number): Promise<RedeemResult> {
    const reply = (await redisCall(() =>
      this.scripts.redeem(this.keys.session(sessionId), counter, now.getTime(), Math.max(0, graceMs)),
    )) as string[];
    const [outcome, accountId, createdAt, lastUsedAt, expiresAt, current, assurance] = reply;
    if (outcome === 'reused' && accountId !== undefined) {
      this.liveness?.forget(this.keys.session(sessionId));
      return { outcome, accountId };
    }
    if ((outcome === 'rotated' || outcome === 'grace') && accountId !== undefined) {
      const session: SessionRecord = {
        sessionId,
        accountId,
        createdAt: new Date(Number(createdAt)),
        lastUsedAt: new Date(Number(lastUsedAt)),
        expiresAt: new Date(Number(expiresAt)),
      };
      const said = assurance === '1' ? { assuranceRecorded: true } : assurance === '0' ? { assuranceRecorded: false } : {};
      return { outcome, session, counter: Number(current), ...said };
    }
    return { outcome: 'invalid' };
  }

  async revoke(sessionId: string, now: Date): Promise<string | null> {
    const accountId = await this.revokeOne(sessionId, now);
    if (accountId === null) return null;
    // Tidying only: the index is trimmed by expiry anyway and listing skips revoked sessions.
    await redisCall(() => this.client.zrem(this.keys.accountSessions(accountId), sessionId));
    return accountId;
  }

  async revokeAllForAccount(accountId: string, now: Date, exceptSessionId?: string): Promise<number> {
    const indexKey = this.keys.accountSessions(accountId);
    const ids = (await this.liveIds(accountId, now)).filter((id) => id !== exceptSessionId);
    // One script per session: sessions live in their own slots, so this cannot be one multi-key script on Cluster.
    const revoked = (await Promise.all(ids.map(async (id) => ((await this.revokeOne(id, now)) === null ? null : id)))).filter(
      (id): id is string => id !== null,
    );
    if (ids.length > 0) await redisCall(() => this.client.zrem(indexKey, ...ids));
    return revoked.length;
  }

  async isRevoked(sessionId: string, now: Date): Promise<boolean> {
    // Unknown (never created or expired away), revoked or past expiry all count as revoked.
    const [accountId, expiresAt, revokedAt] = await this.livenessOf(sessionId);
    if (!accountId || !expiresAt || revokedAt !== null) return true;
    return now.getTime() >= Number(expiresAt);
  }

  async listForAccount(accountId: string, now: Date): Promise<SessionDetails[]> {
    const ids = await this.liveIds(accountId, now);
    const rows = await Promise.all(
      ids.map(async (sessionId) => ({
        sessionId,
        fields: await redisCall(() => this.client.hmget(this.keys.session(sessionId), ...SESSION_FIELDS)),
      })),
    );
    const sessions: SessionDetails[] = [];
    for (const { sessionId, fields } of rows) {
      const [owner, createdAt, lastUsedAt, expiresAt, revokedAt, clientAddress, userAgent, deviceName] = fields;
      if (owner !== accountId || revokedAt !== null || !createdAt || !lastUsedAt || !expiresAt) continue;
      if (now.getTime() >= Number(expiresAt)) continue;
      sessions.push({
        sessionId,
        accountId,
        createdAt: new Date(Number(createdAt)),
        lastUsedAt: new Date(Number(lastUsedAt)),
        expiresAt: new Date(Number(expiresAt)),
        clientAddress: clientAddress || null,
        userAgent: userAgent || null,
        deviceName: deviceName || null,
      });
    }
    // Newest first, ties by session id descending (code-unit order, as the in-memory store sorts).
    return sessions.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.sessionId < b.sessionId ? 1 : a.sessionId > b.sessionId ? -1 : 0));
  }

  async accountOf(sessionId: string, now: Date): Promise<string | null> {
    // A refresh (the hot caller) rotates the session right after this check, which changes the key: read through the
    // tracked reader, it would be cached only to be invalidated by a push message on the next rotation. So a miss
    // reads with the store's own client and leaves the key untracked; a session some isRevoked cached still hits.
    const key = this.keys.session(sessionId);
    const fields = this.liveness?.peek(key) ?? ((await redisCall(() => this.client.hmget(key, 'accountId', 'expiresAt', 'revokedAt'))) as LivenessFields);
    const [accountId, expiresAt, revokedAt] = fields;
    if (!accountId || !expiresAt || revokedAt !== null) return null;
    return now.getTime() < Number(expiresAt) ? accountId : null;
  }

  /**
   * accountId, expiresAt, revokedAt of a session: from the liveness cache when it can answer, else one HMGET through
   * the store's client (which reports outages). A failure of the cache's own connection falls back the same way.
   */
  private async livenessOf(sessionId: string): Promise<LivenessFields> {
    const key = this.keys.session(sessionId);
    if (this.liveness) {
      try {
        const fields = await this.liveness.read(key);
        if (fields) return fields;
      } catch {
        // The cache went down with its connection; the store's own client answers (or reports the outage).
      }
    }
    return (await redisCall(() => this.client.hmget(key, 'accountId', 'expiresAt', 'revokedAt'))) as LivenessFields;
  }

  private async liveIds(accountId: string, now: Date): Promise<string[]> {
    return (await redisCall(() => this.scripts.live(this.keys.accountSessions(accountId), now.getTime()))) as string[];
  }

  /** Revokes one live session; its accountId, or null when it was unknown, expired or already revoked. */
  private async revokeOne(sessionId: string, now: Date): Promise<string | null> {
    const key = this.keys.session(sessionId);
    try {
      return (await redisCall(() => this.scripts.revoke(key, now.getTime()))) as string | null;
    } finally {
      // Even when the reply was lost the script may have run: forgetting is always the safe direction.
      this.liveness?.forget(key);
    }
  }
}
