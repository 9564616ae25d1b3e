import { sql, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUserAccount } from '@authsvc/core-testing';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';
import { createPostgresDatabase } from '../src/connection/postgres-database.factory.js';
import { keepPrepared } from '../src/connection/prepared-statements.util.js';
import { migrateToLatest } from '../src/migrations/migrator.util.js';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import { availableBackends } from './support/backends.support.js';
import { createTestDatabase, locatePostgres, type TestDatabase } from './support/test-database.support.js';

/** The named statements of the one connection of a pool of one. */
async function preparedOnTheConnection(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(handle.db);
  return rows.map((r) => r.name);
}

describe.skipIf(!(await availableBackends()).includes('postgres'))('prepared statements on the PostgreSQL server', () => {
  let database: TestDatabase;
  const handles: DatabaseHandle[] = [];
  /** A pool of ONE connection, so every query of a test runs on the same server session. */
  const openSingleConnection = async (preparedStatements?: boolean): Promise<DatabaseHandle> => {
    const handle = createPostgresDatabase({ url: database.url, poolSize: 1, ...(preparedStatements === undefined ? {} : { preparedStatements }) });
    handles.push(handle);
    return handle;
  };

  beforeAll(async () => {
    database = await createTestDatabase((await locatePostgres())!.url);
    const migrating = await openSingleConnection();
    await migrateToLatest(migrating.db);
  });
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await database.drop();
  });

  it('findById runs as a named statement that stays prepared on its connection, outside and inside a transaction', async () => {
    const handle = await openSingleConnection();
    const stores = createPostgresStores(handle);
    const account = aUserAccount();
    await stores.unitOfWork.run((scope) => scope.accounts.insert(account));
    expect(await preparedOnTheConnection(handle)).toEqual([]);

    expect(await stores.accounts.findById(account.id)).toEqual(account);
    expect(await preparedOnTheConnection(handle)).toEqual(['authsvc_account_by_id']);
    // Later runs bind the statement already there (node-postgres sends no second Parse), with other parameters too.
    expect(await stores.accounts.findById(account.id)).toEqual(account);
    expect(await stores.accounts.findById(aUserAccount().id)).toBeNull();
    expect(await stores.unitOfWork.run((scope) => scope.accounts.findById(account.id))).toEqual(account);
    expect(await preparedOnTheConnection(handle)).toEqual(['authsvc_account_by_id']);
  });

  it('sessionAssurance (read on every RefreshToken) runs as a named statement too, with its answers unchanged', async () => {
    const handle = await openSingleConnection();
    const stores = createPostgresStores(handle);
    const now = new Date('2026-12-06T12:00:00.000Z');
    const expiresAt = new Date(now.getTime() + 3_600_000);
    await stores.secondFactors.putSessionAssurance('session-with-totp', { amr: ['pwd', 'otp', 'mfa'], authTime: now }, expiresAt);
    expect(await stores.secondFactors.sessionAssurance('session-with-totp', now)).toEqual({ amr: ['pwd', 'otp', 'mfa'], authTime: now });
    expect(await preparedOnTheConnection(handle)).toEqual(['authsvc_session_assurance']);
    expect(await stores.secondFactors.sessionAssurance('session-with-totp', expiresAt)).toBeNull();
    expect(await stores.secondFactors.sessionAssurance('another-session', now)).toBeNull();
    expect(await preparedOnTheConnection(handle)).toEqual(['authsvc_session_assurance']);
  });

  it('keeps answering after a migration adds a column to a table the statement reads', async () => {
    const handle = await openSingleConnection();
    const stores = createPostgresStores(handle);
    const account = aUserAccount();
    await stores.unitOfWork.run((scope) => scope.accounts.insert(account));
    expect(await stores.accounts.findById(account.id)).toEqual(account);
    await sql`alter table accounts add column nickname text`.execute(handle.db);
    try {
      expect(await stores.accounts.findById(account.id)).toEqual(account);
    } finally {
      await sql`alter table accounts drop column nickname`.execute(handle.db);
    }
  });

  it('preparedStatements: false runs every query unnamed (for poolers that cannot follow named statements)', async () => {
    const handle = await openSingleConnection(false);
    const stores = createPostgresStores(handle);
    const account = aUserAccount();
    await stores.unitOfWork.run((scope) => scope.accounts.insert(account));
    expect(await stores.accounts.findById(account.id)).toEqual(account);
    expect(await preparedOnTheConnection(handle)).toEqual([]);
  });
});

describe('keepPrepared', () => {
  const compiled = (text: string): CompiledQuery => ({ sql: text, parameters: [], query: { kind: 'RawNode' } as never, queryId: { queryId: text } });

  it('refuses a second query under a name already taken, and accepts the same query again', () => {
    keepPrepared(compiled('select 1 as one'), 'authsvc_test_one');
    expect(() => keepPrepared(compiled('select 1 as one'), 'authsvc_test_one')).not.toThrow();
    expect(() => keepPrepared(compiled('select 2 as two'), 'authsvc_test_one')).toThrow(/authsvc_test_one is already another query/);
  });
});
