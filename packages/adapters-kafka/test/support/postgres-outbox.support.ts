import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresDatabase, type PostgresDatabase, type PostgresStores } from '@authsvc/adapters-postgres';
import { locateService, startPostgresContainer, type LocatedService } from '@authsvc/test-support';

/** The PostgreSQL server of this run (DATABASE_URL, else Testcontainers), or null after a one-line skip notice. */
export function locatePostgres(): Promise<LocatedService | null> {
  return locateService({ name: 'PostgreSQL', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own on the server, with the adapter's stores; `drop` removes it. */
export interface TestOutboxDatabase {
  url: string;
  open(): { handle: PostgresDatabase; stores: PostgresStores };
  drop(): Promise<void>;
}

export async function createOutboxDatabase(serverUrl: string): Promise<TestOutboxDatabase> {
  const name = `authsvc_kafka_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const open = () => {
    const handle = openPostgresDatabase({ url: url.toString(), poolSize: 5 });
    return { handle, stores: handle.stores };
  };
  const first = open();
  await first.handle.migrateToLatest();
  await first.handle.close();
  return { url: url.toString(), open, drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
