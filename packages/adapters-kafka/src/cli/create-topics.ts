#!/usr/bin/env node
// Creates the event topics that are missing: `node dist/cli/create-topics.js --brokers host:port [--partitions 3]`.
import { Command } from 'commander';
import { ensureTopics } from '../ensure-topics.js';
import { addConnectionOptions, connectionFrom, positiveInt } from './cli-options.js';

const program = addConnectionOptions(new Command('create-topics'))
  .description('create the event topics that do not exist yet (existing ones are left unchanged)')
  .option('-p, --partitions <n>', 'partitions per created topic', positiveInt, 3)
  .option('-r, --replication-factor <n>', 'replicas per created topic', positiveInt, 1)
  .action(async (flags) => {
    const result = await ensureTopics({
      ...connectionFrom(flags),
      topics: flags.topics,
      partitions: flags.partitions,
      replicationFactor: flags.replicationFactor,
    });
    for (const topic of result.created) console.log(`created ${topic} (${flags.partitions} partitions, rf ${flags.replicationFactor})`);
    for (const topic of result.existing) console.log(`exists  ${topic}`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`create-topics failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
