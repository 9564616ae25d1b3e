import { afterAll, afterEach, beforeEach } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';

/**
 * Registers the fixture's lifecycle in the enclosing `describe` and returns a getter for the
 * implementation of the running test: reset, then create, before each test; dispose after; close once.
 */
export function useFixture<T>(fixture: ContractFixture<T>): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    await fixture.reset?.();
    current = await fixture.create();
  });
  afterEach(async () => {
    if (current !== undefined && fixture.dispose) await fixture.dispose(current);
    current = undefined;
  });
  afterAll(async () => {
    await fixture.close?.();
  });
  return () => {
    if (current === undefined) throw new Error('contract fixture used outside a test');
    return current;
  };
}
