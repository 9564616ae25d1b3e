import { afterEach, describe, expect, it } from 'vitest';
import { anOutboxEvent, eventually, ManualClock } from '../../src/fixtures/index.js';
import { InMemoryAccountStore, RecordingEventPublisher } from '../../src/memory/index.js';
import { OutboxRelay, type OutboxRelayMetrics } from '../../src/outbox/index.js';
import { FAST, GatedPublisher, RelayHarness } from './relay-harness.support.js';

describe('OutboxRelay lifecycle', () => {
  let h: RelayHarness;
  afterEach(async () => {
    await h.stopAll();
  });

  it('stop lets the batch in flight finish and mark it, then resolves', async () => {
    h = new RelayHarness();
    const gated = new GatedPublisher(h.publisher);
    const relay = h.relay({ stopTimeoutMs: 5_000 }, { publisher: gated });
    await relay.start();
    await h.commit(anOutboxEvent());
    await gated.whenStarted();
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    gated.open();
    await stopping;
    expect(relay.running).toBe(false);
    expect(await relay.stats()).toMatchObject({ backlog: 0 });
    expect(gated.started).toHaveLength(1); // no new round after stop
  });

  it('stop abandons a publish the broker does not answer before the deadline, leaving the batch unmarked for the next relay', async () => {
    h = new RelayHarness();
    const gated = new GatedPublisher(h.publisher);
    const abandoned: number[] = [];
    const relay = h.relay({ stopTimeoutMs: 50 }, { publisher: gated, metrics: { onAbandoned: (count) => abandoned.push(count) } });
    await relay.start();
    const event = anOutboxEvent();
    await h.commit(event);
    await gated.whenStarted();
    const began = performance.now();
    await relay.stop();
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(abandoned).toEqual([1]);
    expect(await relay.stats()).toMatchObject({ backlog: 1, failing: 0 }); // not counted as a failure either
    await h.relay().start();
    expect(await eventually(() => h.publisher.published.length === 1, 3_000, 5)).toBe(true);
    expect(h.publisher.published[0]!.id).toBe(event.id);
  });

  it('stop resolves at once when idle, twice in a row, and the relay can start again', async () => {
    h = new RelayHarness();
    const relay = h.relay();
    await relay.start();
    const began = performance.now();
    await Promise.all([relay.stop(), relay.stop()]);
    expect(performance.now() - began).toBeLessThan(100);
    await h.commit(anOutboxEvent());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(h.publisher.published).toHaveLength(0); // a stopped relay no longer listens
    await relay.start();
    expect(await eventually(() => h.publisher.published.length === 1, 3_000, 5)).toBe(true);
  });

  it('reports publishes and failures to the metrics hooks, and survives a hook that throws', async () => {
    h = new RelayHarness();
    const seen: string[] = [];
    const metrics: OutboxRelayMetrics = {
      onPublished: (count, latencyMs, maxAgeMs) => {
        seen.push(`published ${count}`);
        expect(latencyMs).toBeGreaterThanOrEqual(0);
        expect(maxAgeMs).toBeGreaterThanOrEqual(0);
        throw new Error('a broken metrics registry');
      },
      onFailed: (count) => seen.push(`failed ${count}`),
    };
    h.publisher.failNext(1);
    await h.commit(anOutboxEvent(), anOutboxEvent());
    await h.relay({}, { metrics, random: () => 0.5 }).start(); // one retry time for both
    expect(await eventually(() => h.publisher.published.length === 2, 3_000, 5)).toBe(true);
    expect(seen).toEqual(['failed 2', 'published 2']);
  });

  it('keeps going when the store fails, and publishes once it is back', async () => {
    h = new RelayHarness();
    const store = h.store.relayStore;
    let storeDown = true;
    const errors: unknown[] = [];
    const flaky = {
      ...store,
      processBatch: (...args: Parameters<typeof store.processBatch>) =>
        storeDown ? Promise.reject(new Error('connection refused')) : store.processBatch(...args),
    };
    await h.relay({ pollIntervalMs: 10 }, { relayStore: flaky, metrics: { onStoreError: (error) => errors.push(error) } }).start();
    await h.commit(anOutboxEvent());
    expect(await eventually(() => errors.length >= 2, 3_000, 5)).toBe(true);
    storeDown = false;
    expect(await eventually(() => h.publisher.published.length === 1, 3_000, 5)).toBe(true);
  });

  it('prunes published events older than the retention, in batches, and keeps pending ones', async () => {
    const clock = new ManualClock(new Date());
    const store = new InMemoryAccountStore({ clock });
    const publisher = new RecordingEventPublisher();
    h = new RelayHarness();
    const pruned: number[] = [];
    const relay = new OutboxRelay(
      { relayStore: store.relayStore, publisher, clock, metrics: { onPruned: (count) => pruned.push(count) } },
      { ...FAST, pollIntervalMs: 10, retentionMs: 60_000, pruneIntervalMs: 1_000, pruneBatchSize: 2 },
    );
    const commit = (n: number) =>
      store.unitOfWork.run(async ({ outbox }) => outbox.append(Array.from({ length: n }, () => anOutboxEvent())));
    try {
      await commit(5);
      await relay.start();
      expect(await eventually(() => publisher.published.length === 5, 3_000, 5)).toBe(true);
      publisher.setFailing(true);
      await commit(1);
      clock.advance(61_000);
      expect(await eventually(() => pruned.reduce((a, b) => a + b, 0) === 5, 3_000, 5)).toBe(true);
      expect(pruned).toEqual([2, 2, 1]);
      expect(await store.relayStore.stats(clock.now())).toMatchObject({ backlog: 1 });
    } finally {
      await relay.stop();
    }
  });
});
