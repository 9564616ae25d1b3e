import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** How to reach the brokers; the composition root builds it from configuration. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, host:port. */
  brokers: readonly string[];
  clientId?: string;
  /** TLS: true for the system CAs, or Node TLS options (ca, cert, key, servername...). */
  ssl?: boolean | ConnectionOptions;
  /** SASL authentication; the password is only handed to kafkajs, never logged. */
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** TCP connect timeout per broker. Default 3 s. */
  connectionTimeoutMs?: number;
  /** Timeout of one request (a produce waiting for acks included). Default 10 s. */
  requestTimeoutMs?: number;
  /** kafkajs' own log lines (JSON on stdout). Default 'error'. */
  logLevel?: KafkaLogLevel;
}

const LOG_LEVELS: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/** A kafkajs client for the given connection; `retries` bounds how often one request is retried. */
export function createKafkaClient(options: KafkaConnectionOptions, retries = 5): Kafka {
  if (options.brokers.length === 0) throw new RangeError('at least one Kafka broker is required');
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'authsvc',
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
    retry: { retries, initialRetryTime: 200, maxRetryTime: 5_000 },
  };
  if (options.ssl !== undefined) config.ssl = options.ssl;
  if (options.sasl !== undefined) config.sasl = options.sasl as SASLOptions;
  return new Kafka(config);
}
