import type { Kysely } from 'kysely';
import { Migrator, NO_MIGRATIONS, type MigrationResultSet } from 'kysely/migration';
import { StaticMigrationProvider } from './migration-provider.util.js';

/** The state of one migration. */
export interface MigrationState {
  name: string;
  /** When it was applied, or null while pending. */
  executedAt: Date | null;
}

/**
 * kysely's Migrator serializes concurrent runs itself: on PostgreSQL it holds a session-level advisory lock
 * (pg_advisory_lock) on a dedicated connection while it migrates inside one transaction, and it tolerates two
 * processes creating its bookkeeping tables at once. On PGlite there is a single connection, so no lock is needed.
 */
function migrator<DB>(db: Kysely<DB>): Migrator {
  // The migrations are written against no particular schema type (they create it).
  return new Migrator({ db: db as unknown as Kysely<unknown>, provider: new StaticMigrationProvider() });
}

function unwrap(result: MigrationResultSet, what: string): string[] {
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`${what} failed${failed ? ` at ${failed}` : ''}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest(), 'migration to latest');
}

/** Reverts the newest applied migration; returns its name (empty when nothing was applied). */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown(), 'migration down');
}

/** Reverts every applied migration, newest first: every table of this package is dropped. */
export async function migrateToEmpty<DB>(db: Kysely<DB>): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS), 'migration to empty');
}

/** Every known migration, in order, with when it was applied. */
export async function migrationStatus<DB>(db: Kysely<DB>): Promise<MigrationState[]> {
  const migrations = await migrator(db).getMigrations();
  return migrations.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
