import { LogEventPublisher, type EventPublisher } from '@authsvc/core';
import { ensureTopics, KafkaEventPublisher, type KafkaConnectionOptions } from '@authsvc/adapters-kafka';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/create-logger.js';
import { topicsOf } from './topics.js';

export interface OpenedPublisher {
  publisher: EventPublisher;
  description: string;
  /** Flushes and disconnects (Kafka); nothing for the log publisher. */
  close(): Promise<void>;
}

export function kafkaConnection(config: AppConfig, brokers: readonly string[]): KafkaConnectionOptions {
  const { clientId, ssl, saslMechanism, saslUsername, saslPassword } = config.kafka;
  return {
    brokers,
    clientId,
    ...(ssl ? { ssl: true } : {}),
    ...(saslMechanism && saslUsername && saslPassword ? { sasl: { mechanism: saslMechanism, username: saslUsername, password: saslPassword } } : {}),
  };
}

/**
 * Kafka when kafka.brokers is set, else a publisher that writes one log line per event (no payload). Kafka being
 * down does not stop the start: events wait in the outbox and the relay retries with backoff.
 */
export async function openEventPublisher(config: AppConfig, logger: AppLogger): Promise<OpenedPublisher> {
  const brokers = config.kafka.brokers;
  if (brokers === undefined) {
    const events = logger.child({ component: 'events' });
    return { publisher: new LogEventPublisher((line) => events.info(line)), description: 'log (no broker configured)', close: async () => {} };
  }
  const connection = kafkaConnection(config, brokers);
  if (config.kafka.createTopics) {
    const result = await ensureTopics({
      ...connection,
      topics: Object.values(topicsOf(config)),
      partitions: config.kafka.topicPartitions,
      replicationFactor: config.kafka.topicReplicationFactor,
    });
    if (result.created.length > 0) logger.info({ created: result.created }, 'created Kafka topics');
  }
  const publisher = new KafkaEventPublisher(connection);
  publisher.connect().catch((error: unknown) => logger.warn({ err: error }, 'Kafka is not reachable yet; events stay in the outbox until it is'));
  return {
    publisher,
    description: `Kafka ${brokers.join(',')} (client id ${config.kafka.clientId}${config.kafka.ssl ? ', TLS' : ''}${config.kafka.saslMechanism ? `, SASL ${config.kafka.saslMechanism}` : ''})`,
    close: () => publisher.disconnect(),
  };
}
