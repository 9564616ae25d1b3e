import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboxRelay, type OutboxRelayOptions, type StoreOutageEvent } from '../../src/outbox/index.js';
import { SwitchableRelayStore } from '../../src/fixtures/index.js';
import type { OutboxRelayStore } from '../../src/ports/outbox-relay-store.port.js';
import { storeRetryDelayMs } from '../../src/outbox/store-retry-delay.util.js';

/** What a log would show: every hook call of the relay, in order. */
function recordingHooks() {
  const outage: StoreOutageEvent[] = [];
  const storeErrors: unknown[] = [];
  return { outage, storeErrors, metrics: { onStoreOutage: (event: StoreOutageEvent) => outage.push(event), onStoreError: (error: unknown) => storeErrors.push(error) } };
}

const intervals = (times: readonly number[]) => times.slice(1).map((time, i) => time - times[i]!);

describe('OutboxRelay while its store (the database) is down', () => {
  const relays: OutboxRelay[] = [];
  const options: Partial<OutboxRelayOptions> = { pollIntervalMs: 1_000, storeRetryCapMs: 5_000, storeOutageReminderMs: 60_000 };
  function startRelay(store: OutboxRelayStore, metrics: ReturnType<typeof recordingHooks>['metrics'], random: () => number): Promise<void> {
    // No clock dependency: the relay's system clock reads the faked Date, the same time its sleeps run on.
    const relay = new OutboxRelay({ relayStore: store, publisher: { publish: async () => {} }, metrics, random }, options);
    relays.push(relay);
    return relay.start();
  }

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    vi.useRealTimers();
  });

  it('reports the outage once with its error, then a reminder with the count at most once a minute, and the recovery in one event', async () => {
    const store = new SwitchableRelayStore();
    store.down = true;
    const hooks = recordingHooks();
    await startRelay(store, hooks.metrics, () => 0.5);

    await vi.advanceTimersByTimeAsync(150_000); // two and a half minutes down
    const failures = store.roundTimesMs.length;
    expect(failures).toBeGreaterThan(40); // it kept trying, every 1 to 5 s
    expect(hooks.storeErrors).toHaveLength(failures); // every failure still reaches onStoreError (for metrics)
    expect(hooks.outage.map((event) => event.state)).toEqual(['down', 'still-down', 'still-down']);
    expect(hooks.outage[0]).toEqual({ state: 'down', error: expect.objectContaining({ message: 'connect ECONNREFUSED 127.0.0.1:5432' }) });
    const [, first, second] = hooks.outage as [StoreOutageEvent, Extract<StoreOutageEvent, { state: 'still-down' }>, Extract<StoreOutageEvent, { state: 'still-down' }>];
    expect(first.downMs).toBeGreaterThanOrEqual(60_000);
    expect(first.downMs).toBeLessThan(65_000);
    expect(second.downMs - first.downMs).toBeGreaterThanOrEqual(60_000);
    expect(second.failures).toBe(store.roundTimesMs.filter((time) => time - store.roundTimesMs[0]! <= second.downMs).length);

    store.down = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(hooks.outage).toHaveLength(4);
    expect(hooks.outage[3]).toEqual({ state: 'recovered', failures, downMs: expect.any(Number) });
    const recovered = hooks.outage[3] as Extract<StoreOutageEvent, { state: 'recovered' }>;
    expect(recovered.downMs).toBeGreaterThanOrEqual(150_000 - 5_000);

    await vi.advanceTimersByTimeAsync(120_000); // working again: nothing more to report
    expect(hooks.outage).toHaveLength(4);
    expect(hooks.storeErrors).toHaveLength(failures);
  });

  it('a second outage is reported afresh, with its own count', async () => {
    const store = new SwitchableRelayStore();
    const hooks = recordingHooks();
    await startRelay(store, hooks.metrics, () => 0.5);
    for (const downFor of [10_000, 3_000]) {
      store.down = true;
      await vi.advanceTimersByTimeAsync(downFor);
      store.down = false;
      await vi.advanceTimersByTimeAsync(5_000);
    }
    expect(hooks.outage.map((event) => event.state)).toEqual(['down', 'recovered', 'down', 'recovered']);
    const [, firstRecovery, , secondRecovery] = hooks.outage as Extract<StoreOutageEvent, { failures: number }>[];
    expect(firstRecovery!.failures).toBeGreaterThan(secondRecovery!.failures);
    expect(secondRecovery!.failures).toBeGreaterThanOrEqual(1);
  });

  it('polls less often while failing, the wait growing to the cap and never past it, and at the poll interval again once back', async () => {
    const store = new SwitchableRelayStore();
    store.down = true;
    // The top of the jitter range: the longest wait the backoff allows at each step.
    await startRelay(store, recordingHooks().metrics, () => 0.999_999);
    await vi.advanceTimersByTimeAsync(60_000);
    const failing = intervals(store.roundTimesMs);
    expect(failing.slice(0, 4)).toEqual([1_999, 2_999, 4_999, 4_999]);
    expect(Math.max(...failing)).toBeLessThanOrEqual(5_000);

    const backAtMs = Date.now();
    store.down = false;
    const roundsBefore = store.roundTimesMs.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.roundTimesMs[roundsBefore]! - backAtMs).toBeLessThanOrEqual(5_000); // recovery noticed within the cap
    expect(intervals(store.roundTimesMs.slice(roundsBefore))).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  it('never polls a failing store more often than the poll interval, whatever the jitter', async () => {
    const store = new SwitchableRelayStore();
    store.down = true;
    await startRelay(store, recordingHooks().metrics, () => 0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(new Set(intervals(store.roundTimesMs))).toEqual(new Set([1_000]));
  });
});

describe('storeRetryDelayMs', () => {
  const now = new Date(0);
  it('grows from the poll interval towards the cap, exponentially in its upper bound', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 10, 1_000].map((failures) => storeRetryDelayMs(failures, 10, 5_000, top, now))).toEqual([19, 29, 49, 89, 4_999, 4_999]);
  });

  it('leaves a poll interval at or above the cap as it is (a failing store is never polled faster than a working one)', () => {
    expect(storeRetryDelayMs(5, 30_000, 5_000, () => 0.5, now)).toBe(30_000);
    expect(storeRetryDelayMs(5, 5_000, 5_000, () => 0.5, now)).toBe(5_000);
  });
});
