import type { RpcName } from './rpc-methods.types.js';

/**
 * The deadline of each RPC when the caller names none, in milliseconds, retries included. Calls that hash a password
 * get the most: the server hashes on a small worker pool and queues up to 256 hashes before refusing with
 * RESOURCE_EXHAUSTED (OVERLOADED), so a busy but healthy server can take seconds. Reads get enough for the server to
 * answer UNAVAILABLE itself when one of its stores is slow (its Redis command timeout is 1 s) and for one retry.
 */
export const DEFAULT_DEADLINES_MS: Readonly<Record<RpcName, number>> = {
  registerUser: 10_000,
  registerArtist: 10_000,
  login: 10_000,
  changePassword: 10_000,
  refreshToken: 5_000,
  logout: 5_000,
  updateUser: 5_000,
  updateArtist: 5_000,
  revokeSessions: 5_000,
  setRole: 5_000,
  getUser: 3_000,
  getArtist: 3_000,
  validateToken: 3_000,
  getJwks: 3_000,
};

/**
 * The RPCs that only read: retried after UNAVAILABLE by default. The others are not, today: a write that answered
 * UNAVAILABLE may still take effect later on the server (a Redis command stuck in a stalled connection runs when the
 * connection resumes), and retrying it could, for RefreshToken, look like reuse and revoke the session. Once the server
 * guarantees that a call that answered UNAVAILABLE had no effect, every RPC is safe: `retry: { methods: 'all' }`.
 */
export const READ_ONLY_RPCS: readonly RpcName[] = ['getUser', 'getArtist', 'validateToken', 'getJwks'];

/** When and how the client retries a call that failed with UNAVAILABLE. */
export interface RetryPolicy {
  /** The RPCs retried: 'read-only' (READ_ONLY_RPCS, the default), 'all', or a list of names. */
  methods: 'read-only' | 'all' | readonly RpcName[];
  /** Attempts in all, the first included; 1 turns retries off. */
  maxAttempts: number;
  /** The ceiling of the first backoff; each retry doubles it, up to maxBackoffMs. The wait is drawn at random below it. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A server's google.rpc.RetryInfo asking for a longer wait than this is not waited for: the error is returned. */
  maxRetryInfoDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  methods: 'read-only',
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2_000,
  maxRetryInfoDelayMs: 5_000,
};
