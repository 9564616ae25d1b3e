import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDown, migrateToEmpty, migrateToLatest, migrationStatus } from '../src/migrations/migrator.util.js';
import { MIGRATIONS } from '../src/migrations/migration-provider.util.js';
import { availableBackends, createBackend, type Backend } from './support/backends.support.js';
import { createTestDatabase, locatePostgres } from './support/test-database.support.js';

const ALL = Object.keys(MIGRATIONS);

async function tables(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

async function indexes(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select indexname as name from pg_indexes where schemaname = 'public' and tablename not like 'kysely_%' order by indexname`.execute(db);
  return rows.map((r) => r.name);
}

describe.each(await availableBackends())('migrations on %s', (backendName) => {
  let backend: Backend;
  let db: Kysely<unknown>;
  beforeEach(async () => {
    backend = await createBackend(backendName);
    db = (await backend.open()).db as Kysely<unknown>;
  });
  afterEach(async () => backend.close());

  it('go up from empty, down to empty, and up again, ending with the full schema', async () => {
    expect(await migrateToLatest(db)).toEqual(ALL);
    expect(await tables(db)).toEqual(['accounts', 'artist_profiles', 'outbox', 'user_profiles']);
    expect(await migrateToEmpty(db)).toEqual([...ALL].reverse());
    expect(await tables(db)).toEqual([]);
    expect((await migrationStatus(db)).every((m) => m.executedAt === null)).toBe(true);
    expect(await migrateToLatest(db)).toEqual(ALL);
    expect(await indexes(db)).toEqual([
      'accounts_email_normalized_key',
      'accounts_pkey',
      'accounts_username_normalized_key',
      'artist_profiles_author_normalized_key',
      'artist_profiles_pkey',
      'outbox_pending_key_seq_idx',
      'outbox_pending_seq_idx',
      'outbox_pkey',
      'outbox_published_at_idx',
      'user_profiles_pkey',
    ]);
  });

  it('are re-runnable: a second run applies nothing and reports every migration applied', async () => {
    await migrateToLatest(db);
    expect(await migrateToLatest(db)).toEqual([]);
    const status = await migrationStatus(db);
    expect(status.map((m) => m.name)).toEqual(ALL);
    expect(status.every((m) => m.executedAt instanceof Date)).toBe(true);
  });

  it('step down one migration at a time, newest first', async () => {
    await migrateToLatest(db);
    expect(await migrateDown(db)).toEqual(['0002_outbox']);
    expect(await tables(db)).toEqual(['accounts', 'artist_profiles', 'user_profiles']);
    expect(await migrateDown(db)).toEqual(['0001_accounts']);
    expect(await migrateDown(db)).toEqual([]);
  });
});

const server = await locatePostgres();
const execFileAsync = promisify(execFile);
const child = fileURLToPath(new URL('./support/migrate-child.support.mjs', import.meta.url));

describe.skipIf(!server)('concurrent migrations on postgres', () => {
  it('two processes migrating one empty database at once end with one correct schema, each migration applied once', async () => {
    const database = await createTestDatabase(server!.url);
    try {
      const runs = await Promise.all(
        [1, 2].map(() => execFileAsync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--conditions=@authsvc/source', child, database.url], { timeout: 60_000 })),
      );
      const applied = runs.map((run) => JSON.parse(run.stdout) as string[]);
      // The advisory lock makes one process apply everything and the other find nothing left to do.
      expect(applied.flat().sort()).toEqual([...ALL].sort());
      const backend = await createBackendOn(database.url);
      try {
        expect(await tables(backend)).toEqual(['accounts', 'artist_profiles', 'outbox', 'user_profiles']);
        expect((await migrationStatus(backend)).every((m) => m.executedAt !== null)).toBe(true);
      } finally {
        await backend.destroy();
      }
    } finally {
      await database.drop();
    }
  }, 60_000);
});

async function createBackendOn(url: string): Promise<Kysely<unknown>> {
  const { createPostgresDatabase } = await import('../src/connection/postgres-database.factory.js');
  return createPostgresDatabase({ url, poolSize: 1 }).db as Kysely<unknown>;
}
