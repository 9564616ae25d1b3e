/**
 * Security events: what happened to an account's credentials and sessions, for the audit trail (ListSecurityEvents)
 * and the `auth.security` topic. Adding a type is one line here (and its example in docs/events.md).
 */
export const SECURITY_EVENT_TYPES = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.refresh_token.reused',
  'auth.session.revoked',
  'auth.password.changed',
  'auth.role.changed',
  'auth.throttle.tripped',
  'auth.password.reset_requested',
  'auth.password.reset',
  'auth.email.changed',
  'auth.account.disabled',
  'auth.account.enabled',
  'auth.mfa.enrolled',
  'auth.mfa.removed',
  'auth.mfa.failed',
  'auth.mfa.recovery_code_used',
  'auth.mfa.recovery_codes_regenerated',
  'auth.account.deleted',
  'auth.account.restored',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Why a login failed: a wrong name or password, a login limit, a disabled or deleted account (after its password was verified). */
export const LOGIN_FAILURE_REASONS = ['bad_credentials', 'throttled', 'disabled', 'deleted'] as const;
export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];
/** Which factor an `auth.mfa.*` event is about (its reason); `throttled` for a second-factor check refused by its limit. */
export type SecondFactorEventReason = 'totp' | 'passkey' | 'recovery_code' | 'throttled';
/** Why a session ended. */
export const REVOCATION_CAUSES = ['logout', 'user', 'admin', 'password_change', 'role_change', 'reuse', 'password_reset', 'email_change', 'account_disabled', 'account_deleted'] as const;
export type RevocationCause = (typeof REVOCATION_CAUSES)[number];

/** Version of the security event payload (docs/events.md). Bump on any incompatible change. */
export const SECURITY_EVENT_SCHEMA_VERSION = 1;

/**
 * One security event. Never carries a password, a token or a hash of either. A failed login for a name that matches
 * no account carries no account id and no name: `loginHash` is a keyed hash (HMAC-SHA-256 under a key derived from
 * the refresh-token secret) of the name as normalised for lookup, so repeated attacks on one name correlate without
 * the name being stored.
 */
export interface SecurityEvent {
  /** UUID v7; the outbox event's id too (CloudEvents `ce_id`). */
  id: string;
  type: SecurityEventType;
  occurredAt: Date;
  /** The account, when known. */
  accountId: string | null;
  /** The session concerned (a login's new session, a revoked one); null for "every session of the account". */
  sessionId: string | null;
  /** The client's address, when the event comes from a call that has one. */
  clientAddress: string | null;
  userAgent: string | null;
  /** Type-specific: a LoginFailureReason, a RevocationCause, the new role, the limit that tripped. */
  reason: string | null;
  /** Failed logins for an unknown name only: the keyed hash of the name. */
  loginHash: string | null;
  /** How many sessions a revocation of every session of an account ended; null otherwise. */
  sessionCount: number | null;
}

/** The JSON payload of a security event on Kafka: snake_case, ISO-8601 times. */
export interface SecurityEventPayload {
  schema_version: typeof SECURITY_EVENT_SCHEMA_VERSION;
  event: Record<string, unknown>;
}

export function securityEventToJson(event: SecurityEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    account_id: event.accountId,
    session_id: event.sessionId,
    client_address: event.clientAddress,
    user_agent: event.userAgent,
    reason: event.reason,
    login_hash: event.loginHash,
    session_count: event.sessionCount,
  };
}

export const isSecurityEventType = (value: unknown): value is SecurityEventType =>
  typeof value === 'string' && (SECURITY_EVENT_TYPES as readonly string[]).includes(value);
