import { LogEventPublisher, type EventPublisher } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/create-logger.js';

export interface OpenedPublisher {
  publisher: EventPublisher;
  description: string;
  /** Flushes and disconnects (Kafka); nothing for the log publisher. */
  close(): Promise<void>;
}

/** Kafka when kafka.brokers is set, else a publisher that writes one log line per event (no payload). */
export async function openEventPublisher(config: AppConfig, logger: AppLogger): Promise<OpenedPublisher> {
  if (config.kafka.brokers === undefined) {
    const events = logger.child({ component: 'events' });
    return { publisher: new LogEventPublisher((line) => events.info(line)), description: 'log (no broker configured)', close: async () => {} };
  }
  throw new Error('Kafka publisher not wired yet');
}
