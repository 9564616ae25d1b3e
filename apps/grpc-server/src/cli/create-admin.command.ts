import { Command, Option } from 'commander';
import { GENDERS, type Gender, type PublicProfile } from '@authsvc/core';
import { createApp } from '../composition/app.factory.js';
import type { AppConfig } from '../config/config.types.js';
import { CommandError, commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { promptHidden, type TerminalInput } from './hidden-prompt.util.js';
import { configFileOption } from './config-file-option.util.js';

/** The only ways to give the first admin's password: never an argument (it would land in shell history and `ps`). */
export const ADMIN_PASSWORD_ENV = 'AUTH_ADMIN_PASSWORD';

export interface CreateAdminOptions {
  username: string;
  email: string;
  country: string;
  age: number;
  gender: Gender;
}

/**
 * The password from AUTH_ADMIN_PASSWORD (removed from the environment once read, so worker threads and child
 * processes never see it), else asked twice on the terminal without echo; refused when neither is possible.
 */
export async function readAdminPassword(io: CliIo): Promise<string> {
  const fromEnv = io.env[ADMIN_PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    delete io.env[ADMIN_PASSWORD_ENV];
    return fromEnv;
  }
  const terminal = io.stdin as TerminalInput;
  if (!terminal.isTTY) {
    throw new CommandError(`no password: set ${ADMIN_PASSWORD_ENV} or run the command on a terminal to be asked for it (it is never taken from an argument)`);
  }
  const password = await promptHidden(terminal, io.stderr, 'Password for the new admin: ');
  const again = await promptHidden(terminal, io.stderr, 'Same password again: ');
  if (password !== again) throw new CommandError('the two passwords differ; nothing was created');
  return password;
}

/**
 * Creates an admin account through core's createAdmin (its validation, password hashing and `user.created`
 * outbox event), on the database and with the settings the server uses. Only the service is built (no relay): the running
 * server's relay (or `relay`) publishes the event.
 */
export async function createAdmin(config: AppConfig, io: CliIo, options: CreateAdminOptions): Promise<PublicProfile> {
  const password = await readAdminPassword(io);
  const app = createApp(config, { logger: commandLogger(config, io) });
  try {
    const profile = await (await app.get('service')).createAdmin({ ...options, password });
    io.stdout.write(`created admin ${profile.username} (id ${profile.id})\n`);
    return profile;
  } finally {
    await app.close();
  }
}

const parseAge = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new CommandError('--age must be a whole number');
  return Number(value);
};

/** `create-admin --username --email --country [--age] [--gender]`. */
export function createAdminCommand(io: CliIo): Command {
  return new Command('create-admin')
    .description(`create an admin account; the password comes from ${ADMIN_PASSWORD_ENV} or a hidden prompt, never from an argument`)
    .requiredOption('-u, --username <username>', 'user name')
    .requiredOption('-e, --email <email>', 'email address')
    .requiredOption('--country <code>', 'ISO 3166-1 alpha-2 country code, e.g. NL')
    .option('--age <years>', 'age (the user schema requires one)', '18')
    .addOption(new Option('--gender <gender>', 'gender').choices([...GENDERS]).default('prefer_not_to_say'))
    .addOption(configFileOption())
    .addHelpText('after', `\nExample:\n  ${ADMIN_PASSWORD_ENV}=... authsvc create-admin --username root --email ops@example.com --country NL`)
    .action((options: ConfigOption & { username: string; email: string; country: string; age: string; gender: Gender }) =>
      runCommandAction(io, async () => {
        await createAdmin(loadCommandConfig(io, options.config), io, {
          username: options.username,
          email: options.email,
          country: options.country,
          age: parseAge(options.age),
          gender: options.gender,
        });
      }),
    );
}
