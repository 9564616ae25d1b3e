import { expect } from 'vitest';
import type { ErrorCode } from '../../src/index.js';
import { rejectionOf } from '../../src/fixtures/index.js';

/**
 * Asserts that `promise` rejects with a domain error of `code`. The one helper of core's tests that calls vitest,
 * so it cannot live in src/fixtures (shipped code); @authsvc/core-testing has the same for adapters, but core
 * cannot depend on it (core-testing depends on core).
 */
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error, `expected a DomainError ${code}, got ${String(error)}`).toMatchObject({ name: 'DomainError', code });
}
