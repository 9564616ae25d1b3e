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
  completeLogin: 5_000,
  beginTotpEnrolment: 5_000,
  confirmTotpEnrolment: 5_000,
  disableTotp: 10_000,
  regenerateRecoveryCodes: 5_000,
  requestEmailVerification: 5_000,
  verifyEmail: 5_000,
  // Answers no sooner than mail.resetReplyFloor (200 ms by default), whether the address is known or not.
  requestPasswordReset: 5_000,
  resetPassword: 10_000,
  requestEmailChange: 10_000,
  confirmEmailChange: 5_000,
  listSessions: 3_000,
  revokeSession: 5_000,
  listSecurityEvents: 3_000,
  searchAccounts: 3_000,
  disableAccount: 5_000,
  enableAccount: 5_000,
  exportAccountData: 5_000,
  beginPasskeyRegistration: 5_000,
  finishPasskeyRegistration: 5_000,
  beginPasskeyLogin: 5_000,
  finishPasskeyLogin: 5_000,
  listPasskeys: 5_000,
  removePasskey: 5_000,
  // Deleting oneself verifies the password (a hash, like Login).
  deleteAccount: 10_000,
  restoreAccount: 5_000,
  resetSecondFactors: 5_000,
};

/** The RPCs that only read. */
export const READ_ONLY_RPCS: readonly RpcName[] = ['getUser', 'getArtist', 'validateToken', 'getJwks', 'listSessions', 'listSecurityEvents', 'searchAccounts', 'listPasskeys'];

/**
 * The RPCs retried after UNAVAILABLE by default: those for which the server guarantees that a call that answered
 * UNAVAILABLE had no effect (proto/README.md, "Retrying after UNAVAILABLE"): the reads, Login, Logout, RefreshToken (the
 * same token works however late) and the profile updates. Not RegisterUser/RegisterArtist (a lost answer makes the retry
 * say ALREADY_EXISTS for the caller's own account) nor ChangePassword, SetRole, RevokeSessions (they span two stores and
 * may have done part of their work): the caller decides, with `retry: { methods: 'all' }` or a list.
 */
export const SAFE_TO_RETRY_RPCS: readonly RpcName[] = [...READ_ONLY_RPCS, 'login', 'logout', 'refreshToken', 'updateUser', 'updateArtist'];

/** When and how the client retries a call that failed with UNAVAILABLE. */
export interface RetryPolicy {
  /** The RPCs retried: 'safe' (SAFE_TO_RETRY_RPCS, the default), 'read-only' (READ_ONLY_RPCS), 'all', or a list of names. */
  methods: 'safe' | 'read-only' | 'all' | readonly RpcName[];
  /** Attempts in all, the first included; 1 turns retries off. */
  maxAttempts: number;
  /** The ceiling of the first backoff; each retry doubles it, up to maxBackoffMs. The wait is drawn at random below it. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A server's google.rpc.RetryInfo asking for a longer wait than this is not waited for: the error is returned. */
  maxRetryInfoDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  methods: 'safe',
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2_000,
  maxRetryInfoDelayMs: 5_000,
};
