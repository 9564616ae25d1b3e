import { Command, Option } from 'commander';
import { ROLES, type AuthService, type Principal, type PublicProfile, type Role, type SearchAccountsInput } from '@authsvc/core';
import { createApp } from '../composition/app.factory.js';
import type { AppConfig } from '../config/config.types.js';
import { CommandError, commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { configFileOption } from './config-file-option.util.js';
import { accountsImportCommand } from './accounts-import.command.js';

/**
 * Who the operator commands act as: an admin that is no account (the nil UUID names none). Whoever runs them holds
 * the database and the secrets already, as for `create-admin`; the use cases' rules (the last admin above all) apply
 * to them as to any admin.
 */
export const OPERATOR: Principal = { accountId: '00000000-0000-0000-0000-000000000000', sessionId: 'operator-cli', role: 'ADMIN' };

type Output = 'json' | 'table';

/** One account as the commands print it: the profile, and its disable when there is one. */
function printAccounts(io: CliIo, accounts: readonly PublicProfile[], output: Output, nextPageToken?: string | null): void {
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify(nextPageToken === undefined ? accounts[0] : { accounts, nextPageToken }, null, 2)}\n`);
    return;
  }
  const rows = accounts.map((a) => [a.id, a.kind, a.role, a.username, a.email, a.createdAt.toISOString(), stateOf(a)]);
  const header = ['id', 'kind', 'role', 'username', 'email', 'created', 'state'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  if (nextPageToken) io.stdout.write(`next page: --page-token ${nextPageToken}\n`);
}

/** Deleted (awaiting erasure) and disabled, as the table's last column says them. */
function stateOf(account: PublicProfile): string {
  const states: string[] = [];
  if (account.deletedAt !== null) states.push(`deleted ${account.deletedAt.toISOString()}`);
  const { disabled } = account;
  if (disabled !== null) states.push(`disabled${disabled.until ? ` until ${disabled.until.toISOString()}` : ''}: ${disabled.reason}`);
  return states.join('; ');
}

/** Runs `work` on the service built from the server's settings (no relay, no listener), then closes what it opened. */
async function withService<T>(config: AppConfig, io: CliIo, work: (service: AuthService) => Promise<T>): Promise<T> {
  const app = createApp(config, { logger: commandLogger(config, io) });
  try {
    return await work(await app.get('service'));
  } finally {
    await app.close();
  }
}

const parseDate = (name: string) => (value: string): Date => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new CommandError(`${name} must be an ISO 8601 time, e.g. 2026-12-31T00:00:00Z`);
  return date;
};
const parsePageSize = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new CommandError('--page-size must be a whole number');
  return Number(value);
};
const outputOption = () => new Option('--output <format>', 'json or table').choices(['json', 'table']).default('json');

interface SearchOptions extends ConfigOption {
  username?: string;
  email?: string;
  kind?: 'user' | 'artist';
  role?: Role;
  disabled?: boolean;
  deleted?: boolean;
  createdFrom?: Date;
  createdBefore?: Date;
  pageSize?: number;
  pageToken?: string;
  output: Output;
}

/**
 * `accounts search|disable|enable|delete|restore|purge|export|reset-factors`: SearchAccounts, DisableAccount,
 * EnableAccount, DeleteAccount, RestoreAccount, the erasure housekeeping, ExportAccountData and ResetSecondFactors for
 * operators, as an admin.
 */
export function accountsCommand(io: CliIo): Command {
  const accounts = new Command('accounts').description('find, disable, enable, delete, restore, purge, export and import accounts (the admin RPCs, run as the operator)');
  accounts
    .command('search')
    .description('one page of the accounts matching every filter given (SearchAccounts)')
    .option('--username <prefix>', 'username prefix, any case')
    .option('--email <prefix>', 'email prefix, any case')
    .addOption(new Option('--kind <kind>', 'kind').choices(['user', 'artist']))
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]))
    .option('--disabled', 'only accounts disabled now')
    .option('--no-disabled', 'only accounts not disabled now')
    .option('--deleted', 'only accounts deleted and awaiting erasure (restore can bring them back)')
    .option('--no-deleted', 'only accounts not deleted')
    .option('--created-from <time>', 'created at or after (ISO 8601)', parseDate('--created-from'))
    .option('--created-before <time>', 'created before (ISO 8601)', parseDate('--created-before'))
    .option('--page-size <n>', 'accounts per page, 1-100 (default 50)', parsePageSize)
    .option('--page-token <token>', 'the next page token a previous search printed')
    .addOption(outputOption())
    .addOption(configFileOption())
    .action((options: SearchOptions) =>
      runCommandAction(io, async () => {
        const input: SearchAccountsInput = {};
        if (options.username !== undefined) input.usernamePrefix = options.username;
        if (options.email !== undefined) input.emailPrefix = options.email;
        if (options.kind !== undefined) input.kind = options.kind;
        if (options.role !== undefined) input.role = options.role;
        if (options.disabled !== undefined) input.disabled = options.disabled;
        if (options.deleted !== undefined) input.deleted = options.deleted;
        if (options.createdFrom !== undefined) input.createdFrom = options.createdFrom;
        if (options.createdBefore !== undefined) input.createdBefore = options.createdBefore;
        if (options.pageSize !== undefined) input.pageSize = options.pageSize;
        if (options.pageToken !== undefined) input.pageToken = options.pageToken;
        const page = await withService(loadCommandConfig(io, options.config), io, (service) => service.searchAccounts(OPERATOR, input));
        printAccounts(io, page.accounts, options.output, page.nextPageToken);
      }),
    );
  accounts
    .command('disable')
    .description('disable an account: its sessions end at once, Login is refused (DisableAccount)')
    .argument('<id>', 'account id')
    .requiredOption('--reason <text>', 'why, for other admins')
    .option('--until <time>', 'the disable ends by itself then (ISO 8601)', parseDate('--until'))
    .addOption(outputOption())
    .addOption(configFileOption())
    .action((id: string, options: ConfigOption & { reason: string; until?: Date; output: Output }) =>
      runCommandAction(io, async () => {
        const input = { id: id.toLowerCase(), reason: options.reason, ...(options.until ? { until: options.until } : {}) };
        const account = await withService(loadCommandConfig(io, options.config), io, (service) => service.disableAccount(OPERATOR, input));
        printAccounts(io, [account], options.output);
      }),
    );
  accounts
    .command('enable')
    .description('end a disable (EnableAccount)')
    .argument('<id>', 'account id')
    .addOption(outputOption())
    .addOption(configFileOption())
    .action((id: string, options: ConfigOption & { output: Output }) =>
      runCommandAction(io, async () => {
        const account = await withService(loadCommandConfig(io, options.config), io, (service) => service.enableAccount(OPERATOR, { id: id.toLowerCase() }));
        printAccounts(io, [account], options.output);
      }),
    );
  accounts
    .command('delete')
    .description('delete an account: its sessions end at once, Login is refused, erased after accounts.deletionGrace (DeleteAccount)')
    .argument('<id>', 'account id')
    .addOption(outputOption())
    .addOption(configFileOption())
    .action((id: string, options: ConfigOption & { output: Output }) =>
      runCommandAction(io, async () => {
        const { account, eraseAfter } = await withService(loadCommandConfig(io, options.config), io, (service) => service.deleteAccount(OPERATOR, { id: id.toLowerCase() }));
        printAccounts(io, [account], options.output);
        io.stderr.write(`erased after ${eraseAfter.toISOString()} unless restored (authsvc accounts restore ${account.id})\n`);
      }),
    );
  accounts
    .command('restore')
    .description('cancel a deletion before the erasure (RestoreAccount)')
    .argument('<id>', 'account id')
    .addOption(outputOption())
    .addOption(configFileOption())
    .action((id: string, options: ConfigOption & { output: Output }) =>
      runCommandAction(io, async () => {
        const account = await withService(loadCommandConfig(io, options.config), io, (service) => service.restoreAccount(OPERATOR, { id: id.toLowerCase() }));
        printAccounts(io, [account], options.output);
      }),
    );
  accounts
    .command('purge')
    .description('erase now every account deleted longer ago than accounts.deletionGrace (the housekeeping serve runs every accounts.purgeInterval)')
    .addOption(configFileOption())
    .action((options: ConfigOption) =>
      runCommandAction(io, async () => {
        const { erased } = await withService(loadCommandConfig(io, options.config), io, (service) => service.purgeDeletedAccounts());
        io.stdout.write(`${JSON.stringify({ erased }, null, 2)}\n`);
      }),
    );
  accounts
    .command('export')
    .description('everything the service holds about an account, as one JSON document (ExportAccountData; counted like the RPC)')
    .argument('<id>', 'account id')
    .addOption(configFileOption())
    .action((id: string, options: ConfigOption) =>
      runCommandAction(io, async () => {
        const data = await withService(loadCommandConfig(io, options.config), io, (service) => service.exportAccountData(OPERATOR, { id: id.toLowerCase() }));
        io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      }),
    );
  accounts
    .command('reset-factors')
    .description('remove every second factor of an account (TOTP, passkeys, recovery codes) and end its sessions: the way back in after a lost factor (ResetSecondFactors)')
    .argument('<id>', 'account id')
    .addOption(configFileOption())
    .action((id: string, options: ConfigOption) =>
      runCommandAction(io, async () => {
        const reset = await withService(loadCommandConfig(io, options.config), io, (service) => service.resetSecondFactors(OPERATOR, { id: id.toLowerCase() }));
        io.stdout.write(`${JSON.stringify(reset, null, 2)}\n`);
      }),
    );
  accounts.addCommand(accountsImportCommand(io));
  return accounts;
}
