import { Command } from 'commander';
import type { MailListing, MailOutboxStats } from '@authsvc/core';
import { createApp } from '../composition/app.factory.js';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/logger.factory.js';
import { commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { configFileOption } from './config-file-option.util.js';
import { runService, withServiceOptions, type ServiceOptions } from './service-process.util.js';

/** `mail status` exits with this when mail was abandoned or is failing, for monitoring scripts. */
export const MAIL_TROUBLE_EXIT_CODE = 3;

export interface MailReport extends MailOutboxStats {
  mails: MailListing[];
}

/** Counts of the mail outbox and its pending then abandoned mails (up to `limit`), never a token. */
export async function mailReport(config: AppConfig, io: CliIo, options: { limit: number; now?: Date }): Promise<MailReport> {
  const app = createApp({ ...config, database: { ...config.database, migrate: false } }, { logger: commandLogger(config, io) });
  try {
    const store = await app.get('mailStore');
    const stats = await store.stats(options.now ?? new Date());
    return { ...stats, mails: await store.list(options.limit) };
  } finally {
    await app.close();
  }
}

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1_000).toFixed(1)} s`);

export function formatMailReport(report: MailReport): string {
  const lines = [
    `pending (not yet sent):   ${report.pending}`,
    `  of which failing:       ${report.failing}`,
    `oldest pending mail age:  ${seconds(report.oldestPendingAgeMs)}`,
    `abandoned (gave up):      ${report.abandoned}`,
  ];
  for (const m of report.mails) {
    const next = m.nextAttemptAt === null ? '' : ` next=${m.nextAttemptAt.toISOString()}`;
    lines.push(`  ${m.state.padEnd(9)} ${m.id} ${m.kind} to=${m.to} attempts=${m.attempts}${next}`);
    if (m.lastError !== null) lines.push(`    last error: ${m.lastError}`);
  }
  const listed = report.mails.length;
  if (report.pending + report.abandoned > listed) lines.push(`  ... and ${report.pending + report.abandoned - listed} more (raise --limit)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The mail delivery worker as its own process (like `relay`): the same composition as the server, asked only for the
 * worker, so it opens the database and the mail server and nothing else.
 */
export async function runMailProcess(config: AppConfig, logger: AppLogger): Promise<() => Promise<void>> {
  const app = createApp(config, { logger });
  try {
    await app.get('mailDelivery');
    logger.info(`database: ${app.adapters().database}`);
    logger.info(`mail: ${app.adapters().mail}`);
    return () => app.close();
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** `mail status` (exit 3 when mail is failing or abandoned) and `mail deliver` (the worker alone). */
export function mailCommand(io: CliIo): Command {
  const mail = new Command('mail').description('the mail outbox (verification, password reset, email change)');
  mail
    .command('status')
    .description('pending, failing and abandoned mail, with each mail\'s last error and next attempt (never its link)')
    .option('--limit <n>', 'mails to list', '20')
    .option('--json', 'print JSON', false)
    .addOption(configFileOption())
    .action((options: ConfigOption & { limit: string; json: boolean }) =>
      runCommandAction(io, async () => {
        const limit = Math.max(1, Number.parseInt(options.limit, 10) || 20);
        const report = await mailReport(loadCommandConfig(io, options.config), io, { limit });
        io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatMailReport(report));
        return report.failing > 0 || report.abandoned > 0 ? MAIL_TROUBLE_EXIT_CODE : 0;
      }),
    );
  mail.addCommand(
    withServiceOptions(new Command('deliver').description('run only the mail delivery worker (when the servers run with mail.deliveryEnabled=false)')).action(
      (options: ServiceOptions) => runService(io, options, ({ config }, logger) => runMailProcess(config, logger)),
    ),
  );
  return mail;
}
