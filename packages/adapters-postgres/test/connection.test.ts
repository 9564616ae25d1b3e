import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aUserAccount, rejectionOf } from '@authsvc/core-testing';
import { createPostgresDatabase } from '../src/connection/postgres-database.factory.js';
import { createPgliteDatabase } from '../src/connection/pglite-database.factory.js';
import { migrateToLatest } from '../src/migrations/migrator.util.js';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import { translatePostgresError } from '../src/errors/postgres.errors.js';

describe('connection failures', () => {
  it('reports an unreachable server as DEPENDENCY_UNAVAILABLE with a retry delay, from reads and from units of work', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const handle = createPostgresDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 2_000 });
    try {
      const stores = createPostgresStores(handle);
      expect(await rejectionOf(stores.accounts.findByLogin('someone'))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryAfterMs: 1_000 });
      expect(await rejectionOf(stores.unitOfWork.run(async (s) => s.accounts.insert(aUserAccount())))).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
      });
      expect(await rejectionOf(stores.relayStore.stats(new Date()))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await handle.close();
    }
  });

  it('maps admin shutdown, connection-class SQLSTATEs and statement timeouts to DEPENDENCY_UNAVAILABLE, and leaves bugs alone', () => {
    for (const code of ['57P01', '08006', '08001', '57014', 'ECONNRESET']) {
      expect(translatePostgresError(Object.assign(new Error('x'), { code }))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    }
    const syntax = Object.assign(new Error('syntax'), { code: '42601' });
    expect(translatePostgresError(syntax)).toBe(syntax);
    const otherUnique = Object.assign(new Error('dup'), { code: '23505', constraint: 'accounts_pkey' });
    expect(translatePostgresError(otherUnique)).toBe(otherUnique);
  });

  it('reads a failure by what it means: a session the server ended is an outage whatever its SQLSTATE, a failed statement is not', () => {
    const serverError = (code: string, severity: string) => Object.assign(new Error(code), { code, severity });
    // FATAL ends the session: "database is not accepting connections", "does not exist", "too many clients".
    for (const code of ['55000', '3D000', '53300', '57P03', 'XX000']) {
      expect(translatePostgresError(serverError(code, 'FATAL'))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    }
    // The same kind of state raised by a statement that ran (ERROR) is the statement's problem...
    for (const code of ['55000', '42P01', 'XX000']) {
      const error = serverError(code, 'ERROR');
      expect(translatePostgresError(error)).toBe(error);
    }
    // ...unless the server says it cannot serve now: a standby taking no writes, out of memory, disk I/O.
    for (const code of ['25006', '53200', '58030']) {
      expect(translatePostgresError(serverError(code, 'ERROR'))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    }
    // A connection that died under the statement: a socket error, or node-postgres's own report of it.
    const socket = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
    expect(translatePostgresError(socket)).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(translatePostgresError(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(translatePostgresError(new Error('Client has encountered a connection error and is not queryable'))).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    const bug = new TypeError('Do not know how to serialize a BigInt');
    expect(translatePostgresError(bug)).toBe(bug);
  });
});

describe('embedded mode', () => {
  it('keeps its data in dataDir across a restart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'authsvc-pglite-'));
    const dataDir = join(root, 'not', 'yet', 'there');
    try {
      const account = aUserAccount();
      const first = await createPgliteDatabase({ dataDir });
      await migrateToLatest(first.db);
      await createPostgresStores(first).unitOfWork.run((scope) => scope.accounts.insert(account));
      await first.close();
      const reopened = await createPgliteDatabase({ dataDir });
      try {
        expect(await migrateToLatest(reopened.db)).toEqual([]);
        expect(await createPostgresStores(reopened).accounts.findById(account.id)).toEqual(account);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 240_000);
});
