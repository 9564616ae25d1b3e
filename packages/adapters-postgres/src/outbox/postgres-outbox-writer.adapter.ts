import type { OutboxEvent, OutboxWriter } from '@authsvc/core';
import type { Transaction } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';

/** Appends outbox rows inside the unit of work's transaction; remembers whether it did, so the commit can NOTIFY. */
export class PostgresOutboxWriter implements OutboxWriter {
  #appended = 0;

  constructor(private readonly trx: Transaction<Schema>) {}

  get appended(): number {
    return this.#appended;
  }

  async append(events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement per event: each takes the next seq in array order, which is the order the relay publishes in.
    for (const event of events) {
      await this.trx
        .insertInto('outbox')
        .values({
          id: event.id,
          type: event.type,
          topic: event.topic,
          key: event.key,
          payload: { ...event.payload },
          headers: event.headers,
          created_at: event.createdAt,
          next_attempt_at: event.createdAt,
        })
        .execute();
      this.#appended += 1;
    }
  }
}
