import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { locateService, startPostgresContainer, type LocatedService } from '@authsvc/test-support';

/** The PostgreSQL server of this run (DATABASE_URL, else Testcontainers), or null after a one-line skip notice. */
export function locatePostgres(): Promise<LocatedService | null> {
  return locateService({ name: 'PostgreSQL', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
}

export interface TestDatabase {
  /** URL of the fresh database. */
  url: string;
  /** Drops it, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a database with a random name on the server at `serverUrl`; every test file uses its own. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `authsvc_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
