import { computeRetryAt } from './retry-backoff.util.js';

/**
 * How long the relay waits before its next round while its store has failed `failures` times in a row: never less
 * than the poll interval (a failing store is not polled harder than a working one), plus the publish retries' full-
 * jitter exponential backoff based on the poll interval (jitter, so that many relays do not reconnect in step), and
 * never more than `capMs`, so that a store that is back is noticed within `capMs`. A cap at or below the poll
 * interval leaves the poll interval as it is.
 */
export function storeRetryDelayMs(failures: number, pollIntervalMs: number, capMs: number, random: () => number, now: Date): number {
  const room = capMs - pollIntervalMs;
  if (room <= 0 || failures <= 0) return pollIntervalMs;
  const extraMs = computeRetryAt(failures - 1, now, { baseMs: pollIntervalMs, capMs: room }, random).getTime() - now.getTime();
  return pollIntervalMs + extraMs;
}
