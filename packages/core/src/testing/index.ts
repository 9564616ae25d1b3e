/**
 * @authsvc/core/testing: the contract suite of every storage port, and test helpers. Imports vitest, so only
 * test code may import this entry point. An implementation's test file is only wiring:
 *
 *   sessionStoreContract('RedisSessionStore', {
 *     create: () => new RedisSessionStore(redis, { keyPrefix }),   // before each test, after reset
 *     reset: () => deleteKeys(`${keyPrefix}*`),                      // optional: empty the store
 *     dispose: (store) => store.close(),                             // optional: after each test
 *     close: () => redis.quit(),                                     // optional: once, after the suite
 *   });
 *
 * Suites: accountStoreContract (AccountStore: reader + unit of work, optional relayStore), outboxStoreContract
 * (OutboxStore; its reset must empty the outbox), sessionStoreContract, loginThrottleContract (a factory taking
 * limits), eventPublisherContract (a publisher plus an independent read-back). Set `oneTransactionAtATime` on a
 * fixture whose store cannot hold two transactions open at once (PGlite).
 */
export type * from './contract-fixture.js';
export type * from './store-fixtures.js';

export { accountStoreContract, caseVariant } from './account-store.contract.js';
export { outboxStoreContract } from './outbox-store.contract.js';
export { sessionStoreContract } from './session-store.contract.js';
export { loginThrottleContract } from './login-throttle.contract.js';
export { eventPublisherContract } from './event-publisher.contract.js';

export { ManualClock } from './manual-clock.js';
export { aUserAccount, anArtistAccount, anOutboxEvent } from './sample-accounts.js';
export { testUuidV7, testSessionId, uniqueSuffix } from './test-ids.js';
export { useFixture, gate, eventually } from './contract-hooks.js';
export { expectDomainError, rejectionOf, peekPending } from './contract-assertions.js';
export { passwordHasherContract } from './password-hasher.contract.js';
export { accessTokensContract, type AccessTokenKit } from './access-tokens.contract.js';
