import { afterEach, describe, expect, it } from 'vitest';
import { anOutboxEvent, eventually, testUuidV7 } from '../../src/fixtures/index.js';
import type { OutboxEvent } from '../../src/domain/account-event.model.js';
import { RelayHarness } from './relay-harness.support.js';

const ids = (events: readonly OutboxEvent[]) => events.map((event) => event.id);

describe('OutboxRelay delivery', () => {
  let h: RelayHarness;
  afterEach(async () => {
    await h.stopAll();
  });

  it('publishes a single new event within milliseconds of its commit when idle (woken by the notification)', async () => {
    h = new RelayHarness();
    await h.relay().start();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first round has found nothing; the relay sleeps
    const event = anOutboxEvent();
    const committedAt = performance.now();
    await h.commit(event);
    expect(await eventually(() => h.publisher.published.length === 1, 1_000, 1)).toBe(true);
    expect(performance.now() - committedAt).toBeLessThan(200); // the poll interval is a minute
    expect(h.publisher.published[0]).toEqual(event);
    expect(await eventually(async () => (await h.store.relayStore.stats(new Date())).backlog === 0)).toBe(true);
  });

  it('drains a backlog of 250 events batch after batch without waiting for the poll', async () => {
    h = new RelayHarness();
    const events = await h.commitMany(250, [testUuidV7(), testUuidV7(), testUuidV7(), testUuidV7(), testUuidV7()]);
    await h.relay({ batchSize: 100 }).start();
    expect(await eventually(() => h.publisher.published.length === 250, 3_000, 5)).toBe(true);
    expect(h.publisher.calls).toBe(3);
    expect(ids(h.publisher.published).sort()).toEqual(ids(events).sort());
  });

  it('backs off after failures and retries until the broker takes the event, publishing it once', async () => {
    h = new RelayHarness();
    h.publisher.failNext(4);
    const event = anOutboxEvent();
    await h.commit(event);
    await h.relay().start();
    expect(await eventually(() => h.publisher.published.length === 1, 3_000, 5)).toBe(true);
    expect(h.publisher.calls).toBe(5);
    expect(ids(h.publisher.published)).toEqual([event.id]);
    expect(await eventually(async () => (await h.store.relayStore.stats(new Date())).backlog === 0)).toBe(true);
  });

  it('never marks an event the broker did not acknowledge: it stays pending, failing, until the broker is back', async () => {
    h = new RelayHarness();
    h.publisher.setFailing(true);
    const relay = h.relay({ backoff: { baseMs: 5, capMs: 10 } });
    await relay.start();
    const events = [anOutboxEvent(), anOutboxEvent()];
    await h.commit(...events);
    expect(await eventually(() => h.publisher.calls >= 5, 3_000, 5)).toBe(true);
    expect(h.publisher.published).toEqual([]);
    expect(await relay.stats()).toMatchObject({ backlog: 2, failing: 2 });
    expect(h.store.lastOutboxError(events[0]!.id)).toBe('DomainError: event broker is unavailable');
    h.publisher.setFailing(false);
    expect(await eventually(() => h.publisher.published.length === 2, 3_000, 5)).toBe(true);
    expect(await eventually(async () => (await relay.stats()).backlog === 0)).toBe(true);
    expect(await relay.stats()).toMatchObject({ backlog: 0, failing: 0 });
  });

  it('keeps commit order per key across batches and failures', async () => {
    h = new RelayHarness();
    const keys = [testUuidV7(), testUuidV7(), testUuidV7()];
    await h.relay({ batchSize: 4 }).start();
    h.publisher.failNext(3);
    const events = await h.commitMany(30, keys);
    expect(await eventually(() => h.publisher.published.length === 30, 5_000, 5)).toBe(true);
    for (const key of keys) {
      const committed = ids(events.filter((event) => event.key === key));
      const published = ids(h.publisher.published.filter((event) => event.key === key));
      expect(published).toEqual(committed);
    }
  });

  it('publishes each event once when two relays share one outbox', async () => {
    h = new RelayHarness();
    await h.relay({ batchSize: 7, pollIntervalMs: 5 }).start();
    await h.relay({ batchSize: 7, pollIntervalMs: 5 }).start();
    const events = await h.commitMany(200, Array.from({ length: 10 }, () => testUuidV7()));
    expect(await eventually(() => h.publisher.published.length >= 200, 5_000, 5)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50)); // room for a duplicate to show up
    expect(ids(h.publisher.published).sort()).toEqual(ids(events).sort());
  });

  it('still publishes by polling when notifications are lost', async () => {
    h = new RelayHarness();
    const store = h.store.relayStore;
    const deaf = { ...store, onAppended: async () => async () => {} };
    await h.relay({ pollIntervalMs: 30 }, { relayStore: deaf }).start();
    await h.commit(anOutboxEvent());
    expect(await eventually(() => h.publisher.published.length === 1, 3_000, 5)).toBe(true);
  });
});
