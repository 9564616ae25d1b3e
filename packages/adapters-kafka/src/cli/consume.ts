#!/usr/bin/env node
// Prints account events as they arrive: `node dist/cli/consume.js --brokers host:port [--from-beginning] [--json]`.
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { consumeEvents, formatEventLine, type ConsumedEvent } from '../event-consumer.js';
import { addConnectionOptions, connectionFrom, positiveInt } from './cli-options.js';

const program = addConnectionOptions(new Command('consume'))
  .description('print events as they arrive: topic, partition, offset, key, ce_id, ce_type, value')
  .option('-g, --group <id>', 'consumer group (default: a fresh one, so nothing is taken from other consumers)')
  .option('--from-beginning', 'start at the oldest retained event instead of new ones', false)
  .option('--json', 'one JSON object per line instead of text', false)
  .option('-n, --max-messages <n>', 'exit after this many events', positiveInt)
  .action(async (flags) => {
    let seen = 0;
    const print = (event: ConsumedEvent) => {
      const { ce_id, ce_type } = event.headers;
      console.log(flags.json ? JSON.stringify({ ...event, ce_id, ce_type }) : formatEventLine(event));
      seen += 1;
      if (flags.maxMessages !== undefined && seen >= flags.maxMessages) void stop(0);
    };
    const consumer = await consumeEvents({
      ...connectionFrom(flags),
      topics: flags.topics,
      groupId: flags.group ?? `authsvc-consume-${randomUUID()}`,
      fromBeginning: flags.fromBeginning,
      onEvent: print,
    });
    const stop = async (code: number) => {
      await consumer.disconnect();
      process.exit(code);
    };
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`consume failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
