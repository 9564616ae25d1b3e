import type { EventType } from '../domain/account-event.model.js';
import type { Role } from '../domain/account.model.js';
import type { AccountReader } from '../ports/account-reader.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { SessionStore } from '../ports/session-store.port.js';
import type { SecurityEventStore } from '../ports/security-event-store.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { AccessTokenSigner, AccessTokenVerifier, PublicKeySet } from '../ports/access-tokens.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { IdGenerator } from '../ports/id-generator.port.js';
import type { SecondFactorStore } from '../ports/second-factor-store.port.js';
import type { SecretBox } from '../crypto/secret-box.codec.js';
import type { TokenPurpose } from '../domain/account-token.model.js';
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
  /** TOTP factors, recovery codes, MFA tickets and how each session was signed in. */
  secondFactors: SecondFactorStore;
  /** Told of every security event as it is recorded (metrics); optional, must not throw. */
  securityEventObserver?: (event: SecurityEvent) => void;
  /** Told when a new-device notice could not be queued (the sign-in went on); optional, must not throw. */
  newDeviceNoticeFailed?: (error: unknown) => void;
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
  /** Seals TOTP secrets at rest (AES-256-GCM under configured keys). Without it TOTP answers MFA_NOT_CONFIGURED. */
  secretBox?: SecretBox;
  /** The WebAuthn relying party of passkeys. Without it the passkey operations answer PASSKEYS_NOT_CONFIGURED. */
  passkeys?: PasskeySettings;
  /** Issuer shown by authenticator apps (the `issuer` of the otpauth:// URI). Default "authsvc". */
  totpIssuer: string;
  /** Lifetime of the MFA ticket Login returns to an account with a second factor. Default 5 minutes. */
  mfaTicketTtlMs: number;
  /** Step-up: how recent a sign-in with a second factor must be for ChangePassword, DisableTotp and DeleteAccount (of oneself) on an account that has one. Default 10 minutes. */
  reauthenticationWindowMs: number;
  /**
   * The role policy: roles whose accounts must sign in with a second factor. Such an account without one gets tokens
   * that only enrol one (MFA_ENROLMENT_REQUIRED elsewhere, ValidateToken included). Default ['ADMIN']; [] turns it off.
   * Inactive while no factor can be enrolled (neither `secretBox` nor `passkeys`): it would lock those roles out.
   */
  mfaRequiredForRoles: readonly Role[];
  /** How long a mailed token works, per purpose. Default: verification 24 h, password reset 30 min, email change 1 h. */
  tokenLifetimesMs: Record<TokenPurpose, number>;
  /** Refuse Login (EMAIL_NOT_VERIFIED, after the password was verified) while the account's email is not verified. Default false. */
  requireVerifiedEmail: boolean;
  /**
   * Mail the account's (verified) address when it signs in from a device never seen for it (user agent and network
   * prefix; not its first device). Costs a unit of work per successful sign-in. Default false.
   */
  notifyNewDevices: boolean;
  /**
   * RequestPasswordReset answers no sooner than this after it started, whether the address is known or not, so its
   * timing cannot tell them apart (the work itself differs by a few statements). Default 200 ms; 0 turns it off.
   */
  passwordResetReplyFloorMs: number;
  /** How long a deleted account is kept (restorable by an admin) before housekeeping erases it. Default 7 days. */
  deletionGraceMs: number;
}

/** The WebAuthn relying party: who passkeys are registered for, and the pages allowed to use them. */
export interface PasskeySettings {
  /** Relying-party id: the site's registrable domain (e.g. "example.com"), without scheme or port. */
  rpId: string;
  /** Name shown by authenticators when a passkey is created. */
  rpName: string;
  /** Origins (scheme://host[:port]) of the pages that run the ceremonies; a response from any other is refused. */
  origins: string[];
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
    'user.deleted': 'user.deleted',
    'artist.deleted': 'artist.deleted',
    'user.restored': 'user.restored',
    'artist.restored': 'artist.restored',
    'user.erased': 'user.erased',
    'artist.erased': 'artist.erased',
  },
  eventSource: '/authsvc',
  securityTopic: 'auth.security',
  limits: DEFAULT_ATTEMPT_LIMITS,
  totpIssuer: 'authsvc',
  mfaTicketTtlMs: 5 * 60_000,
  reauthenticationWindowMs: 10 * 60_000,
  mfaRequiredForRoles: ['ADMIN'],
  tokenLifetimesMs: { 'verify-email': 24 * 3_600_000, 'reset-password': 30 * 60_000, 'change-email': 3_600_000 },
  requireVerifiedEmail: false,
  notifyNewDevices: false,
  passwordResetReplyFloorMs: 200,
  deletionGraceMs: 7 * 24 * 3_600_000,
};
