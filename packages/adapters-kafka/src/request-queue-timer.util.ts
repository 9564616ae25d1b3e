import { createRequire } from 'node:module';

/** The part of kafkajs's per-connection request queue this fix touches. */
interface RequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

let patched = false;

/**
 * Stops a busy timer of kafkajs 2.2.4 at its source (tulios/kafkajs#1704, #1751: unfixed upstream). After every
 * response, a connection's request queue schedules a check of its pending requests even when none is pending, with
 * the delay `throttledUntil - Date.now()`, which is -1 - now when no broker throttles: a negative delay, which Node
 * runs after 1 ms, whose check schedules the next one. Each connection so spun a timer every millisecond (measured:
 * 2 334 timers and 136 ms of CPU in 3 s for one idle admin connection), and Node 24 prints a TimeoutNegativeWarning
 * to stderr at the first. With nothing pending there is nothing to check (a request that must wait is queued with
 * its own check), so the check is scheduled only when something is pending, as kafkajs then does already.
 * Idempotent; a kafkajs whose queue is laid out otherwise is left alone.
 */
export function stopIdleRequestQueueChecks(): void {
  if (patched) return;
  patched = true;
  let queue: { prototype: RequestQueue } | undefined;
  try {
    queue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  } catch {
    return;
  }
  const schedule = queue.prototype.scheduleCheckPendingRequests;
  if (typeof schedule !== 'function') return;
  queue.prototype.scheduleCheckPendingRequests = function scheduleWhenPending(this: RequestQueue): void {
    if (this.pending.length === 0) return;
    schedule.call(this);
  };
}
