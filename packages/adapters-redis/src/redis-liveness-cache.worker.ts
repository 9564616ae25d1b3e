import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { RedisClient } from './redis-script.util.js';

/** How the liveness cache proves its invalidation channel is live, and how much it may hold. */
export interface LivenessCacheOptions {
  /** How often the invalidation connection is PINGed (default 100 ms, or a third of `maxSilenceMs` when shorter). */
  heartbeatMs?: number;
  /**
   * The cache answers only while a PING sent at most this long ago was answered on the invalidation connection
   * (default 300 ms): the longest a stalled-but-open connection can hide a revocation. Past it, every check goes to Redis.
   */
  maxSilenceMs?: number;
  /** Most sessions held (default 100,000); past it the oldest entry is dropped. */
  maxEntries?: number;
}

/** What the store needs to know of a session to answer a liveness check: the HMGET reply (accountId, expiresAt, revokedAt). */
export type LivenessFields = [accountId: string | null, expiresAt: string | null, revokedAt: string | null];

const INVALIDATE_CHANNEL = '__redis__:invalidate';

/**
 * Session liveness held in process, invalidated by Redis (server-assisted client-side caching, docs/decisions/0013).
 *
 * Two connections of its own, duplicated from the store's client: the reader, with `CLIENT TRACKING ON REDIRECT
 * <subscriber id>`, reads session hashes, so Redis remembers which keys it read and tells the subscriber (subscribed
 * to `__redis__:invalidate`) of any later change to one of them (a revocation, a rotation, an expiry, an eviction, a
 * DEL, a FLUSH). Only live sessions are cached; revoked and unknown ones are always read again.
 *
 * Fail closed: the cache answers only while the channel is known live: both connections up since the handshake
 * (subscribe, CLIENT ID, tracking on, the redirect target checked by its name) and a heartbeat PING answered within
 * `maxSilenceMs`. Any close, error or silence clears it and bumps the epoch, so a read that started before cannot fill
 * it after; until the next handshake completes every check reads Redis through the store's own client, as without
 * a cache. An invalidation that overtakes the reply of the read it concerns (two connections, no common order)
 * taints that read, which then answers but is not cached.
 */
export class RedisLivenessCache {
  readonly #entries = new Map<string, LivenessFields>();
  readonly #pending = new Map<string, Set<{ tainted: boolean }>>();
  /** The store's own client, which the two connections below follow across reconnections. */
  readonly #client: Redis;
  readonly #reader: Redis;
  readonly #subscriber: Redis;
  /** CLIENT SETNAME of its two connections: the subscriber's is how the reader checks its redirect target. */
  readonly names = (() => {
    const tag = randomBytes(6).toString('hex');
    return { subscriber: `authsvc-invalidations-${tag}`, reader: `authsvc-liveness-reader-${tag}` };
  })();
  readonly #heartbeatMs: number;
  readonly #maxSilenceMs: number;
  readonly #maxEntries: number;
  readonly #timer: NodeJS.Timeout;
  #epoch = 0;
  #tracking = false;
  /** performance.now() at which the PING behind the latest answered heartbeat was sent. */
  #provenAt = Number.NEGATIVE_INFINITY;
  #closed = false;
  #handshaking = false;
  /** performance.now() before which the heartbeat does not retry a failed handshake. */
  #retryAt = 0;
  #beats = 0;
  /** The subscriber's CLIENT ID once it is subscribed on its current connection. */
  #subscriberId: string | undefined;

  /**
   * A cache for `client`'s server, or null on Cluster: keys live on many servers there, and a tracking redirect only
   * reaches a connection of the same server, so a Cluster deployment reads Redis on every check.
   */
  static for(client: RedisClient, options: LivenessCacheOptions = {}): RedisLivenessCache | null {
    return client instanceof Redis ? new RedisLivenessCache(client, options) : null;
  }

