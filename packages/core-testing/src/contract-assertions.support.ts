import { expect } from 'vitest';
import type { ErrorCode } from '@authsvc/core';
import { rejectionOf } from '@authsvc/core/fixtures';

/**
 * Asserts that `promise` rejects with a domain error of `code`. Checks the `code` property rather than
 * `instanceof`, so an adapter built against another copy of core still passes.
 */
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error, `expected a DomainError ${code}, got ${String(error)}`).toMatchObject({ name: 'DomainError', code });
}
