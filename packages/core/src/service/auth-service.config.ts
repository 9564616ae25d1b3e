import type { EventType } from '../domain/account-event.model.js';
import type { AccountReader } from '../ports/account-reader.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { SessionStore } from '../ports/session-store.port.js';
import type { SecurityEventStore } from '../ports/security-event-store.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { AccessTokenSigner, AccessTokenVerifier, PublicKeySet } from '../ports/access-tokens.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { IdGenerator } from '../ports/id-generator.port.js';
import type { SecurityEvent } from '../domain/security-event.model.js';
import { DEFAULT_ATTEMPT_LIMITS, type AttemptLimits } from '../validation/attempt-limits.rules.js';

/** The ports the service runs on. */
export interface AuthServiceDependencies {
  accounts: AccountReader;
  unitOfWork: UnitOfWork;
  sessions: SessionStore;
  /** The audit trail of security events (read by ListSecurityEvents; written through the unit of work). */
  securityEvents: SecurityEventStore;
  /** Counts logins, registrations and identity changes before the work (see AttemptLimits); shared by every instance. */
  rateLimiter: RateLimiter;
  passwordHasher: PasswordHasher;
  tokenSigner: AccessTokenSigner;
  tokenVerifier: AccessTokenVerifier;
  publicKeys: PublicKeySet;
  clock: Clock;
  ids: IdGenerator;
  /** Told of every security event as it is recorded (metrics); optional, must not throw. */
  securityEventObserver?: (event: SecurityEvent) => void;
}

/** Policy settings; every one has a documented default (DEFAULT_AUTH_SERVICE_OPTIONS). */
export interface AuthServiceOptions {
  /** Lifetime of an access token. Default 15 minutes. */
  accessTokenTtlMs: number;
  /** Absolute lifetime of a session (refresh-token family). Default 30 days. */
  sessionTtlMs: number;
  /** How long the immediate predecessor of the current refresh token still returns the same successor. 0 disables. Default 10 s. */
  refreshGraceMs: number;
  /** HMAC key that authenticates refresh tokens: at least 32 bytes, secret, shared by every instance. */
  refreshTokenSecret: Uint8Array;
  /** Topic of each event type. Default: the type's own name. */
  topics: Record<EventType, string>;
  /** CloudEvents `source` of the events this service writes. Default "/authsvc". */
  eventSource: string;
  /** Topic of every security event (login failed, session revoked...). Default "auth.security". */
  securityTopic: string;
  /** How often a login name, a client address or an account may spend a hash or probe the store (DEFAULT_ATTEMPT_LIMITS). */
  limits: AttemptLimits;
}

export const DEFAULT_AUTH_SERVICE_OPTIONS: Omit<AuthServiceOptions, 'refreshTokenSecret'> = {
  accessTokenTtlMs: 15 * 60_000,
  sessionTtlMs: 30 * 24 * 3_600_000,
  refreshGraceMs: 10_000,
  topics: {
    'user.created': 'user.created',
    'artist.created': 'artist.created',
    'user.updated': 'user.updated',
    'artist.updated': 'artist.updated',
  },
  eventSource: '/authsvc',
  securityTopic: 'auth.security',
  limits: DEFAULT_ATTEMPT_LIMITS,
};
