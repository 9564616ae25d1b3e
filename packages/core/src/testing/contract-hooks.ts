import { afterAll, afterEach, beforeEach } from 'vitest';
import type { ContractFixture } from './contract-fixture.js';

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

/** A promise the test resolves by hand, to hold a unit of work or a publish callback open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Polls `probe` until it returns true or `timeoutMs` passes; for effects a backend delivers asynchronously. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 5_000, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