  constructor(client: Redis, options: LivenessCacheOptions = {}) {
    this.#maxSilenceMs = options.maxSilenceMs ?? 300;
    // Several heartbeats per allowed silence, so one late PONG does not take the cache down.
    this.#heartbeatMs = options.heartbeatMs ?? Math.max(5, Math.min(100, Math.floor(this.#maxSilenceMs / 3)));
    this.#maxEntries = options.maxEntries ?? 100_000;
    // No auto-pipelining here: the subscriber's PINGs prove the channel live one by one, each on its own write.
    const own = { autoResubscribe: false, enableOfflineQueue: false, lazyConnect: false, enableAutoPipelining: false } as const;
    this.#reader = client.duplicate({ ...own, connectionName: this.names.reader });
    this.#subscriber = client.duplicate({ ...own, connectionName: this.names.subscriber });
    this.#subscriber.on('close', () => (this.#subscriberId = undefined));
    for (const connection of [this.#reader, this.#subscriber]) {
      connection.on('error', () => this.#down());
      connection.on('close', () => this.#down());
      connection.on('end', () => this.#down());
      connection.on('ready', () => void this.#handshake());
    }
    this.#subscriber.on('messageBuffer', (channel: Buffer, keys: unknown) => {
      if (channel.toString() === INVALIDATE_CHANNEL) this.#invalidate(keys);
    });
    // The store's client reconnects when a write meets READONLY (its server became a replica) or its server went
    // away: the cache's connections must follow it to the new master rather than keep reading the old server.
    this.#client = client;
    client.on('close', this.#restart);
    this.#timer = setInterval(() => void this.#heartbeat(), this.#heartbeatMs);
    this.#timer.unref();
    void this.#handshake();
  }

  /** Drops the cache and reconnects both connections (each handshakes again once ready). */
  readonly #restart = (): void => {
    if (this.#closed) return;
    this.#down();
    for (const connection of [this.#reader, this.#subscriber]) if (connection.status === 'ready') connection.disconnect(true);
  };

  /** True when the reader's server is a master: a replica's data lags its master's revocations. */
  async #readerOnMaster(): Promise<boolean> {
    const role = (await this.#reader.call('ROLE')) as unknown[];
    return role[0] === 'master';
  }

  /** True while cached answers may be trusted (the invalidation channel is proven live). */
  get live(): boolean {
    return this.#tracking && performance.now() - this.#provenAt <= this.#maxSilenceMs;
  }

  /** Number of sessions held (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  /** Checks answered from the cache, and checks read through the tracked reader (for tests). */
  readonly counts = { hits: 0, reads: 0 };

  /** Resolves true once the channel is live, false when it is not after `timeoutMs` (the cache then stays out of the way). */
  async untilLive(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.live) {
      if (this.#closed || performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  /**
   * The liveness fields of `key` when the cache holds them and the channel is live; undefined otherwise, without
   * reading Redis or tracking the key. For checks whose caller is about to change the session anyway (a refresh reads
   * the session's account, then rotates it): tracking the key would only make Redis send an invalidation back.
   */
  peek(key: string): LivenessFields | undefined {
    if (!this.live) return undefined;
    const cached = this.#entries.get(key);
    if (cached) this.counts.hits += 1;
    return cached;
  }

  /**
   * The liveness fields of `key` from the cache, or read through the tracked reader and cached when live; undefined
   * when the channel is not live (the caller then reads Redis itself). Throws what the reader's HMGET throws.
   */
  async read(key: string): Promise<LivenessFields | undefined> {
    if (!this.live) {
      if (this.#entries.size > 0) this.#down();
      return undefined;
    }
    const cached = this.#entries.get(key);
    if (cached) {
      this.counts.hits += 1;
      return cached;
    }
    this.counts.reads += 1;
    const epoch = this.#epoch;
    const mark = { tainted: false };
    let marks = this.#pending.get(key);
    if (!marks) this.#pending.set(key, (marks = new Set()));
    marks.add(mark);
    let fields: LivenessFields;
    try {
      fields = (await this.#reader.hmget(key, 'accountId', 'expiresAt', 'revokedAt')) as LivenessFields;
    } catch (error) {
      if (epoch === this.#epoch) this.#down();
      throw error;
    } finally {
      marks.delete(mark);
      if (marks.size === 0) this.#pending.delete(key);
    }
    const [accountId, expiresAt, revokedAt] = fields;
    const cacheable = accountId !== null && expiresAt !== null && revokedAt === null;
    if (cacheable && !mark.tainted && epoch === this.#epoch && this.live) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, fields);
    }
    return fields;
  }

  /**
   * Drops `key` after this process changed its liveness (a revocation), so its own next check cannot answer from
   * the cache before Redis's invalidation arrives; a read of it in flight will not fill the cache either.
   */
  forget(key: string): void {
    this.#invalidate([key]);
  }

  /** Stops the heartbeat and closes both connections; the cache stays empty and never live. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#client.off('close', this.#restart);
    this.#down();
    this.#reader.disconnect();
    this.#subscriber.disconnect();
  }

  /** Both connections ready: subscribe, learn the subscriber's id, turn tracking on towards it, check, go live. */
  async #handshake(): Promise<void> {
    if (this.#closed || this.#handshaking || this.#reader.status !== 'ready' || this.#subscriber.status !== 'ready') return;
    this.#handshaking = true;
    this.#down();
    const epoch = this.#epoch;
    try {
      if (this.#subscriberId === undefined) {
        const id = String(await this.#subscriber.client('ID'));
        await this.#subscriber.subscribe(INVALIDATE_CHANNEL);
        this.#subscriberId = id;
      }
      const id = this.#subscriberId;
      if (id === undefined || epoch !== this.#epoch) return;
      if (!(await this.#readerOnMaster())) throw new Error('the reader reached a replica');
      await this.#reader.call('CLIENT', 'TRACKING', 'OFF');
      await this.#reader.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
      // After a failover the two connections may briefly reach different servers, where the id names someone else.
      const listed = String(await this.#reader.call('CLIENT', 'LIST', 'ID', id));
      if (!listed.includes(` name=${this.names.subscriber} `)) throw new Error('invalidation connection not found on the reader’s server');
      if (epoch !== this.#epoch) return;
      const sentAt = performance.now();
      await this.#subscriber.ping();
      if (epoch !== this.#epoch) return;
      this.#provenAt = sentAt;
      this.#tracking = true;
    } catch {
      // Not live; the heartbeat tries again. A subscriber left in an unknown state starts over on a new connection.
      if (epoch === this.#epoch) this.#down();
      this.#retryAt = performance.now() + 1_000;
      if (this.#subscriberId === undefined && this.#subscriber.status === 'ready') this.#subscriber.disconnect(true);
    } finally {
      this.#handshaking = false;
    }
  }

  async #heartbeat(): Promise<void> {
    if (this.#closed) return;
    if (!this.#tracking) {
      // A server that refuses the handshake (Redis before 6.2, an ACL without CLIENT or SUBSCRIBE) is asked again
      // once a second, not on every beat; a reconnection ('ready') tries at once.
      if (performance.now() >= this.#retryAt) void this.#handshake();
      return;
    }
    if (!this.live) return this.#down();
    const epoch = this.#epoch;
    const sentAt = performance.now();
    this.#beats += 1;
    try {
      // About once a second: a server demoted to replica without closing its clients (REPLICAOF by hand) is left.
      if (this.#beats % Math.max(1, Math.round(1_000 / this.#heartbeatMs)) === 0 && !(await this.#readerOnMaster())) {
        if (epoch === this.#epoch) this.#restart();
        return;
      }
      await this.#subscriber.ping();
      if (epoch === this.#epoch && sentAt > this.#provenAt) this.#provenAt = sentAt;
    } catch {
      if (epoch === this.#epoch) this.#down();
    }
  }

  /** Not live: forget everything and make every read in flight unable to fill the cache. */
  #down(): void {
    this.#epoch += 1;
    this.#tracking = false;
    this.#entries.clear();
  }

  /** An invalidation message: an array of keys, or null when the whole database was flushed. */
  #invalidate(keys: unknown): void {
    if (!Array.isArray(keys)) {
      this.#entries.clear();
      for (const marks of this.#pending.values()) for (const mark of marks) mark.tainted = true;
      return;
    }
    for (const raw of keys) {
      const key = String(raw);
      this.#entries.delete(key);
      for (const mark of this.#pending.get(key) ?? []) mark.tainted = true;
    }
  }
}
