import { Command } from 'commander';
import type { MigrationState, PostgresDatabase } from '@authsvc/adapters-postgres';
import { createApp } from '../composition/app.factory.js';
import type { AppConfig } from '../config/config.types.js';
import { commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { configFileOption } from './config-file-option.util.js';

/** `migrate status` exits with this when migrations are pending, so scripts can tell without parsing. */
export const PENDING_EXIT_CODE = 3;

/**
 * Opens the configured database (PostgreSQL, or the embedded PGlite folder) without the start-up migration,
 * runs `work` and closes it again.
 */
async function withDatabase<T>(config: AppConfig, io: CliIo, work: (database: PostgresDatabase) => Promise<T>): Promise<T> {
  const app = createApp({ ...config, database: { ...config.database, migrate: false } }, { logger: commandLogger(config, io) });
  try {
    const database = await app.get('database');
    io.stderr.write(`database: ${app.adapters().database}\n`);
    return await work(database);
  } finally {
    await app.close();
  }
}

/** Applies every pending migration; returns their names. */
export async function migrateUp(config: AppConfig, io: CliIo): Promise<string[]> {
  const applied = await withDatabase(config, io, (database) => database.migrateToLatest());
  io.stdout.write(applied.length === 0 ? 'already up to date\n' : applied.map((name) => `applied ${name}\n`).join(''));
  return applied;
}

/** Reverts the newest migration, or every one with `all` (every table of the service is dropped). */
export async function migrateDownCommand(config: AppConfig, io: CliIo, options: { all: boolean }): Promise<string[]> {
  const reverted = await withDatabase(config, io, (database) => (options.all ? database.migrateToEmpty() : database.migrateDown()));
  io.stdout.write(reverted.length === 0 ? 'nothing to revert\n' : reverted.map((name) => `reverted ${name}\n`).join(''));
  return reverted;
}

/** Every known migration, in order, with when it was applied (null while pending). */
export async function migrateStatusCommand(config: AppConfig, io: CliIo, options: { json: boolean }): Promise<MigrationState[]> {
  const states = await withDatabase(config, io, (database) => database.migrationStatus());
  if (options.json) {
    io.stdout.write(`${JSON.stringify(states.map((s) => ({ name: s.name, executedAt: s.executedAt?.toISOString() ?? null })), null, 2)}\n`);
  } else {
    const width = Math.max(...states.map((s) => s.name.length), 'MIGRATION'.length);
    io.stdout.write(`${'MIGRATION'.padEnd(width)}  APPLIED AT\n`);
    for (const s of states) io.stdout.write(`${s.name.padEnd(width)}  ${s.executedAt ? s.executedAt.toISOString() : 'pending'}\n`);
  }
  return states;
}

/** `migrate up|down|status`. */
export function migrateCommand(io: CliIo): Command {
  const migrate = new Command('migrate').description('database schema migrations (PostgreSQL when database.url is set, else the embedded PGlite in <dataDir>/pglite)');
  migrate
    .command('up')
    .description('apply every pending migration')
    .addOption(configFileOption())
    .action((options: ConfigOption) =>
      runCommandAction(io, async () => {
        await migrateUp(loadCommandConfig(io, options.config), io);
      }),
    );
  migrate
    .command('down')
    .description('revert the newest applied migration (or all of them with --all: drops every table of the service)')
    .option('--all', 'revert every migration, leaving an empty schema', false)
    .addOption(configFileOption())
    .action((options: ConfigOption & { all: boolean }) =>
      runCommandAction(io, async () => {
        await migrateDownCommand(loadCommandConfig(io, options.config), io, { all: options.all });
      }),
    );
  migrate
    .command('status')
    .description('list every migration and when it was applied; exit code 3 when some are pending')
    .option('--json', 'print JSON instead of a table', false)
    .addOption(configFileOption())
    .action((options: ConfigOption & { json: boolean }) =>
      runCommandAction(io, async () => {
        const states = await migrateStatusCommand(loadCommandConfig(io, options.config), io, { json: options.json });
        return states.some((s) => s.executedAt === null) ? PENDING_EXIT_CODE : 0;
      }),
    );
  return migrate;
}

