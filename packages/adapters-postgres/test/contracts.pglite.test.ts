import { describe } from 'vitest';
import { accountStoreContract, outboxStoreContract, securityEventStoreContract } from '@authsvc/core-testing';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import { lastErrorOf, storeFixture } from './support/store-fixture.support.js';

// The core contract suites on an in-memory PGlite: the same stores, migrations and SQL as on the server.
describe('PGlite', () => {
  accountStoreContract('pglite', storeFixture('pglite', (handle) => createPostgresStores(handle)));
  outboxStoreContract(
    'pglite',
    storeFixture('pglite', (handle) => ({ ...createPostgresStores(handle), lastErrorOf: (id: string) => lastErrorOf(handle, id) })),
  );
  securityEventStoreContract('pglite', { ...storeFixture('pglite', (handle) => createPostgresStores(handle)), oneTransactionAtATime: true });
});
