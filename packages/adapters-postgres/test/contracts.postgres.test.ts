import { describe } from 'vitest';
import {
  accountImportStoreContract, accountStoreContract, accountTokenStoreContract, aUserAccount, knownDeviceStoreContract, mailOutboxContract,
  outboxStoreContract, secondFactorStoreContract, securityEventStoreContract,
} from '@authsvc/core-testing';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import { availableBackends } from './support/backends.support.js';
import { lastErrorOf, storeFixture } from './support/store-fixture.support.js';

// The core contract suites on a fresh database of the real PostgreSQL server (DATABASE_URL).
describe.skipIf(!(await availableBackends()).includes('postgres'))('PostgreSQL server', () => {
  accountStoreContract('postgres', storeFixture('postgres', (handle) => createPostgresStores(handle)));
  accountImportStoreContract('postgres', storeFixture('postgres', (handle) => createPostgresStores(handle)));
  accountTokenStoreContract('postgres', storeFixture('postgres', (handle) => createPostgresStores(handle)));
  mailOutboxContract('postgres', storeFixture('postgres', (handle) => createPostgresStores(handle)));
  knownDeviceStoreContract('postgres', storeFixture('postgres', (handle) => createPostgresStores(handle)));
  outboxStoreContract(
    'postgres',
    storeFixture('postgres', (handle) => ({ ...createPostgresStores(handle), lastErrorOf: (id: string) => lastErrorOf(handle, id) })),
  );
  secondFactorStoreContract(
    'postgres',
    storeFixture('postgres', (handle) => {
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
  securityEventStoreContract('postgres', storeFixture('postgres', (handle) => createPostgresStores(handle)));
});
