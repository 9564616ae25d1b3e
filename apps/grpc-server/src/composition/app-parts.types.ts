import type {
  AccessTokenSigner,
  AccountImportStore,
  AccessTokenVerifier,
  AccountReader,
  AuthService,
  Clock,
  EventPublisher,
  IdGenerator,
  MailDeliveryWorker,
  MailOutboxStore,
  MailSender,
  OutboxRelay,
  OutboxRelayStore,
  PasswordHasher,
  PublicKeySet,
  RateLimiter,
  SecondFactorStore,
  SecretBox,
  SecurityEventStore,
  SessionStore,
  UnitOfWork,
} from '@authsvc/core';
import type { PostgresDatabase } from '@authsvc/adapters-postgres';
import type { RedisConnection } from '@authsvc/adapters-redis';
import type { DependencyHealth } from './dependency-health.worker.js';
import type { AccountPurgeWorker } from './account-purge.worker.js';

/** Signs and verifies access tokens and publishes the public keys (one key set does all three). */
export type AccessTokens = AccessTokenSigner & AccessTokenVerifier & PublicKeySet;

/**
 * Every part the app is built from, by name. Each is built on first use from the configuration, and any of them can
 * be replaced by `createApp`'s overrides (a test swaps the session store with `overrides: { sessions: fake }`).
 */
export interface AppParts {
  /** PostgreSQL when database.url is set, else embedded PGlite. */
  database: PostgresDatabase;
  accounts: AccountReader;
  unitOfWork: UnitOfWork;
  relayStore: OutboxRelayStore;
  /** TOTP factors, recovery codes, MFA tickets and session assurance, on the database. */
  secondFactors: SecondFactorStore;
  /** Seals TOTP secrets at rest with the keys of mfa.encryptionKeys (or its file); null when none are configured (TOTP off). */
  secretBox: SecretBox | null;
  /** The audit trail of security events, on the same database. */
  securityEvents: SecurityEventStore;
  /** The Redis connection when redis.url is set; null means in-memory sessions. */
  redis: RedisConnection | null;
  sessions: SessionStore;
  /** Atomic attempt counters shared by every instance (Redis when redis.url is set, else in memory): every login, registration and identity-change limit. */
  rateLimiter: RateLimiter;
  /** Kafka when kafka.brokers is set, else one log line per event. Opened only by a process that runs the relay. */
  eventPublisher: EventPublisher;
  passwordHasher: PasswordHasher;
  accessTokens: AccessTokens;
  refreshTokenSecret: Uint8Array;
  clock: Clock;
  ids: IdGenerator;
  /** Core's service on the ports above. */
  service: AuthService;
  /** SERVING while the database and Redis (when used) answer. */
  health: DependencyHealth;
  /** The outbox relay, started. */
  relay: OutboxRelay;
  /** Batch writes of `accounts import` (the database's). */
  accountImport: AccountImportStore;
  /** The delivery side of the mail outbox. */
  mailStore: MailOutboxStore;
  /** SMTP when mail.smtpUrl is set, else .eml files under <dataDir>/mail/. */
  mailSender: MailSender;
  /** The mail delivery worker, started. */
  mailDelivery: MailDeliveryWorker;
  /** The housekeeping that erases deleted accounts after accounts.deletionGrace, started. */
  accountPurge: AccountPurgeWorker;
}

export type PartName = keyof AppParts;

/** Parts given instead of built; the caller keeps ownership (the app does not close them). */
export type AppOverrides = Partial<AppParts>;
