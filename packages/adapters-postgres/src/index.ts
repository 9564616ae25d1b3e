// Public API of @authsvc/adapters-postgres: core's account and outbox ports on PostgreSQL or embedded PGlite,
// with migrations, a health ping and the outbox report. The query builder (kysely) never leaves the package.
export { openPostgresDatabase, openPgliteDatabase, type StoreOptions } from './database/open-database.factory.js';
export type { PostgresDatabase, PostgresStores, OutboxStatus, FailingEvent } from './database/postgres-database.types.js';
export type { PostgresDatabaseOptions } from './connection/postgres-database.factory.js';
export type { PgliteDatabaseOptions } from './connection/pglite-database.factory.js';
export type { MigrationState } from './migrations/migrator.util.js';
export type { UnitOfWorkOptions } from './unit-of-work/postgres-unit-of-work.adapter.js';
export type { MailOutboxStoreOptions } from './mail/postgres-mail-outbox-store.adapter.js';
export type { OutboxRelayStoreOptions } from './outbox/postgres-outbox-relay-store.adapter.js';
export { translatePostgresError, isRetryable, isUnavailable } from './errors/postgres.errors.js';
