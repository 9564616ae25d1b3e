import { describe } from 'vitest';
import {
  accountImportStoreContract, accountStoreContract, accountTokenStoreContract, aUserAccount, knownDeviceStoreContract, mailOutboxContract,
  outboxStoreContract, secondFactorStoreContract, securityEventStoreContract,
} from '@authsvc/core-testing';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import { lastErrorOf, storeFixture } from './support/store-fixture.support.js';

// The core contract suites on an in-memory PGlite: the same stores, migrations and SQL as on the server.
describe('PGlite', () => {
  accountStoreContract('pglite', storeFixture('pglite', (handle) => createPostgresStores(handle)));
  accountImportStoreContract('pglite', storeFixture('pglite', (handle) => createPostgresStores(handle)));
  accountTokenStoreContract('pglite', storeFixture('pglite', (handle) => createPostgresStores(handle)));
  mailOutboxContract('pglite', storeFixture('pglite', (handle) => createPostgresStores(handle)));
  knownDeviceStoreContract('pglite', storeFixture('pglite', (handle) => createPostgresStores(handle)));
  outboxStoreContract(
    'pglite',
    storeFixture('pglite', (handle) => ({ ...createPostgresStores(handle), lastErrorOf: (id: string) => lastErrorOf(handle, id) })),
  );
  secondFactorStoreContract(
    'pglite',
    storeFixture('pglite', (handle) => {
      const stores = createPostgresStores(handle);
      return {
        factors: stores.secondFactors,
        anAccount: async () => {
          const account = aUserAccount();
          await stores.unitOfWork.run((scope) => scope.accounts.insert(account));
          return account.id;
        },
      };
    }),
  );
  securityEventStoreContract('pglite', { ...storeFixture('pglite', (handle) => createPostgresStores(handle)), oneTransactionAtATime: true });
});
