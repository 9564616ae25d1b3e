import type { DatabaseHandle } from './connection/database-handle.types.js';
import type { PostgresStores } from './database/postgres-database.types.js';
import { PostgresAccountReader } from './accounts/postgres-account-reader.adapter.js';
import { PostgresAccountImport } from './accounts/postgres-account-import.adapter.js';
import { PostgresUnitOfWork, type UnitOfWorkOptions } from './unit-of-work/postgres-unit-of-work.adapter.js';
import { PostgresOutboxRelayStore, type OutboxRelayStoreOptions } from './outbox/postgres-outbox-relay-store.adapter.js';
import { PostgresSecondFactorStore } from './second-factors/postgres-second-factor-store.adapter.js';
import { PostgresMailOutboxStore, type MailOutboxStoreOptions } from './mail/postgres-mail-outbox-store.adapter.js';
import { PostgresSecurityEventStore } from './security/postgres-security-event-store.adapter.js';

/** Every store this package implements, on one database handle (server or PGlite). */
export function createPostgresStores(
  handle: DatabaseHandle,
  options: { unitOfWork?: UnitOfWorkOptions; relay?: OutboxRelayStoreOptions; mail?: MailOutboxStoreOptions } = {},
): PostgresStores {
  return {
    accounts: new PostgresAccountReader(handle.db),
    unitOfWork: new PostgresUnitOfWork(handle.db, options.unitOfWork),
    relayStore: new PostgresOutboxRelayStore(handle, options.relay),
    accountImport: new PostgresAccountImport(handle.db),
    secondFactors: new PostgresSecondFactorStore(handle.db),
    mailStore: new PostgresMailOutboxStore(handle.db, options.mail),
    securityEvents: new PostgresSecurityEventStore(handle.db),
  };
}
