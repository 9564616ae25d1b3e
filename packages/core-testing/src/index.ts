/**
 * @authsvc/core-testing: the contract suite of every core port, and test helpers. Imports vitest, so only
 * test code may import it, and every package lists it in devDependencies: it must never reach a production
 * install (scripts/ci/check-prod-deps.sh fails CI if it does). An implementation's test file is only wiring:
 *
 *   sessionStoreContract('RedisSessionStore', {
 *     create: () => new RedisSessionStore(redis, keyPrefix),   // before each test, after reset
 *     reset: () => deleteKeys(`${keyPrefix}*`),                  // optional: empty the store
 *     close: () => redis.quit(),                                 // optional: once, after the suite
 *   });                                                          // (and dispose(impl), after each test)
 *
 * Suites: accountStoreContract (AccountStore: reader + unit of work, optional relayStore), outboxStoreContract
 * (OutboxStore; its reset must empty the outbox), sessionStoreContract, rateLimiterContract (the limits are
 * arguments of each call), eventPublisherContract (a publisher plus an independent read-back), passwordHasherContract,
 * accessTokensContract (signer, verifier and public key set sharing one key set), accountTokenStoreContract and
 * mailOutboxContract and knownDeviceStoreContract (a TokenAndMailStore: unit of work + mail outbox store; reset must empty the tables). Set `oneTransactionAtATime` on
 * a fixture whose store cannot hold two transactions open at once (PGlite).
 */
export type * from './contract-fixture.types.js';
export type * from './store-fixtures.support.js';

export { accountStoreContract, caseVariant } from './account-store.contract.js';
export { outboxStoreContract } from './outbox-store.contract.js';
export { sessionStoreContract } from './session-store.contract.js';
export { rateLimiterContract } from './rate-limiter.contract.js';
export { eventPublisherContract } from './event-publisher.contract.js';
export { accountTokenStoreContract } from './account-token-store.contract.js';
export { mailOutboxContract } from './mail-outbox.contract.js';
export { knownDeviceStoreContract } from './known-device-store.contract.js';
export { securityEventStoreContract, type SecurityEventStoreUnderTest } from './security-event-store.contract.js';

// The framework-free helpers live in core (so core's own tests share them without a package cycle); they are
// re-exported here so an adapter's tests keep one import.
export {
  ManualClock,
  aUserAccount,
  anArtistAccount,
  anOutboxEvent,
  testUuidV7,
  testSessionId,
  uniqueSuffix,
  gate,
  eventually,
  rejectionOf,
  peekPending,
} from '@authsvc/core/fixtures';
export { useFixture } from './contract-hooks.support.js';
export { expectDomainError } from './contract-assertions.support.js';
export { passwordHasherContract } from './password-hasher.contract.js';
export { accessTokensContract, type AccessTokenKit } from './access-tokens.contract.js';
export { accountImportStoreContract, type AccountImportUnderTest } from './account-import-store.contract.js';
export { secondFactorStoreContract, type SecondFactorStoreUnderTest } from './second-factor-store.contract.js';
