import { Command } from 'commander';
import type { OutboxStatus } from '@authsvc/adapters-postgres';
import { createApp } from '../composition/app.factory.js';
import type { AppConfig } from '../config/config.types.js';
import { commandLogger, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { configFileOption } from './config-file-option.util.js';

/** `outbox status` exits with this when events are failing, for monitoring scripts. */
export const FAILING_EXIT_CODE = 3;

/** Backlog, age of the oldest pending event, and the failing rows (up to `limit`) of the configured database. */
export async function outboxReport(config: AppConfig, io: CliIo, options: { limit: number; now?: Date }): Promise<OutboxStatus> {
  const app = createApp({ ...config, database: { ...config.database, migrate: false } }, { logger: commandLogger(config, io) });
  try {
    return await (await app.get('database')).outboxStatus(options.now ?? new Date(), options.limit);
  } finally {
    await app.close();
  }
}

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1_000).toFixed(1)} s`);

export function formatOutboxReport(report: OutboxStatus): string {
  const lines = [
    `backlog (unpublished events): ${report.backlog}`,
    `oldest pending event age:     ${seconds(report.oldestPendingAgeMs)}`,
    `failing (attempted, not yet published): ${report.failing}`,
  ];
  for (const e of report.failingEvents) {
    lines.push(
      `  ${e.id} ${e.type} -> ${e.topic} key=${e.key} attempts=${e.attempts} next=${e.nextAttemptAt.toISOString()}`,
      `    last error: ${e.lastError ?? '-'}`,
    );
  }
  if (report.failing > report.failingEvents.length) lines.push(`  ... and ${report.failing - report.failingEvents.length} more (raise --limit)`);
  return `${lines.join('\n')}\n`;
}

/** `outbox status`; exit code 0 when nothing fails, 3 when some events are failing (for monitoring scripts). */
export function outboxCommand(io: CliIo): Command {
  const outbox = new Command('outbox').description('the transactional outbox of account events');
  outbox
    .command('status')
    .description('backlog, age of the oldest pending event, and failing events with their last error and next attempt')
    .option('--limit <n>', 'failing events to list', '20')
    .option('--json', 'print JSON', false)
    .addOption(configFileOption())
    .action((options: ConfigOption & { limit: string; json: boolean }) =>
      runCommandAction(io, async () => {
        const limit = Math.max(1, Number.parseInt(options.limit, 10) || 20);
        const report = await outboxReport(loadCommandConfig(io, options.config), io, { limit });
        io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatOutboxReport(report));
        return report.failing > 0 ? FAILING_EXIT_CODE : 0;
      }),
    );
  return outbox;
}
