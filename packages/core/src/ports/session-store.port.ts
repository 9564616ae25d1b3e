/** One login session: a family of refresh tokens that replace each other, identified by `sessionId`. */
export interface SessionRecord {
  sessionId: string;
  accountId: string;
  createdAt: Date;
  /** When a refresh token of this session was last redeemed (createdAt until then). */
  lastUsedAt: Date;
  /** Absolute end of the session; no rotation extends it. */
  expiresAt: Date;
}

/** Where a session was started from, as given at Login: each null when unknown. Shown to the account's owner; never a secret. */
export interface SessionDevice {
  /** The client's IP address at Login. */
  clientAddress: string | null;
  /** The client's user agent at Login (at most 256 characters). */
  userAgent: string | null;
  /** A name the client gave the device at Login ("Kitchen speaker"). */
  deviceName: string | null;
}

/** A session as its owner sees it in a list: the record and the device it was started from. */
export interface SessionDetails extends SessionRecord, SessionDevice {}

/** What starts a session; the device fields are optional (null when absent). */
export interface SessionStart extends Partial<SessionDevice> {
  sessionId: string;
  accountId: string;
  createdAt: Date;
  expiresAt: Date;
  /**
   * Whether an assurance beyond a password is recorded for the session in the second-factor store. Returned by every
   * redemption, so a refresh of a password session skips that read; left out, redemptions say nothing and it is read.
   */
  assuranceRecorded?: boolean;
}

/** What a redemption that issues tokens answers besides the record; `assuranceRecorded` only if the session's start said. */
interface Redeemed {
  session: SessionRecord;
  counter: number;
  assuranceRecorded?: boolean;
}

/**
 * Result of presenting refresh token number `counter` of a session. Refresh tokens are derived from
 * (sessionId, counter) with an HMAC, so the store keeps only the current counter, never a token.
 */
export type RedeemResult =
  /** `counter` was the current one: the session moved on to `counter + 1`, which is returned. */
  | ({ outcome: 'rotated' } & Redeemed)
  /** `counter` was the immediate predecessor, presented again within the grace window: the current counter (the same successor as before) is returned and nothing changes. */
  | ({ outcome: 'grace' } & Redeemed)
  /** `counter` was already used (and outside the grace rule): the whole session is now revoked. */
  | { outcome: 'reused'; accountId: string }
  /** Unknown, expired or revoked session, or a counter that was never issued. */
  | { outcome: 'invalid' };

/** Refresh-token families and session revocation, shared by every instance of the service. */
export interface SessionStore {
  /** Starts a session whose current refresh-token counter is 0, remembering the device it was started from. */
  create(session: SessionStart): Promise<void>;
  /** Atomically redeems refresh token `counter` of `sessionId`: of any number of concurrent calls with the same counter exactly one gets 'rotated'; the others get 'grace' (at most `graceMs` after that rotation, the boundary included) or 'reused'. */
  redeem(sessionId: string, counter: number, now: Date, graceMs: number): Promise<RedeemResult>;
  /** Revokes one session; the account it belonged to if it was live, null if it was unknown, expired or already revoked. */
  revoke(sessionId: string, now: Date): Promise<string | null>;
  /** Revokes every live session of an account except `exceptSessionId`; returns how many it revoked. */
  revokeAllForAccount(accountId: string, now: Date, exceptSessionId?: string): Promise<number>;
  /** True when the session is revoked, expired or unknown: an unknown state is never reported as live. One round trip. */
  isRevoked(sessionId: string, now: Date): Promise<boolean>;
  /** The account's live sessions with their devices, newest first (by createdAt, then sessionId descending). Reads the account's own index: no scan of the store. */
  listForAccount(accountId: string, now: Date): Promise<SessionDetails[]>;
  /** The account of a live session; null when it is unknown, revoked or expired. One round trip; changes nothing. */
  accountOf(sessionId: string, now: Date): Promise<string | null>;
}
