// @authsvc/core/testing: contract suites every implementation of a port runs, and test helpers.
export type * from './contract-fixture.js';
export type * from './store-fixtures.js';
