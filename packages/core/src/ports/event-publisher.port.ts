import type { OutboxEvent } from '../domain/account-event.model.js';

/** Sends outbox events to the message broker. */
export interface EventPublisher {
  /** Resolves only once the broker acknowledged every event, in array order per key; rejects if any was not acknowledged. */
  publish(events: readonly OutboxEvent[]): Promise<void>;
}
