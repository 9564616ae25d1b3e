// Operator commands of the service's command line: migrations, the first admin, signing keys, outbox and Kafka.
import type { Command } from 'commander';
import { processIo, type AdminIo } from './admin-context.js';
import { createAdminCommand } from './create-admin.command.js';
import { envExampleCommand } from './env-example.js';
import { kafkaCommand } from './kafka.command.js';
import { keysCommand } from './keys.command.js';
import { migrateCommand } from './migrate.command.js';
import { outboxCommand } from './outbox-status.command.js';

export { AdminError, processIo, type AdminIo } from './admin-context.js';
export { createAdmin, readAdminPassword, ADMIN_PASSWORD_ENV } from './create-admin.command.js';
export { renderEnvExample } from './env-example.js';
export { createTopics, consumeTopics, kafkaConnectionOf, configuredTopics } from './kafka.command.js';
export { generateKeys, rotateKeysInFile, pruneKeysInFile } from './keys.command.js';
export { migrateUp, migrateDownCommand, migrateStatusCommand } from './migrate.command.js';
export { outboxReport, formatOutboxReport } from './outbox-status.command.js';

export interface AdminCommandDeps {
  /** Sets the process exit code (main.ts passes the same function as to buildProgram). */
  setExitCode(code: number): void;
  /** Streams and environment; the process's own by default (tests pass buffers). */
  io?: Partial<AdminIo>;
}

/**
 * Adds `migrate`, `create-admin`, `keys`, `outbox`, `kafka` and `env-example` to the program. An existing `keys` command (the
 * server's earlier `keys generate`) is replaced: this one is a superset (generate with --force, rotate, prune, list).
 */
export function registerAdminCommands(program: Command, deps: AdminCommandDeps): Command {
  const io: AdminIo = { ...processIo(deps.setExitCode), ...deps.io };
  const commands = program.commands as Command[];
  const existing = commands.findIndex((c) => c.name() === 'keys');
  if (existing >= 0) commands.splice(existing, 1);
  for (const command of [migrateCommand(io), createAdminCommand(io), keysCommand(io), outboxCommand(io), kafkaCommand(io), envExampleCommand(io)]) {
    program.addCommand(command);
  }
  return program;
}
