/**
 * Stable codes of every expected failure. Clients and the gRPC edge rely on these strings:
 * never rename one, only add.
 */
export const ERROR_CODES = [
  /** Input broke a rule; `violations` names each field. */
  'VALIDATION_FAILED',
  'USERNAME_TAKEN',
  'EMAIL_TAKEN',
  'AUTHOR_TAKEN',
  /** Unknown account or wrong password: deliberately the same error for both. */
  'INVALID_CREDENTIALS',
  /** No access token where one is required. */
  'UNAUTHENTICATED',
  /** Access token malformed, badly signed, expired, of the wrong type, or for another audience. */
  'ACCESS_TOKEN_INVALID',
  /** Access token of a session that was revoked (logout, password change, role change...). */
  'SESSION_REVOKED',
  /** Refresh token malformed, forged, expired, or of a revoked session. */
  'REFRESH_TOKEN_INVALID',
  /** A refresh token was presented again after it had been rotated: its whole session is now revoked. */
  'REFRESH_TOKEN_REUSED',
  'PERMISSION_DENIED',
  'ACCOUNT_NOT_FOUND',
  /** Too many failed logins for this account; `retryAfterMs` says when to try again. */
  'LOGIN_THROTTLED',
  /** A store the service depends on is unreachable or timed out. */
  'DEPENDENCY_UNAVAILABLE',
  /** The caller's deadline passed (its AbortSignal fired with a TimeoutError) before the work finished. */
  'DEADLINE_EXCEEDED',
  /** The caller cancelled (its AbortSignal fired for another reason) before the work finished. */
  'CANCELLED',
  /** The server is at capacity (its password-hash queue is full); `retryAfterMs` estimates when there is room. */
  'OVERLOADED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
