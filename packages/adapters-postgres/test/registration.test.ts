import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UnitOfWork, UserAccount } from '@authsvc/core';
import { aUserAccount, anOutboxEvent, caseVariant, peekPending, rejectionOf, uniqueSuffix } from '@authsvc/core-testing';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import type { PostgresStores } from '../src/database/postgres-database.types.js';
import { availableBackends, createMigratedBackend, truncateAll, type Backend } from './support/backends.support.js';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';

/** What the register use case does with the stores: the account and its `user.created` event in one unit of work. */
async function register(unitOfWork: UnitOfWork, account: UserAccount, failAfterInsert = false): Promise<void> {
  await unitOfWork.run(async (scope) => {
    await scope.accounts.insert(account);
    if (failAfterInsert) throw new Error('crashed after the insert');
    await scope.outbox.append([anOutboxEvent({ key: account.id, type: 'user.created' })]);
  });
}

describe.each(await availableBackends())('registration through the unit of work on %s', (backendName) => {
  let backend: Backend;
  let handle: DatabaseHandle;
  let stores: PostgresStores;
  beforeAll(async () => {
    ({ backend, handle } = await createMigratedBackend(backendName));
    stores = createPostgresStores(handle);
  });
  beforeEach(async () => truncateAll(handle));
  afterAll(async () => backend.close());

  it('20 concurrent registrations of one username in different case: 1 account, 19 USERNAME_TAKEN, 1 outbox event', async () => {
    const base = `Racer_${uniqueSuffix()}`;
    const contenders = Array.from({ length: 20 }, (_, i) => aUserAccount({ username: caseVariant(base, i) }));
    const results = await Promise.allSettled(contenders.map((account) => register(stores.unitOfWork, account)));
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const reason of rejected) expect(reason).toMatchObject({ name: 'DomainError', code: 'USERNAME_TAKEN' });
    const { count } = await handle.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
    const events = await peekPending(stores.relayStore, contenders.map((a) => a.id));
    expect(events).toHaveLength(1);
    const winner = await stores.accounts.findByLogin(base);
    expect(events[0]?.key).toBe(winner?.id);
  });

  it('a unit of work that fails after the account insert leaves neither the account nor its event', async () => {
    const account = aUserAccount();
    const error = await rejectionOf(register(stores.unitOfWork, account, true));
    expect(error).toMatchObject({ message: 'crashed after the insert' });
    expect(await stores.accounts.findById(account.id)).toBeNull();
    expect(await stores.relayStore.stats(new Date())).toMatchObject({ backlog: 0 });
    const rows = await handle.db.selectFrom('accounts').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('rejects a clash on email and on author with the matching code, by unique index', async () => {
    const first = aUserAccount();
    await register(stores.unitOfWork, first);
    const clash = aUserAccount({ email: ` ${first.email.toUpperCase()}` });
    expect(await rejectionOf(register(stores.unitOfWork, clash))).toMatchObject({ code: 'EMAIL_TAKEN' });
  });
});
