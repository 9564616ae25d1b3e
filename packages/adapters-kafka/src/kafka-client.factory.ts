import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { stopIdleRequestQueueChecks } from './request-queue-timer.util.js';

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** One line kafkajs logs: its level, the part of kafkajs it comes from, its message and its other fields (no stack). */
export interface KafkaLogLine {
  level: Exclude<KafkaLogLevel, 'nothing'>;
  /** kafkajs's namespace: Connection, BrokerPool, Producer, Consumer... */
  namespace: string;
  message: string;
  fields: Record<string, unknown>;
}

/** Where kafkajs's lines go instead of its own JSON on the console (the service's logger, in the service). */
export type KafkaLogSink = (line: KafkaLogLine) => void;

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
  /** The least severe of kafkajs's own lines that are logged. Default 'error'. */
  logLevel?: KafkaLogLevel;
  /** Receives kafkajs's lines; without it kafkajs writes its own JSON shape to the console. */
  log?: KafkaLogSink;
}

const LOG_LEVELS: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

const LEVEL_NAMES = new Map<logLevel, KafkaLogLine['level']>([
  [logLevel.ERROR, 'error'],
  [logLevel.WARN, 'warn'],
  [logLevel.INFO, 'info'],
  [logLevel.DEBUG, 'debug'],
]);

/** kafkajs's logCreator, writing to `sink`: the message and the fields that say what failed, without kafkajs's own bookkeeping. */
function toSink(sink: KafkaLogSink): NonNullable<KafkaConfig['logCreator']> {
  return () => (entry: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...fields } = entry.log as LogEntry['log'] & { stack?: unknown };
    sink({ level: LEVEL_NAMES.get(entry.level) ?? 'info', namespace: entry.namespace, message, fields });
  };
}

/** A kafkajs client for the given connection; `retries` bounds how often one request is retried. */
export function createKafkaClient(options: KafkaConnectionOptions, retries = 5): Kafka {
  if (options.brokers.length === 0) throw new RangeError('at least one Kafka broker is required');
  stopIdleRequestQueueChecks();
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'authsvc',
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
    retry: { retries, initialRetryTime: 200, maxRetryTime: 5_000 },
  };
  if (options.log !== undefined) config.logCreator = toSink(options.log);
  if (options.ssl !== undefined) config.ssl = options.ssl;
  if (options.sasl !== undefined) config.sasl = options.sasl as SASLOptions;
  return new Kafka(config);
}
