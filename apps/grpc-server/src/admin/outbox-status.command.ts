import { Command } from 'commander';
import { createPostgresStores, type DatabaseHandle } from '@authsvc/adapters-postgres';
import type { OutboxStats } from '@authsvc/core';
import { openDatabase } from '../composition/database.factory.js';
import type { AppConfig } from '../config/config.types.js';
import { adminLogger, loadAdminConfig, runAdminAction, type AdminIo, type ConfigOption } from './admin-context.js';
import { configFileOption } from '../cli/config-file.option.js';

/** `outbox status` exits with this when events are failing, for monitoring scripts. */
export const FAILING_EXIT_CODE = 3;

/** An unpublished event that failed at least once: what an operator needs to see why, never its payload. */
export interface FailingEvent {
  id: string;
  type: string;
  topic: string;
  key: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
}

export interface OutboxReport extends OutboxStats {
  failingEvents: FailingEvent[];
}

/**
 * The failing rows, oldest first. A read-only operator query on the outbox table (the relay store port has no
 * such listing: the relay never needs one).
 */
async function failingEvents(handle: DatabaseHandle, limit: number): Promise<FailingEvent[]> {
  const rows = await handle.db
    .selectFrom('outbox')
    .select(['id', 'type', 'topic', 'key', 'attempts', 'last_error', 'next_attempt_at', 'created_at'])
    .where('published_at', 'is', null)
    .where('attempts', '>', 0)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    topic: r.topic,
    key: r.key,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: new Date(r.next_attempt_at),
    createdAt: new Date(r.created_at),
  }));
}

/** Backlog, age of the oldest pending event, and the failing rows (up to `limit`) of the configured database. */
export async function outboxReport(config: AppConfig, io: AdminIo, options: { limit: number; now?: Date }): Promise<OutboxReport> {
  const opened = await openDatabase({ ...config, database: { ...config.database, migrate: false } }, adminLogger(config, io));
  try {
    const stats = await createPostgresStores(opened.handle).relayStore.stats(options.now ?? new Date());
    return { ...stats, failingEvents: stats.failing === 0 ? [] : await failingEvents(opened.handle, options.limit) };
  } finally {
    await opened.handle.close();
  }
}

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1_000).toFixed(1)} s`);

export function formatOutboxReport(report: OutboxReport): string {
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
export function outboxCommand(io: AdminIo): Command {
  const outbox = new Command('outbox').description('the transactional outbox of account events');
  outbox
    .command('status')
    .description('backlog, age of the oldest pending event, and failing events with their last error and next attempt')
    .option('--limit <n>', 'failing events to list', '20')
    .option('--json', 'print JSON', false)
    .addOption(configFileOption())
    .action((options: ConfigOption & { limit: string; json: boolean }) =>
      runAdminAction(io, async () => {
        const limit = Math.max(1, Number.parseInt(options.limit, 10) || 20);
        const report = await outboxReport(loadAdminConfig(io, options.config), io, { limit });
        io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatOutboxReport(report));
        return report.failing > 0 ? FAILING_EXIT_CODE : 0;
      }),
    );
  return outbox;
}
