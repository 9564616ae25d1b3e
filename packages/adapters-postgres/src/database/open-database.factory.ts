import { sql } from 'kysely';
import { createPgliteDatabase, type PgliteDatabaseOptions } from '../connection/pglite-database.factory.js';
import { createPostgresDatabase, type PostgresDatabaseOptions } from '../connection/postgres-database.factory.js';
import type { DatabaseHandle } from '../connection/database-handle.types.js';
import { migrateDown, migrateToEmpty, migrateToLatest, migrationStatus } from '../migrations/migrator.util.js';
import { failingEvents } from '../outbox/failing-events.query.js';
import type { OutboxRelayStoreOptions } from '../outbox/postgres-outbox-relay-store.adapter.js';
import type { MailOutboxStoreOptions } from '../mail/postgres-mail-outbox-store.adapter.js';
import type { UnitOfWorkOptions } from '../unit-of-work/postgres-unit-of-work.adapter.js';
import { createPostgresStores } from '../postgres-stores.factory.js';
import type { PostgresDatabase } from './postgres-database.types.js';

/** Settings of the stores built on an opened database. */
export interface StoreOptions {
  unitOfWork?: UnitOfWorkOptions;
  relay?: OutboxRelayStoreOptions;
  mail?: MailOutboxStoreOptions;
}

function wrap(handle: DatabaseHandle, options: StoreOptions): PostgresDatabase {
  const stores = createPostgresStores(handle, options);
  return {
    kind: handle.kind,
    stores,
    ping: async () => {
      try {
        // A standby after a failover answers reads but takes no writes: for the service it is down.
        const { rows } = await sql<{ writable: boolean }>`select current_setting('transaction_read_only') = 'off' as writable`.execute(handle.db);
        return rows[0]?.writable === true;
      } catch {
        return false;
      }
    },
    migrateToLatest: () => migrateToLatest(handle.db),
    migrateDown: () => migrateDown(handle.db),
    migrateToEmpty: () => migrateToEmpty(handle.db),
    migrationStatus: () => migrationStatus(handle.db),
    outboxStatus: async (now, failingLimit) => {
      const stats = await stores.relayStore.stats(now);
      return { ...stats, failingEvents: stats.failing === 0 ? [] : await failingEvents(handle.db, failingLimit) };
    },
    close: () => handle.close(),
  };
}

/** A pool on a PostgreSQL server (connections are opened on first use). */
export function openPostgresDatabase(options: PostgresDatabaseOptions & StoreOptions): PostgresDatabase {
  return wrap(createPostgresDatabase(options), options);
}

/** An embedded PostgreSQL (PGlite) in this process; only one process may open a given data folder at a time. */
export async function openPgliteDatabase(options: PgliteDatabaseOptions & StoreOptions = {}): Promise<PostgresDatabase> {
  return wrap(await createPgliteDatabase(options), options);
}
