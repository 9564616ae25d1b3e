/**
 * How an implementation plugs into a contract suite. Every suite is a function
 * `xxxContract(name, fixture)` that declares a vitest `describe` block; an adapter's test file is only wiring.
 */
export interface ContractFixture<T> {
  /** A ready implementation with empty state; called before each test. */
  create(): Promise<T> | T;
  /** Clears state between tests, if `create` does not already start empty (e.g. truncate tables, delete key prefix). */
  reset?(): Promise<void>;
  /** Releases what `create` opened; called after each test. */
  dispose?(implementation: T): Promise<void>;
  /** Called once after the suite (drop the test database, close the connection). */
  close?(): Promise<void>;
  /**
   * True when the store runs one transaction at a time (e.g. PGlite on its single connection). The suites then
   * skip the cases that hold a transaction open while another operation must proceed: that interleaving cannot
   * happen on such a store, and waiting for it would deadlock. Races still run (they just serialize).
   */
  oneTransactionAtATime?: boolean;
}
