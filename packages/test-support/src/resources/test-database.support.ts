import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** URL of the new database (the server's URL with its name). */
  url: string;
  /** Drops it, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A database of the caller's own on the PostgreSQL server of `serverUrl` (servers are shared between runs and
 * suites): `name`, or a random one starting with `authsvc_test_`.
 */
export async function createTestDatabase(serverUrl: string, name = `authsvc_test_${randomBytes(6).toString('hex')}`): Promise<TestDatabase> {
  await onServer(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists "${name}" with (force)`) };
}
