import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDown, migrateToEmpty, migrateToLatest, migrationStatus } from '../src/migrations/migrator.util.js';
import { MIGRATIONS } from '../src/migrations/migration-provider.util.js';
import { availableBackends, createBackend, type Backend } from './support/backends.support.js';
import { createTestDatabase, locatePostgres } from './support/test-database.support.js';
import { normalizeAuthor } from '@authsvc/core';
import { testUuidV7, uniqueSuffix } from '@authsvc/core-testing';
import { sourceNodeFlags } from '@authsvc/test-support/server';

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
    expect(await tables(db)).toEqual(['account_tokens', 'account_tombstones', 'accounts', 'artist_profiles', 'auth_challenges', 'known_devices', 'mail_outbox', 'outbox', 'passkeys', 'recovery_codes', 'security_events', 'session_assurance', 'totp_factors', 'user_profiles']);
    expect(await migrateToEmpty(db)).toEqual([...ALL].reverse());
    expect(await tables(db)).toEqual([]);
    expect((await migrationStatus(db)).every((m) => m.executedAt === null)).toBe(true);
    expect(await migrateToLatest(db)).toEqual(ALL);
    expect(await indexes(db)).toEqual([
      'account_tokens_pkey',
      'account_tokens_token_hash_key',
      'account_tombstones_pkey',
      'accounts_created_search_idx',
      'accounts_deleted_at_idx',
      'accounts_email_normalized_key',
      'accounts_email_search_idx',
      'accounts_pkey',
      'accounts_username_normalized_key',
      'accounts_username_search_idx',
      'artist_profiles_author_normalized_key',
      'artist_profiles_pkey',
      'auth_challenges_account_id_idx',
      'auth_challenges_expires_at_idx',
      'auth_challenges_pkey',
      'known_devices_pkey',
      'mail_outbox_account_id_idx',
      'mail_outbox_pending_idx',
      'mail_outbox_pkey',
      'mail_outbox_sent_at_idx',
      'outbox_key_idx',
      'outbox_pending_key_seq_idx',
      'outbox_pending_seq_idx',
      'outbox_pkey',
      'outbox_published_at_idx',
      'passkeys_account_id_idx',
      'passkeys_pkey',
      'recovery_codes_pkey',
      'security_events_account_time_idx',
      'security_events_login_hash_idx',
      'security_events_occurred_at_idx',
      'security_events_pkey',
      'session_assurance_expires_at_idx',
      'session_assurance_pkey',
      'totp_factors_pkey',
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
    for (const name of ALL.slice(2).reverse()) expect(await migrateDown(db)).toEqual([name]);
    expect(await tables(db)).toEqual(['accounts', 'artist_profiles', 'outbox', 'user_profiles']);
    expect(await migrateDown(db)).toEqual(['0002_outbox']);
    expect(await tables(db)).toEqual(['accounts', 'artist_profiles', 'user_profiles']);
    expect(await migrateDown(db)).toEqual(['0001_accounts']);
    expect(await migrateDown(db)).toEqual([]);
  });
});

/** 0003 and every migration after it, in the order they run. */
/** An artist row as 0001 and 0002 wrote it: author_normalized by their fold (NFKC, trimmed, lower case). */
async function insertArtistBeforeFold(db: Kysely<unknown>, author: string): Promise<string> {
  const id = testUuidV7();
  const name = `artist_${uniqueSuffix()}`;
  await sql`
    insert into accounts (id, kind, role, username, username_normalized, email, email_normalized, password_hash, created_at, updated_at)
    values (${id}::uuid, 'artist', 'ARTIST', ${name}, ${name}, ${`${name}@example.com`}, ${`${name}@example.com`}, 'x', now(), now())`.execute(db);
  await sql`
    insert into artist_profiles (account_id, author, author_normalized, producer, country, description)
    values (${id}::uuid, ${author}, ${author.normalize('NFKC').trim().toLowerCase()}, null, 'SE', '')`.execute(db);
  return id;
}

async function foldedAuthors(db: Kysely<unknown>): Promise<{ author: string; author_normalized: string }[]> {
  const { rows } = await sql<{ author: string; author_normalized: string }>`select author, author_normalized from artist_profiles order by account_id`.execute(db);
  return rows;
}

/** 0003 and the migrations after it: what going down to just before 0003 reverts, newest first. */
const FROM_FOLD = ALL.slice(ALL.indexOf('0003_author_fold'));

async function downToBeforeFold(db: Kysely<unknown>): Promise<void> {
  for (const name of [...FROM_FOLD].reverse()) expect(await migrateDown(db)).toEqual([name]);
}

describe.each(await availableBackends())('0003_author_fold on %s', (backendName) => {
  let backend: Backend;
  let db: Kysely<unknown>;
  beforeEach(async () => {
    backend = await createBackend(backendName);
    db = (await backend.open()).db as Kysely<unknown>;
    await migrateToLatest(db);
    await downToBeforeFold(db);
  });
  afterEach(async () => backend.close());

  it('recomputes every existing author_normalized with the look-alike fold, past one batch of rows, and back on the way down', async () => {
    const authors = Array.from({ length: 2_345 }, (_, i) => `Ｓｔａｇｅ ${i}\u200b ${uniqueSuffix()}`);
    for (const author of authors) await insertArtistBeforeFold(db, author);
    expect(await migrateToLatest(db)).toEqual(FROM_FOLD);
    const rows = await foldedAuthors(db);
    expect(rows).toHaveLength(authors.length);
    for (const row of rows) expect(row.author_normalized).toBe(normalizeAuthor(row.author));
    expect(await indexes(db)).toContain('artist_profiles_author_normalized_key');

    await downToBeforeFold(db);
    for (const row of await foldedAuthors(db)) expect(row.author_normalized).toBe(row.author.normalize('NFKC').trim().toLowerCase());
  }, 120_000);

  it('refuses to migrate when two existing stage names fold alike, naming both artists, and changes nothing', async () => {
    const original = await insertArtistBeforeFold(db, 'Drake');
    const disguised = await insertArtistBeforeFold(db, 'Drake\u200b');
    const lookAlike = await insertArtistBeforeFold(db, 'Dr\u0430ke');
    const unrelated = await insertArtistBeforeFold(db, 'Someone Else');
    const before = await foldedAuthors(db);
    const error = (await migrateToLatest(db).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    const message = `${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`;
    expect(message).toContain('0003_author_fold');
    expect(message).toContain('1 group(s)');
    for (const id of [original, disguised, lookAlike]) expect(message).toContain(id);
    expect(message).not.toContain(unrelated);
    expect(await foldedAuthors(db)).toEqual(before);
    expect((await migrationStatus(db)).find((m) => m.name === '0003_author_fold')?.executedAt).toBeNull();
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
        [1, 2].map(() => execFileAsync(process.execPath, [...sourceNodeFlags(), child, database.url], { timeout: 60_000 })),
      );
      const applied = runs.map((run) => JSON.parse(run.stdout) as string[]);
      // The advisory lock makes one process apply everything and the other find nothing left to do.
      expect(applied.flat().sort()).toEqual([...ALL].sort());
      const backend = await createBackendOn(database.url);
      try {
        expect(await tables(backend)).toEqual(['account_tokens', 'account_tombstones', 'accounts', 'artist_profiles', 'auth_challenges', 'known_devices', 'mail_outbox', 'outbox', 'passkeys', 'recovery_codes', 'security_events', 'session_assurance', 'totp_factors', 'user_profiles']);
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
