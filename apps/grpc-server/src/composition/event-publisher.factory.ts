import { LogEventPublisher, type EventPublisher } from '@authsvc/core';
import { ensureTopics, KafkaEventPublisher, type KafkaConnectionOptions, type KafkaLogSink } from '@authsvc/adapters-kafka';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/logger.factory.js';
import { RepeatedLines } from '../logging/repeated-lines.util.js';
import { allTopicsOf } from './topics.config.js';

export interface OpenedPublisher {
  publisher: EventPublisher;
  description: string;
  /** Flushes and disconnects (Kafka); nothing for the log publisher. */
  close(): Promise<void>;
}

/**
 * kafkajs's lines in the service's log, one JSON shape with the rest (component "kafka"), the same message repeated
 * at most once a minute with the count held back (numbers in a message do not make it another one).
 */
export function kafkaLogSink(logger: AppLogger): KafkaLogSink {
  const log = logger.child({ component: 'kafka' });
  const repeated = new RepeatedLines();
  return ({ level, namespace, message, fields }) => {
    const admitted = repeated.admit(`${level} ${namespace} ${message.replace(/\d+/g, '#')}`);
    if (!admitted.log) return;
    const { heldBack } = admitted;
    const text = heldBack === 0 ? message : `${message} (${heldBack} more like it since the last report)`;
    log[level]({ namespace, ...fields, ...(heldBack === 0 ? {} : { repeated: heldBack }) }, text);
  };
}

/** How to reach the configured brokers; kafkajs logs to `logger` (rate-limited, see kafkaLogSink). */
export function kafkaConnection(config: AppConfig, brokers: readonly string[], logger: AppLogger): KafkaConnectionOptions {
  const { clientId, ssl, saslMechanism, saslUsername, saslPassword } = config.kafka;
  return {
    brokers,
    clientId,
    log: kafkaLogSink(logger),
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
  const connection = kafkaConnection(config, brokers, logger);
  if (config.kafka.createTopics) {
    // Best effort: a broker that is down must not stop the start (the old service needed Kafka up to start).
    // Events wait in the outbox; `kafka create-topics` or the next start creates the topics.
    try {
      const result = await ensureTopics({
        ...connection,
        topics: allTopicsOf(config),
        partitions: config.kafka.topicPartitions,
        replicationFactor: config.kafka.topicReplicationFactor,
      });
      if (result.created.length > 0) logger.info({ created: result.created }, 'created Kafka topics');
    } catch (error) {
      logger.warn({ err: error }, 'could not create the Kafka topics (kafka.createTopics); starting anyway, events stay in the outbox until they can be published');
    }
  }
  const publisher = new KafkaEventPublisher(connection);
  publisher.connect().catch((error: unknown) => logger.warn({ err: error }, 'Kafka is not reachable yet; events stay in the outbox until it is'));
  return {
    publisher,
    description: `Kafka ${brokers.join(',')} (client id ${config.kafka.clientId}${config.kafka.ssl ? ', TLS' : ''}${config.kafka.saslMechanism ? `, SASL ${config.kafka.saslMechanism}` : ''})`,
    close: () => publisher.disconnect(),
  };
}
