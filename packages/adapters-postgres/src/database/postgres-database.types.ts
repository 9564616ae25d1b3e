import type {
  AccountImportStore, AccountReader, MailOutboxStore, OutboxRelayStore, OutboxStats, SecondFactorStore, SecurityEventStore,
  UnitOfWork,
} from '@authsvc/core';
import type { MigrationState } from '../migrations/migrator.util.js';

/** Core's stores on one database. */
export interface PostgresStores {
  accounts: AccountReader;
  unitOfWork: UnitOfWork;
  relayStore: OutboxRelayStore;
  /** Batch writes of `accounts import`. */
  accountImport: AccountImportStore;
  /** TOTP factors, recovery codes, sign-in challenges and session assurance. */
  secondFactors: SecondFactorStore;
  /** The delivery side of the mail outbox. */
  mailStore: MailOutboxStore;
  /** The audit trail of security events (migration 0005). */
  securityEvents: SecurityEventStore;
}

/** An unpublished event that failed at least once: what an operator needs to see why, never its payload. */
export interface FailingEvent {
  id: string;
  type: string;
  topic: string;
  key: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** The outbox as an operator sees it: backlog, oldest pending age, and the failing events, oldest first. */
export interface OutboxStatus extends OutboxStats {
  failingEvents: FailingEvent[];
}

/**
 * An open database (a PostgreSQL server pool or an embedded PGlite) and everything the service does with it: the
 * stores core runs on, migrations, a health ping and the outbox report. The query builder stays inside this package.
 */
export interface PostgresDatabase {
  readonly kind: 'postgres' | 'pglite';
  /** Core's account, unit-of-work, outbox-relay and second-factor stores on this database (one instance each). */
  readonly stores: PostgresStores;
  /** True when the database answers and takes writes (not a read-only standby); never throws. */
  ping(): Promise<boolean>;
  /** Applies every pending migration; resolves to the names applied (empty when up to date). */
  migrateToLatest(): Promise<string[]>;
  /** Reverts the newest applied migration; resolves to its name (empty when none was applied). */
  migrateDown(): Promise<string[]>;
  /** Reverts every applied migration, newest first: every table of this package is dropped. */
  migrateToEmpty(): Promise<string[]>;
  /** Every known migration, in order, with when it was applied. */
  migrationStatus(): Promise<MigrationState[]>;
  /** Backlog, age of the oldest pending event and up to `failingLimit` failing events. */
  outboxStatus(now: Date, failingLimit: number): Promise<OutboxStatus>;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}
