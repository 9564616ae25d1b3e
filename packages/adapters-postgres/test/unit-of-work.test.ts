import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUserAccount, rejectionOf } from '@authsvc/core-testing';
import { PostgresUnitOfWork } from '../src/unit-of-work/postgres-unit-of-work.adapter.js';
import { PostgresAccountReader } from '../src/accounts/postgres-account-reader.adapter.js';
import { availableBackends, createMigratedBackend, type Backend } from './support/backends.support.js';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';

/** An error as the driver reports a deadlock or a serialization failure. */
const conflict = (code: '40P01' | '40001') => Object.assign(new Error(`conflict ${code}`), { code });

describe.each(await availableBackends())('unit of work retries on %s', (backendName) => {
  let backend: Backend;
  let handle: DatabaseHandle;
  beforeAll(async () => ({ backend, handle } = await createMigratedBackend(backendName)));
  afterAll(async () => backend.close());

  it('re-runs work that hit a deadlock or serialization failure, and commits only the successful run', async () => {
    const uow = new PostgresUnitOfWork(handle.db, { retryBaseMs: 1 });
    const account = aUserAccount();
    let runs = 0;
    await uow.run(async (scope) => {
      runs += 1;
      await scope.accounts.insert(account);
      if (runs === 1) throw conflict('40P01');
      if (runs === 2) throw conflict('40001');
    });
    expect(runs).toBe(3);
    expect(await new PostgresAccountReader(handle.db).findById(account.id)).toEqual(account);
  });

  it('gives up after maxAttempts and rethrows the conflict', async () => {
    const uow = new PostgresUnitOfWork(handle.db, { maxAttempts: 3, retryBaseMs: 1 });
    let runs = 0;
    const error = await rejectionOf(
      uow.run(async () => {
        runs += 1;
        throw conflict('40P01');
      }),
    );
    expect(runs).toBe(3);
    expect(error).toMatchObject({ code: '40P01' });
  });

  it('does not retry other failures', async () => {
    const uow = new PostgresUnitOfWork(handle.db, { retryBaseMs: 1 });
    let runs = 0;
    await rejectionOf(
      uow.run(async () => {
        runs += 1;
        throw new Error('bug');
      }),
    );
    expect(runs).toBe(1);
  });
});
