import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { consumeEvents, ensureTopics, formatEventLine, type ConsumedEvent, type EnsureTopicsResult, type KafkaConnectionOptions } from '@authsvc/adapters-kafka';
import { kafkaConnection } from '../composition/event-publisher.factory.js';
import { topicsOf } from '../composition/topics.config.js';
import type { AppConfig } from '../config/config.types.js';
import { CommandError, commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { configFileOption } from './config-file-option.util.js';

/**
 * The brokers and credentials of kafka.* in the configuration (as the server uses them); refused without brokers.
 * kafkajs's lines go to stderr as JSON (stdout is the command's result).
 */
export function kafkaConnectionOf(config: AppConfig, io: CliIo): KafkaConnectionOptions {
  if (config.kafka.brokers === undefined) throw new CommandError('no Kafka broker configured: set kafka.brokers (AUTH_KAFKA_BROKERS)');
  return { ...kafkaConnection(config, config.kafka.brokers, commandLogger(config, io)), logLevel: 'error' };
}

/** The configured event topics (kafka.topics.*), in a stable order. */
export const configuredTopics = (config: AppConfig): string[] => [...new Set<string>(Object.values(topicsOf(config)))];

/** Creates the configured topics that are missing; existing ones are left as they are. */
export async function createTopics(config: AppConfig, io: CliIo, options: { partitions: number; replicationFactor: number }): Promise<EnsureTopicsResult> {
  const result = await ensureTopics({ ...kafkaConnectionOf(config, io), topics: configuredTopics(config), ...options });
  for (const topic of result.created) io.stdout.write(`created ${topic} (${options.partitions} partitions, replication factor ${options.replicationFactor})\n`);
  for (const topic of result.existing) io.stdout.write(`exists  ${topic}\n`);
  return result;
}

export interface ConsumeOptions {
  topics?: string[];
  fromBeginning: boolean;
  json: boolean;
  /** Stop after this many events. */
  maxMessages?: number;
  /** Stop when aborted (SIGINT/SIGTERM on the command line). */
  signal?: AbortSignal;
  /** Consumer group; a fresh one by default, so no event is taken from the services that consume them. */
  groupId?: string;
}

/**
 * Prints the events arriving on the configured topics (or `topics`), one line each, in a consumer group of its
 * own so that no event is taken from the services that consume them. Resolves once stopped; returns the count.
 */
export async function consumeTopics(config: AppConfig, io: CliIo, options: ConsumeOptions): Promise<number> {
  let seen = 0;
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  if (options.signal?.aborted) return 0;
  options.signal?.addEventListener('abort', () => stopRequested(), { once: true });
  const consumer = await consumeEvents({
    ...kafkaConnectionOf(config, io),
    topics: options.topics ?? configuredTopics(config),
    groupId: options.groupId ?? `authsvc-consume-${randomUUID()}`,
    fromBeginning: options.fromBeginning,
    onEvent: (event: ConsumedEvent) => {
      if (options.maxMessages !== undefined && seen >= options.maxMessages) return;
      io.stdout.write(`${options.json ? JSON.stringify(event) : formatEventLine(event)}\n`);
      seen += 1;
      if (options.maxMessages !== undefined && seen >= options.maxMessages) stopRequested();
    },
  });
  try {
    await stopped;
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

const positive = (name: string) => (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new CommandError(`${name} must be a whole number of at least 1`);
  return Number(value);
};

/** `kafka create-topics|consume`, on the brokers and topics of the configuration. */
export function kafkaCommand(io: CliIo): Command {
  const kafka = new Command('kafka').description('the event topics on the configured Kafka brokers (kafka.brokers)');
  kafka
    .command('create-topics')
    .description('create the configured event topics that do not exist yet (existing ones are left unchanged)')
    .option('-p, --partitions <n>', 'partitions per created topic (default: kafka.topicPartitions)')
    .option('-r, --replication-factor <n>', 'replicas per created topic (default: kafka.topicReplicationFactor)')
    .addOption(configFileOption())
    .action((options: ConfigOption & { partitions?: string; replicationFactor?: string }) =>
      runCommandAction(io, async () => {
        const config = loadCommandConfig(io, options.config);
        await createTopics(config, io, {
          partitions: options.partitions ? positive('--partitions')(options.partitions) : config.kafka.topicPartitions,
          replicationFactor: options.replicationFactor ? positive('--replication-factor')(options.replicationFactor) : config.kafka.topicReplicationFactor,
        });
      }),
    );
  kafka
    .command('consume')
    .description('print events as they arrive (for debugging), in a consumer group of its own; Ctrl-C stops')
    .option('-t, --topics <list>', 'comma-separated topics (default: the configured event topics)')
    .option('--from-beginning', 'start at the oldest retained event instead of new ones', false)
    .option('--json', 'one JSON object per line', false)
    .option('-n, --max-messages <n>', 'stop after this many events')
    .option('-g, --group <id>', 'consumer group (default: a fresh one, so nothing is taken from other consumers)')
    .addOption(configFileOption())
    .action((options: ConfigOption & { topics?: string; fromBeginning: boolean; json: boolean; maxMessages?: string; group?: string }) =>
      runCommandAction(io, async () => {
        const config = loadCommandConfig(io, options.config);
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await consumeTopics(config, io, {
            fromBeginning: options.fromBeginning,
            json: options.json,
            signal: abort.signal,
            ...(options.topics ? { topics: options.topics.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
            ...(options.maxMessages ? { maxMessages: positive('--max-messages')(options.maxMessages) } : {}),
            ...(options.group ? { groupId: options.group } : {}),
          });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      }),
    );
  return kafka;
}
