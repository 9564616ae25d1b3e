import { InMemoryAccountStore, RecordingEventPublisher } from '../../src/memory/index.js';
import { OutboxRelay, type OutboxRelayDependencies } from '../../src/outbox/index.js';
import type { OutboxRelayOptions } from '../../src/outbox/index.js';
import type { OutboxEvent } from '../../src/domain/account-event.model.js';
import type { EventPublisher } from '../../src/ports/event-publisher.port.js';
import { anOutboxEvent } from '../../src/fixtures/index.js';

/** Fast settings for tests: tiny backoff, and a poll so slow that only a notification or a backlog can explain speed. */
export const FAST: Partial<OutboxRelayOptions> = {
  pollIntervalMs: 60_000,
  backoff: { baseMs: 5, capMs: 20 },
  stopTimeoutMs: 2_000,
};

/** An in-memory outbox with relays that are stopped after each test. */
export class RelayHarness {
  readonly store = new InMemoryAccountStore();
  readonly publisher = new RecordingEventPublisher();
  readonly #relays: OutboxRelay[] = [];

  relay(options: Partial<OutboxRelayOptions> = {}, deps: Partial<OutboxRelayDependencies> = {}): OutboxRelay {
    const relay = new OutboxRelay({ relayStore: this.store.relayStore, publisher: this.publisher, ...deps }, { ...FAST, ...options });
    this.#relays.push(relay);
    return relay;
  }

  /** Commits `events` in one unit of work, as a use case does. */
  async commit(...events: OutboxEvent[]): Promise<void> {
    await this.store.unitOfWork.run(async ({ outbox }) => outbox.append(events));
  }

  /** Commits `count` events, one unit of work each, on the given keys round robin; returns them in commit order. */
  async commitMany(count: number, keys: readonly string[]): Promise<OutboxEvent[]> {
    const events: OutboxEvent[] = [];
    for (let i = 0; i < count; i += 1) {
      const event = anOutboxEvent({ key: keys[i % keys.length]! });
      await this.commit(event);
      events.push(event);
    }
    return events;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#relays.map((relay) => relay.stop()));
  }
}

/** A publisher that holds each publish until the test opens it. */
export class GatedPublisher implements EventPublisher {
  readonly started: (readonly OutboxEvent[])[] = [];
  #release: (() => void)[] = [];
  #startedWaiters: (() => void)[] = [];

  constructor(private readonly inner: EventPublisher) {}

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    this.started.push(events);
    for (const waiter of this.#startedWaiters.splice(0)) waiter();
    await new Promise<void>((resolve) => this.#release.push(resolve));
    await this.inner.publish(events);
  }

  /** Resolves once a publish call is waiting. */
  whenStarted(): Promise<void> {
    if (this.#release.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#startedWaiters.push(resolve));
  }

  open(): void {
    for (const release of this.#release.splice(0)) release();
  }
}
