import { Option, type Command } from 'commander';
import type { KafkaConnectionOptions } from '../kafka-connection.options.js';
import { DEFAULT_EVENT_TOPICS } from '../topic-names.js';

const list = (value: string): string[] => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);

/** Options every Kafka command takes: brokers (or KAFKA_BROKERS), topics, TLS and SASL (password from the environment only). */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('-b, --brokers <list>', 'bootstrap brokers, host:port,...').env('KAFKA_BROKERS').argParser(list).makeOptionMandatory())
    .addOption(new Option('-t, --topics <list>', 'topics').argParser(list).default([...DEFAULT_EVENT_TOPICS], DEFAULT_EVENT_TOPICS.join(',')))
    .option('--client-id <id>', 'Kafka client id', 'authsvc-cli')
    .option('--ssl', 'connect with TLS (system CAs)', false)
    .addOption(new Option('--sasl-mechanism <mechanism>', 'SASL mechanism').choices(['plain', 'scram-sha-256', 'scram-sha-512']))
    .addOption(new Option('--sasl-username <name>', 'SASL user name').env('KAFKA_SASL_USERNAME'))
    .addOption(new Option('--sasl-password <password>', 'SASL password (prefer the env var)').env('KAFKA_SASL_PASSWORD').hideHelp());
}

interface ConnectionFlags {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  saslUsername?: string;
  saslPassword?: string;
}

export function connectionFrom(flags: ConnectionFlags): KafkaConnectionOptions {
  const options: KafkaConnectionOptions = { brokers: flags.brokers, clientId: flags.clientId, ssl: flags.ssl, logLevel: 'error' };
  if (flags.saslMechanism) {
    if (!flags.saslUsername || !flags.saslPassword) throw new Error('--sasl-mechanism needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    options.sasl = { mechanism: flags.saslMechanism, username: flags.saslUsername, password: flags.saslPassword };
  }
  return options;
}

export const positiveInt = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`expected a positive integer, got ${value}`);
  return parsed;
};
