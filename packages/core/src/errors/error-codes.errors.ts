/**
 * A canonical google.rpc.Code name: the transport-neutral status of an error. The gRPC edge sends it as is; another
 * transport would map it by the usual table (NOT_FOUND -> 404...). An error is never OK.
 */
export type ErrorStatus =
  | 'CANCELLED'
  | 'UNKNOWN'
  | 'INVALID_ARGUMENT'
  | 'DEADLINE_EXCEEDED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'OUT_OF_RANGE'
  | 'UNIMPLEMENTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DATA_LOSS'
  | 'UNAUTHENTICATED';

/** One expected failure: the status it answers with and the client-safe message it carries unless its thrower says more. */
export interface ErrorDefinition {
  readonly status: ErrorStatus;
  readonly message: string;
}

/**
 * THE table of expected failures, keyed by their stable code. Clients and the edges rely on the codes: never rename
 * one, only add. A row without a status or a message fails the typecheck, and so does a code thrown but not here.
 */
export const DOMAIN_ERRORS = {
  /** Input broke a rule; `violations` names each field. */
  VALIDATION_FAILED: { status: 'INVALID_ARGUMENT', message: 'the request is invalid' },
  USERNAME_TAKEN: { status: 'ALREADY_EXISTS', message: 'username is already taken' },
  EMAIL_TAKEN: { status: 'ALREADY_EXISTS', message: 'email is already taken' },
  AUTHOR_TAKEN: { status: 'ALREADY_EXISTS', message: 'author is already taken' },
  /** Unknown account or wrong password: deliberately the same error for both. */
  INVALID_CREDENTIALS: { status: 'UNAUTHENTICATED', message: 'invalid login or password' },
  /** No access token where one is required. */
  UNAUTHENTICATED: { status: 'UNAUTHENTICATED', message: 'this operation requires a valid access token' },
  /** Access token malformed, badly signed, expired, of the wrong type, or for another audience. */
  ACCESS_TOKEN_INVALID: { status: 'UNAUTHENTICATED', message: 'access token is invalid or expired' },
  /** Access token of a session that was revoked (logout, password change, role change...). */
  SESSION_REVOKED: { status: 'UNAUTHENTICATED', message: 'the session of this access token was revoked' },
  /** Refresh token malformed, forged, expired, or of a revoked session. */
  REFRESH_TOKEN_INVALID: { status: 'UNAUTHENTICATED', message: 'the refresh token is invalid, expired or revoked' },
  /** A refresh token was presented again after it had been rotated: its whole session is now revoked. */
  REFRESH_TOKEN_REUSED: { status: 'UNAUTHENTICATED', message: 'the refresh token was already used: its session is now revoked' },
  PERMISSION_DENIED: { status: 'PERMISSION_DENIED', message: 'not allowed to do this for this account' },
  ACCOUNT_NOT_FOUND: { status: 'NOT_FOUND', message: 'no such account' },
  /** Too many password checks for this login name (from this client address, or from everywhere) or from this address; `retryAfterMs` says when to try again. */
  LOGIN_THROTTLED: { status: 'RESOURCE_EXHAUSTED', message: 'too many failed logins, try again later' },
  /** A store the service depends on is unreachable or timed out. */
  DEPENDENCY_UNAVAILABLE: { status: 'UNAVAILABLE', message: 'a store the service depends on is unavailable' },
  /** The caller's deadline passed (its AbortSignal fired with a TimeoutError) before the work finished. */
  DEADLINE_EXCEEDED: { status: 'DEADLINE_EXCEEDED', message: 'the deadline passed before the call finished' },
  /** The caller cancelled (its AbortSignal fired for another reason) before the work finished. */
  CANCELLED: { status: 'CANCELLED', message: 'the call was cancelled before it finished' },
  /** The server is at capacity (its password-hash queue is full); `retryAfterMs` estimates when there is room. */
  OVERLOADED: { status: 'RESOURCE_EXHAUSTED', message: 'too many password checks are waiting, try again later' },
  /** Too many registrations from this client address, or changes of this account's username or email; `retryAfterMs` says when to try again. */
  RATE_LIMITED: { status: 'RESOURCE_EXHAUSTED', message: 'too many requests of this kind, try again later' },
  /** The change would leave the service without any admin (demoting the last one, itself included). */
  LAST_ADMIN: { status: 'FAILED_PRECONDITION', message: 'the last admin cannot stop being one: make another account ADMIN first' },
  /** The MFA ticket of CompleteLogin is unknown, used, expired, or its account changed password or role since Login. */
  MFA_TICKET_INVALID: { status: 'UNAUTHENTICATED', message: 'the sign-in ticket is invalid, used or expired: sign in again' },
  /** A TOTP code, recovery code or passkey assertion was wrong, already used, or for another account. */
  SECOND_FACTOR_INVALID: { status: 'UNAUTHENTICATED', message: 'the second factor was not accepted' },
  /** BeginTotpEnrolment while a confirmed TOTP authenticator exists: disable it first. */
  TOTP_ALREADY_ENABLED: { status: 'FAILED_PRECONDITION', message: 'a TOTP authenticator is already enabled: disable it first' },
  /** ConfirmTotpEnrolment without a pending enrolment, or DisableTotp / RegenerateRecoveryCodes without the factor they need. */
  SECOND_FACTOR_NOT_ENROLLED: { status: 'FAILED_PRECONDITION', message: 'the account has no such second factor (or enrolment was not started)' },
  /** The server has no key to seal TOTP secrets with (mfa.encryptionKeys unset on a server with a shared database). */
  MFA_NOT_CONFIGURED: { status: 'FAILED_PRECONDITION', message: 'TOTP is not configured on this server' },
  /** Step-up: the account has a second factor and the caller's session did not sign in with one recently enough. */
  REAUTHENTICATION_REQUIRED: { status: 'UNAUTHENTICATED', message: 'sign in again with your second factor to do this' },
  /** The password was right, but logins need a verified email address (setting) and this account's is not. */
  EMAIL_NOT_VERIFIED: { status: 'FAILED_PRECONDITION', message: 'the email address of this account is not verified yet' },
  /** A mailed token (verification, password reset, email change) that is unknown, expired, already used, replaced by a newer one, or for another address: one answer for all. */
  ACCOUNT_TOKEN_INVALID: { status: 'UNAUTHENTICATED', message: 'the link is invalid, expired or already used' },
  /** No live session with this id that the caller may see (unknown, ended, or another account's for a non-admin: the same answer). */
  SESSION_NOT_FOUND: { status: 'NOT_FOUND', message: 'no such session' },
  /** The password was right but an admin has disabled the account (told only after the password was verified). */
  ACCOUNT_DISABLED: { status: 'PERMISSION_DENIED', message: 'this account is disabled' },
  /** The role policy (mfa.requiredForRoles): the caller's role needs a second factor and its session signed in without one; only enrolling one is allowed. */
  MFA_ENROLMENT_REQUIRED: { status: 'PERMISSION_DENIED', message: 'this account must enrol a second factor, then sign in with it, before doing this' },
  /** The server has no WebAuthn relying party configured (webauthn.rpId, webauthn.origins): passkeys are off. */
  PASSKEYS_NOT_CONFIGURED: { status: 'FAILED_PRECONDITION', message: 'passkeys are not configured on this server' },
  /** RemovePasskey: the account has no passkey with this credential id. */
  PASSKEY_NOT_FOUND: { status: 'NOT_FOUND', message: 'no such passkey' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof DOMAIN_ERRORS;

/** Every code of the table, in its order. */
export const ERROR_CODES = Object.keys(DOMAIN_ERRORS) as readonly ErrorCode[];
