import type { DatabaseHandle } from './connection/database-handle.types.js';
import type { PostgresStores } from './database/postgres-database.types.js';
import { PostgresAccountReader } from './accounts/postgres-account-reader.adapter.js';
import { PostgresUnitOfWork, type UnitOfWorkOptions } from './unit-of-work/postgres-unit-of-work.adapter.js';
import { PostgresOutboxRelayStore, type OutboxRelayStoreOptions } from './outbox/postgres-outbox-relay-store.adapter.js';
import { PostgresSecurityEventStore } from './security/postgres-security-event-store.adapter.js';

/** Every store this package implements, on one database handle (server or PGlite). */
export function createPostgresStores(
  handle: DatabaseHandle,
  options: { unitOfWork?: UnitOfWorkOptions; relay?: OutboxRelayStoreOptions } = {},
): PostgresStores {
  return {
    accounts: new PostgresAccountReader(handle.db),
    unitOfWork: new PostgresUnitOfWork(handle.db, options.unitOfWork),
    relayStore: new PostgresOutboxRelayStore(handle, options.relay),
    securityEvents: new PostgresSecurityEventStore(handle.db),
  };
}
