import { sql } from 'kysely';
import { afterAll } from 'vitest';
import type { DatabaseHandle } from '../../src/connection/database-handle.types.js';
import { createPostgresDatabase } from '../../src/connection/postgres-database.factory.js';
import { createPgliteDatabase } from '../../src/connection/pglite-database.factory.js';
import { migrateToLatest } from '../../src/migrations/migrator.util.js';
import { createTestDatabase, locatePostgres, type TestDatabase } from './test-database.support.js';

/** One database engine a suite runs on: a fresh database on the real server, or an in-memory PGlite. */
export interface Backend {
  name: 'postgres' | 'pglite';
  /** A new handle on this backend's database (several handles share one server database; PGlite has one). */
  open(): Promise<DatabaseHandle>;
  /** Closes every handle opened and drops the database. */
  close(): Promise<void>;
}

let located: ReturnType<typeof locatePostgres> | undefined;
const server = () => (located ??= locatePostgres());

/** The backends available to this run: PGlite always, the server when located (a skip is announced otherwise). */
export async function availableBackends(): Promise<Backend['name'][]> {
  return (await server()) ? ['postgres', 'pglite'] : ['pglite'];
}

// Starting PGlite runs initdb inside WebAssembly (seconds, more on a busy machine), so a test file starts it once
// and "a fresh database" on PGlite is an emptied public schema (and no kysely bookkeeping tables).
let pglite: Promise<DatabaseHandle> | undefined;
afterAll(async () => {
  if (pglite) await (await pglite).close();
});

async function emptyPglite(): Promise<DatabaseHandle> {
  pglite ??= createPgliteDatabase();
  const handle = await pglite;
  await sql`drop schema public cascade`.execute(handle.db);
  await sql`create schema public`.execute(handle.db);
  return handle;
}

/** A fresh, unmigrated database on `name`. */
export async function createBackend(name: Backend['name']): Promise<Backend> {
  const handles: DatabaseHandle[] = [];
  if (name === 'pglite') {
    const handle = await emptyPglite();
    return { name, open: async () => handle, close: async () => {} };
  }
  const found = await server();
  if (!found) throw new Error('no PostgreSQL server located');
  const database: TestDatabase = await createTestDatabase(found.url);
  return {
    name,
    open: async () => {
      const handle = createPostgresDatabase({ url: database.url, poolSize: 25 });
      handles.push(handle);
      return handle;
    },
    close: async () => {
      await Promise.all(handles.map((h) => h.close()));
      await database.drop();
    },
  };
}

/** A migrated backend and one handle on it, for suites that only use the stores. */
export async function createMigratedBackend(name: Backend['name']): Promise<{ backend: Backend; handle: DatabaseHandle }> {
  const backend = await createBackend(name);
  const handle = await backend.open();
  await migrateToLatest(handle.db);
  return { backend, handle };
}

/** Empties every table, between tests of a suite. */
export async function truncateAll(handle: DatabaseHandle): Promise<void> {
  await sql`truncate table known_devices, session_assurance, auth_challenges, passkeys, recovery_codes, totp_factors, mail_outbox, account_tokens, outbox, artist_profiles, user_profiles, accounts, account_tombstones`.execute(handle.db);
}
