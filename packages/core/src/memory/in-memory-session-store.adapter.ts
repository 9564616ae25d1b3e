import type { RedeemResult, SessionDetails, SessionRecord, SessionStart, SessionStore } from '../ports/session-store.port.js';

interface SessionState {
  record: SessionDetails;
  /** The refresh-token counter that may be redeemed next. */
  counter: number;
  /** When the current counter was issued by a rotation (epoch ms), null before the first rotation. */
  rotatedAtMs: number | null;
  /** As the session's start said; undefined when it did not. */
  assuranceRecorded: boolean | undefined;
}

/** Newest first; the session id breaks ties so every store lists in the same order. */
const newestFirst = (a: SessionRecord, b: SessionRecord): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.sessionId < b.sessionId ? 1 : a.sessionId > b.sessionId ? -1 : 0);

const isLive = (state: SessionState | undefined, nowMs: number): state is SessionState =>
  state !== undefined && nowMs < state.record.expiresAt.getTime();

/** The record alone (what redeem answers), copied so callers never mutate the store. */
const snapshot = ({ sessionId, accountId, createdAt, lastUsedAt, expiresAt }: SessionRecord): SessionRecord => structuredClone({ sessionId, accountId, createdAt, lastUsedAt, expiresAt });

/** What a redemption says of the session's assurance: only what its start said. */
const assuranceOf = ({ assuranceRecorded }: SessionState): { assuranceRecorded?: boolean } =>
  assuranceRecorded === undefined ? {} : { assuranceRecorded };

/**
 * Sessions in process memory, for unit tests and the single-process embedded mode. Every method runs without
 * awaiting in between, so each is atomic on the event loop. A revoked session is simply forgotten: an unknown
 * session already counts as revoked. Expired sessions are swept lazily, with amortized constant cost per create.
 */
export class InMemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionState>();
  readonly #byAccount = new Map<string, Set<string>>();
  #sweepAtSize = 1_024;

  async create(session: SessionStart): Promise<void> {
    this.#sweepIfLarge(session.createdAt.getTime());
    this.#forget(session.sessionId);
    const { sessionId, accountId, createdAt, expiresAt } = session;
    this.#sessions.set(sessionId, {
      record: {
        ...structuredClone({ sessionId, accountId, createdAt, expiresAt }),
        lastUsedAt: new Date(createdAt),
        clientAddress: session.clientAddress || null,
        userAgent: session.userAgent || null,
        deviceName: session.deviceName || null,
      },
      counter: 0,
      rotatedAtMs: null,
      assuranceRecorded: session.assuranceRecorded,
    });
    let ids = this.#byAccount.get(session.accountId);
    if (!ids) this.#byAccount.set(session.accountId, (ids = new Set()));
    ids.add(session.sessionId);
  }

  async redeem(sessionId: string, counter: number, now: Date, graceMs: number): Promise<RedeemResult> {
    const nowMs = now.getTime();
    const state = this.#sessions.get(sessionId);
    if (!isLive(state, nowMs)) {
      if (state) this.#forget(sessionId);
      return { outcome: 'invalid' };
    }
    if (!Number.isSafeInteger(counter) || counter < 0 || counter > state.counter) return { outcome: 'invalid' };
    if (counter === state.counter) {
      state.counter += 1;
      state.rotatedAtMs = nowMs;
      state.record.lastUsedAt = new Date(nowMs);
      return { outcome: 'rotated', session: snapshot(state.record), counter: state.counter, ...assuranceOf(state) };
    }
    // At most graceMs after the rotation, that very millisecond included (decision 0002; the Redis script alike).
    const inGrace = counter === state.counter - 1 && graceMs > 0 && state.rotatedAtMs !== null && nowMs - state.rotatedAtMs <= graceMs;
    if (inGrace) return { outcome: 'grace', session: snapshot(state.record), counter: state.counter, ...assuranceOf(state) };
    this.#forget(sessionId);
    return { outcome: 'reused', accountId: state.record.accountId };
  }

  async revoke(sessionId: string, now: Date): Promise<string | null> {
    const state = this.#sessions.get(sessionId);
    const accountId = isLive(state, now.getTime()) ? state.record.accountId : null;
    this.#forget(sessionId);
    return accountId;
  }

  async revokeAllForAccount(accountId: string, now: Date, exceptSessionId?: string): Promise<number> {
    let revoked = 0;
    for (const sessionId of [...(this.#byAccount.get(accountId) ?? [])]) {
      if (sessionId === exceptSessionId) continue;
      if (isLive(this.#sessions.get(sessionId), now.getTime())) revoked += 1;
      this.#forget(sessionId);
    }
    return revoked;
  }

  async isRevoked(sessionId: string, now: Date): Promise<boolean> {
    return !isLive(this.#sessions.get(sessionId), now.getTime());
  }

  async listForAccount(accountId: string, now: Date): Promise<SessionDetails[]> {
    const live: SessionDetails[] = [];
    for (const sessionId of this.#byAccount.get(accountId) ?? []) {
      const state = this.#sessions.get(sessionId);
      if (isLive(state, now.getTime())) live.push(structuredClone(state.record));
    }
    return live.sort(newestFirst);
  }

  async accountOf(sessionId: string, now: Date): Promise<string | null> {
    const state = this.#sessions.get(sessionId);
    return isLive(state, now.getTime()) ? state.record.accountId : null;
  }

  /** Number of sessions held, expired ones not yet swept included (for tests of the sweep). */
  get size(): number {
    return this.#sessions.size;
  }

  #forget(sessionId: string): void {
    const state = this.#sessions.get(sessionId);
    if (!state) return;
    this.#sessions.delete(sessionId);
    const ids = this.#byAccount.get(state.record.accountId);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.#byAccount.delete(state.record.accountId);
  }

  /** Drops expired sessions once the map has doubled since the last sweep, so memory tracks the live set. */
  #sweepIfLarge(nowMs: number): void {
    if (this.#sessions.size < this.#sweepAtSize) return;
    for (const [sessionId, state] of this.#sessions) {
      if (!isLive(state, nowMs)) this.#forget(sessionId);
    }
    this.#sweepAtSize = Math.max(1_024, this.#sessions.size * 2);
  }
}
