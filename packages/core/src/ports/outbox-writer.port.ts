import type { OutboxEvent } from '../domain/account-event.model.js';

/** Write side of the transactional outbox, used by use cases inside a unit of work. */
export interface OutboxWriter {
  /** Adds events that become visible to the relay only when the unit of work commits, in the given order. */
  append(events: readonly OutboxEvent[]): Promise<void>;
  /** Deletes the events with this partition key that were published already (their payloads may hold personal data); returns how many. */
  forgetPublished(key: string): Promise<number>;
}
