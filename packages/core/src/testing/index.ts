// @authsvc/core/testing: contract suites every implementation of a port runs, and test helpers.
// Imports vitest: only test code may import this entry point.
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
