import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '@authsvc/core';
import { aUserAccount, rejectionOf } from '@authsvc/core-testing';
import { createPostgresDatabase } from '../src/connection/postgres-database.factory.js';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';
import { migrateToLatest } from '../src/migrations/migrator.util.js';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import { createTestDatabase, locatePostgres, type TestDatabase } from './support/test-database.support.js';

const server = await locatePostgres();

/** Runs statements as the server's superuser, on its maintenance database. */
async function asAdmin(serverUrl: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const nameOf = (url: string): string => new URL(url).pathname.slice(1);

// What a failover, a maintenance window or a restore looks like to a client, produced for real on a database of the
// test's own: every failure to get or keep a connection is DEPENDENCY_UNAVAILABLE, reported as it happens.
describe.skipIf(!server)('a database that stops serving (own database on the PostgreSQL server)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const outages: DomainError[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(server!.url);
    handle = createPostgresDatabase({ url: database.url, connectionTimeoutMs: 2_000, onOutage: (outage) => outages.push(outage) });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('a failing statement stays itself and is not an outage; a unique violation is a taken value', async () => {
    const stores = createPostgresStores(handle);
    const account = aUserAccount();
    await stores.unitOfWork.run((scope) => scope.accounts.insert(account));
    expect(await rejectionOf(stores.unitOfWork.run((scope) => scope.accounts.insert({ ...account, id: aUserAccount().id })))).toMatchObject({
      code: 'USERNAME_TAKEN',
    });
    const syntax = await rejectionOf(sql`selec 1`.execute(handle.db));
    expect(syntax).toMatchObject({ code: '42601' });
    expect(outages).toEqual([]);
  });

  it('refusing connections (ALLOW_CONNECTIONS false, sessions terminated): DEPENDENCY_UNAVAILABLE from reads, units of work and the outbox, each reported', async () => {
    const stores = createPostgresStores(handle);
    const name = nameOf(database.url);
    await asAdmin(
      server!.url,
      `alter database "${name}" with allow_connections false`,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
    );
    try {
      for (const attempt of [
        () => stores.accounts.findByLogin('someone'),
        () => stores.unitOfWork.run((scope) => scope.accounts.insert(aUserAccount())),
        () => stores.relayStore.stats(new Date()),
      ]) {
        const before = outages.length;
        expect(await rejectionOf(attempt())).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: 'postgres is unavailable', retryAfterMs: 1_000 });
        expect(outages.length).toBeGreaterThan(before);
      }
      // 55000 "not currently accepting connections", or 57P01 for a pooled session killed under it.
      const causes = outages.map((outage) => (outage.cause as { code?: string }).code);
      expect(causes).toContain('55000');
    } finally {
      await asAdmin(server!.url, `alter database "${name}" with allow_connections true`);
    }
    expect(await createPostgresStores(handle).accounts.findByLogin('someone')).toBeNull();
  });

  it('a database dropped under the pool: DEPENDENCY_UNAVAILABLE (3D000 or a FATAL session end), never the raw error', async () => {
    const other = await createTestDatabase(server!.url);
    const seen: DomainError[] = [];
    const doomed = createPostgresDatabase({ url: other.url, connectionTimeoutMs: 2_000, onOutage: (outage) => seen.push(outage) });
    try {
      await migrateToLatest(doomed.db);
      await other.drop();
      expect(await rejectionOf(createPostgresStores(doomed).accounts.findByLogin('someone'))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      expect(await rejectionOf(createPostgresStores(doomed).accounts.findByLogin('someone'))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      expect(seen.map((outage) => (outage.cause as { code?: string }).code)).toContain('3D000');
    } finally {
      await doomed.close();
    }
  });
});
