import { Command } from 'commander';
import { processIo, type CliIo } from './cli-io.util.js';
import { accountsCommand } from './accounts.command.js';
import { configTableCommand } from './config-table.command.js';
import { createAdminCommand } from './create-admin.command.js';
import { envExampleCommand } from './env-example.command.js';
import { kafkaCommand } from './kafka.command.js';
import { keysCommand } from './keys.command.js';
import { migrateCommand } from './migrate.command.js';
import { outboxCommand } from './outbox.command.js';
import { mailCommand } from './mail.command.js';
import { relayCommand } from './relay.command.js';
import { serveCommand } from './serve.command.js';

/** Every command of `authsvc`, in the order `--help` lists them; `serve` is the default. */
const COMMANDS: readonly ((io: CliIo) => Command)[] = [
  serveCommand,
  relayCommand,
  migrateCommand,
  createAdminCommand,
  keysCommand,
  outboxCommand,
  mailCommand,
  kafkaCommand,
  envExampleCommand,
  configTableCommand,
  accountsCommand,
];

/** The command line of the service; `io` is the process's own streams and environment unless a test passes buffers. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('authsvc').description('Authentication service (gRPC) and its operator commands').showHelpAfterError();
  for (const command of COMMANDS) {
    const built = command(io);
    program.addCommand(built, built.name() === 'serve' ? { isDefault: true } : {});
  }
  return program;
}
