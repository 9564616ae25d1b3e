import type { OutboxEvent } from '../domain/account-event.model.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';

/**
 * A publisher for running without a broker: one log line per event, naming it but never printing the
 * payload (profiles carry email addresses).
 */
export class LogEventPublisher implements EventPublisher {
  constructor(private readonly log: (line: string) => void) {}

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    for (const event of events) {
      this.log(`event ${event.type} id=${event.id} key=${event.key} topic=${event.topic}`);
    }
  }
}
