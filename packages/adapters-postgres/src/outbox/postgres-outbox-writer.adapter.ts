import { context, propagation } from '@opentelemetry/api';
import type { OutboxEvent, OutboxWriter } from '@authsvc/core';
import type { Transaction } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';

/**
 * The trace context of the call that writes the event, as the CloudEvents distributed-tracing extension's headers
 * (`ce_traceparent`, `ce_tracestate`), stored with the row so that the relay can send it with the message. Empty
 * when tracing is off: the OpenTelemetry API's default propagator injects nothing.
 */
function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const headers: Record<string, string> = {};
  if (carrier['traceparent']) headers['ce_traceparent'] = carrier['traceparent'];
  if (carrier['tracestate']) headers['ce_tracestate'] = carrier['tracestate'];
  return headers;
}

/** Appends outbox rows inside the unit of work's transaction; remembers whether it did, so the commit can NOTIFY. */
export class PostgresOutboxWriter implements OutboxWriter {
  #appended = 0;

  constructor(private readonly trx: Transaction<Schema>) {}

  get appended(): number {
    return this.#appended;
  }

  async append(events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const tracing = traceHeaders();
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
          headers: { ...tracing, ...event.headers },
          created_at: event.createdAt,
          next_attempt_at: event.createdAt,
        })
        .execute();
      this.#appended += 1;
    }
  }

  async forgetPublished(key: string): Promise<number> {
    const result = await this.trx.deleteFrom('outbox').where('key', '=', key).where('published_at', 'is not', null).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
