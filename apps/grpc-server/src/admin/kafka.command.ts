import { Command } from 'commander';
import type { AdminIo } from './admin-context.js';

/** `kafka create-topics|consume` (placeholder until the Kafka adapter's helpers land). */
export function kafkaCommand(_io: AdminIo): Command {
  return new Command('kafka').description('event topics on the configured Kafka brokers');
}
