import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { locateService, startPostgresContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { migrateDownCommand, migrateStatusCommand, migrateUp } from '../../src/cli/migrate.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { bufferIo, query } from './support/admin-harness.support.js';

const postgres = await locateService({ name: 'PostgreSQL (admin commands)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
afterAll(() => postgres?.stop());

const MIGRATIONS = ['0001_accounts', '0002_outbox', '0003_author_fold', '0004_account_tokens_and_mail', '0005_security_events', '0006_account_lifecycle', '0007_second_factors', '0008_account_deletion', '0009_passkeys', '0010_known_devices'];

/** Runs the whole up/status/down cycle on one configured database and checks what each step reports. */
async function migrationCycle(env: Record<string, string>, tables: () => Promise<string[]>) {
  const config = loadConfig({ env }).config;
  const io = bufferIo();
  const before = await migrateStatusCommand(config, io, { json: false });
  expect(before.map((s) => s.name)).toEqual(MIGRATIONS);
  expect(before.every((s) => s.executedAt === null)).toBe(true);
  expect(io.out()).toMatch(/0001_accounts\s+pending/);

  expect(await migrateUp(config, io)).toEqual(MIGRATIONS);
  expect(await tables()).toEqual(expect.arrayContaining(['accounts', 'outbox']));
  expect(await migrateUp(config, io)).toEqual([]);
  expect(io.out()).toContain('already up to date');

  const applied = await migrateStatusCommand(config, io, { json: true });
  expect(applied.every((s) => s.executedAt instanceof Date)).toBe(true);

  // Step down one migration at a time, newest first, to the first one.
  for (const name of MIGRATIONS.slice(1).reverse()) expect(await migrateDownCommand(config, io, { all: false })).toEqual([name]);
  const afterOneDown = await tables();
  expect(afterOneDown).not.toContain('outbox');
  expect(afterOneDown).toContain('accounts');
  const oneDown = await migrateStatusCommand(config, io, { json: false });
  expect(oneDown.map((s) => s.executedAt === null)).toEqual(MIGRATIONS.map((name) => name !== '0001_accounts'));

  // --all leaves no table of the service behind.
  await migrateUp(config, io);
  expect(await migrateDownCommand(config, io, { all: true })).toEqual([...MIGRATIONS].reverse());
  expect((await tables()).filter((t) => ['accounts', 'outbox', 'user_profiles', 'artist_profiles', 'account_tokens', 'mail_outbox'].includes(t))).toEqual([]);
  expect(await migrateDownCommand(config, io, { all: false })).toEqual([]);
  expect(io.out()).toContain('nothing to revert');
}

describe.skipIf(!postgres)('migrate up/down/status on PostgreSQL', () => {
  it('applies, reports, and reverts one step or everything, on the configured database', async () => {
    const database = await createTestDatabase(postgres!.url);
    try {
      const tables = async () => (await query<{ tablename: string }>(database.url, `select tablename from pg_tables where schemaname = 'public'`)).map((r) => r.tablename);
      await migrationCycle({ AUTH_DATABASE_URL: database.url, AUTH_JWT_KEYS_FILE: '/unused', AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: '/unused' }, tables);
    } finally {
      await database.drop();
    }
  });
});

describe('migrate up/down/status on embedded PGlite', () => {
  it('works on the data folder the server would use', async () => {
    const dir = temporaryDir();
    try {
      const env = { AUTH_DATA_DIR: dir.path };
      const config = loadConfig({ env }).config;
      // Tables are read through PGlite itself, in this process: PGlite allows one process per folder.
      const tables = async () => {
        const pglite = await PGlite.create({ dataDir: join(config.dataDir, 'pglite') });
        try {
          const { rows } = await pglite.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public'`);
          return rows.map((row) => row.name);
        } finally {
          await pglite.close();
        }
      };
      await migrationCycle(env, tables);
    } finally {
      dir.remove();
    }
  }, 400_000); // every step opens the PGlite folder anew (WebAssembly start-up: seconds each on a busy machine)
});
