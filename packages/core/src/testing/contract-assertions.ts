import { expect } from 'vitest';
import type { ErrorCode } from '../errors/error-codes.js';
import type { OutboxRelayStore, PendingEvent } from '../ports/outbox-relay-store.port.js';

/** Awaits a promise that must reject and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * Asserts that `promise` rejects with a domain error of `code`. Checks the `code` property rather than
 * `instanceof`, so an adapter built against another copy of core still passes.
 */
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error, `expected a DomainError ${code}, got ${String(error)}`).toMatchObject({ name: 'DomainError', code });
}

/**
 * The pending events of the given keys, read by claiming a batch and handing everything back
 * unmarked (an outcome with empty lists leaves every event pending and unchanged).
 */
export async function peekPending(relayStore: OutboxRelayStore, keys: readonly string[]): Promise<PendingEvent[]> {
  const wanted = new Set(keys);
  const seen: PendingEvent[] = [];
  await relayStore.processBatch(10_000, async (events) => {
    seen.push(...events.filter((event) => wanted.has(event.key)));
    return { published: [], failed: [] };
  });
  return seen;
}
