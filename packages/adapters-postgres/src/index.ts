// Public API of @authsvc/adapters-postgres: core's account and outbox ports on PostgreSQL or embedded PGlite.
export type { DatabaseHandle } from './connection/database-handle.js';
export { createPostgresDatabase, type PostgresDatabaseOptions } from './connection/postgres-database.js';
export { createPgliteDatabase, type PgliteDatabaseOptions } from './connection/pglite-database.js';
export { migrateToLatest, migrateDown, migrateToEmpty, migrationStatus, type MigrationState } from './migrations/migrator.js';
export { MIGRATIONS, StaticMigrationProvider } from './migrations/migration-provider.js';
export type { Schema } from './schema/database.schema.js';
export { OUTBOX_CHANNEL, UNIQUE_INDEXES } from './schema/database.schema.js';
export { PostgresAccountReader } from './accounts/postgres-account.reader.js';
export { PostgresAccountRepository } from './accounts/postgres-account.repository.js';
export { PostgresOutboxWriter } from './outbox/postgres-outbox.writer.js';
export { PostgresOutboxRelayStore, type OutboxRelayStoreOptions } from './outbox/postgres-outbox-relay.store.js';
export { PostgresUnitOfWork, type UnitOfWorkOptions } from './unit-of-work/postgres-unit-of-work.js';
export { createPostgresStores, type PostgresStores } from './postgres-stores.js';
export { translatePostgresError, isRetryable, isUnavailable } from './errors/postgres.errors.js';
