import type { OutboxEvent } from '../domain/account-event.model.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import { dependencyUnavailable } from '../errors/domain.errors.js';

/**
 * A publisher that keeps what it was given, for tests and for the embedded mode without a broker.
 * `failNext` and `setFailing` simulate a broker outage: a failing call records nothing (all or nothing).
 */
export class RecordingEventPublisher implements EventPublisher {
  /** Every event acknowledged so far, in publish order. */
  readonly published: OutboxEvent[] = [];
  /** Number of publish calls, failed ones included. */
  calls = 0;
  #failNext = 0;
  #failing = false;

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    this.calls += 1;
    if (this.#failing || this.#failNext > 0) {
      if (this.#failNext > 0) this.#failNext -= 1;
      throw dependencyUnavailable('event broker');
    }
    this.published.push(...events.map((event) => structuredClone(event)));
  }

  /** The next `count` publish calls fail. */
  failNext(count = 1): void {
    this.#failNext = count;
  }

  /** Every publish call fails until set back to false. */
  setFailing(failing: boolean): void {
    this.#failing = failing;
  }

  clear(): void {
    this.published.length = 0;
  }
}
