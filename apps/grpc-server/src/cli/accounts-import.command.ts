import { access } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Command, Option } from 'commander';
import { AccountEventFactory, DEFAULT_AUTH_SERVICE_OPTIONS, ImportAccounts, type ImportAccountsOutput, type RejectedLine } from '@authsvc/core';
import { createApp } from '../composition/app.factory.js';
import { topicsOf } from '../composition/topics.config.js';
import type { AppConfig } from '../config/config.types.js';
import { CommandError, commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { configFileOption } from './config-file-option.util.js';
import { formatOf, readImportRecords, type ImportFormat } from './account-import-file.codec.js';

/** `accounts import` exits with this when some lines were rejected (the others were imported). */
export const REJECTED_EXIT_CODE = 4;

export interface ImportCommandOptions {
  format?: ImportFormat;
  events: boolean;
  batchSize: number;
}

/** Imports the accounts of `path` into the configured database; rejected lines go to stderr as they are found. */
export async function importAccounts(config: AppConfig, io: CliIo, path: string, options: ImportCommandOptions): Promise<ImportAccountsOutput & { seconds: number; cpuSeconds: number }> {
  await access(path).catch(() => {
    throw new CommandError(`cannot read ${path}`);
  });
  const app = createApp(config, { logger: commandLogger(config, io) });
  try {
    const events = new AccountEventFactory({ ids: await app.get('ids'), topics: topicsOf(config), eventSource: DEFAULT_AUTH_SERVICE_OPTIONS.eventSource });
    const importer = new ImportAccounts({ store: await app.get('accountImport'), clock: await app.get('clock') }, events);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const output = await importer.execute({
      records: readImportRecords(path, options.format ?? formatOf(path)),
      events: options.events,
      batchSize: options.batchSize,
      onRejected: (rejected) => io.stderr.write(`${describeRejected(rejected)}\n`),
    });
    const cpu = process.cpuUsage(cpuBefore);
    return { ...output, seconds: (performance.now() - started) / 1_000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await app.close();
  }
}

/** `line 12: email: must be a valid email address; age: must be between 1 and 150` (never a hash). */
export function describeRejected({ line, violations }: RejectedLine): string {
  return `line ${line}: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`;
}

/** `accounts import <file> [--format jsonl|csv] [--events] [--batch-size n]`, a subcommand of `accounts`. */
export function accountsImportCommand(io: CliIo): Command {
  return new Command('import')
    .description(
      'import accounts with their password hashes (bcrypt $2a$/$2b$/$2y$, argon2id, scrypt, pbkdf2-sha256 PHC) from JSON lines or CSV: ' +
        'validated like registrations, idempotent by id; rejected lines are listed on stderr (exit code 4), the others imported',
    )
    .argument('<file>', 'JSON-lines file (one object per line) or CSV file with a header row (.csv)')
    .addOption(new Option('--format <format>', 'input format (default: by the file name)').choices(['jsonl', 'csv']))
    .option('--events', 'write user.created / artist.created for each imported account (through the outbox)', false)
    .option('--batch-size <n>', 'accounts per transaction (1..5000)', '1000')
    .addOption(configFileOption())
    .action((file: string, options: ConfigOption & { format?: ImportFormat; events: boolean; batchSize: string }) =>
      runCommandAction(io, async () => {
        const batchSize = Number(options.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5_000) throw new CommandError('--batch-size must be a whole number in 1..5000');
        const result = await importAccounts(loadCommandConfig(io, options.config), io, file, { ...(options.format ? { format: options.format } : {}), events: options.events, batchSize });
        const rate = result.seconds > 0 ? Math.round(result.read / result.seconds) : result.read;
        io.stdout.write(
          `read ${result.read}, imported ${result.inserted}, already present ${result.existing}, rejected ${result.rejected} in ${result.seconds.toFixed(2)} s (${rate} records/s, ${result.cpuSeconds.toFixed(2)} s of CPU in this process)\n`,
        );
        return result.rejected > 0 ? REJECTED_EXIT_CODE : 0;
      }),
    );
}
