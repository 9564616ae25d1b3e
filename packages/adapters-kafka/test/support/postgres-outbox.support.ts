import { randomBytes } from 'node:crypto';
import { openPostgresDatabase, type PostgresDatabase, type PostgresStores } from '@authsvc/adapters-postgres';
import { locateService, startPostgresContainer, type LocatedService } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';

/** The PostgreSQL server of this run (DATABASE_URL, else Testcontainers), or null after a one-line skip notice. */
export function locatePostgres(): Promise<LocatedService | null> {
  return locateService({ name: 'PostgreSQL', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
}

/** A fresh, migrated database of its own on the server, with the adapter's stores; `drop` removes it. */
export interface TestOutboxDatabase {
  url: string;
  open(): { handle: PostgresDatabase; stores: PostgresStores };
  drop(): Promise<void>;
}

export async function createOutboxDatabase(serverUrl: string): Promise<TestOutboxDatabase> {
  const database = await createTestDatabase(serverUrl, `authsvc_kafka_test_${randomBytes(6).toString('hex')}`);
  const open = () => {
    const handle = openPostgresDatabase({ url: database.url, poolSize: 5 });
    return { handle, stores: handle.stores };
  };
  const first = open();
  await first.handle.migrateToLatest();
  await first.handle.close();
  return { url: database.url, open, drop: database.drop };
}
