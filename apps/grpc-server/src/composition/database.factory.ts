import { join, resolve } from 'node:path';
import type { OutageListener } from '@authsvc/core';
import { openPgliteDatabase, openPostgresDatabase, type PostgresDatabase } from '@authsvc/adapters-postgres';
import type { AppConfig } from '../config/config.types.js';
import { redactUrl } from '../config/redaction.config.js';
import type { AppLogger } from '../logging/logger.factory.js';
import { ensurePrivateFolder } from './secret-file.util.js';

export interface OpenedDatabase {
  database: PostgresDatabase;
  /** For the start-up line: never holds a password. */
  description: string;
}

const SSL = { off: undefined, require: { rejectUnauthorized: false }, verify: true } as const;

/**
 * PostgreSQL when database.url is set, else embedded PGlite in <dataDir>/pglite; then migrations if configured.
 * `onOutage` hears of every failure that means the database cannot serve, as it happens.
 */
export async function openDatabase(config: AppConfig, logger: AppLogger, onOutage?: OutageListener): Promise<OpenedDatabase> {
  let opened: OpenedDatabase;
  if (config.database.url !== undefined) {
    const ssl = SSL[config.database.ssl];
    opened = {
      database: openPostgresDatabase({
        url: config.database.url,
        poolSize: config.database.poolSize,
        statementTimeoutMs: config.database.statementTimeout,
        preparedStatements: config.database.preparedStatements,
        ...(ssl === undefined ? {} : { ssl }),
        ...(onOutage === undefined ? {} : { onOutage }),
      }),
      description: `PostgreSQL ${redactUrl(config.database.url)}`,
    };
  } else {
    const dataDir = resolve(config.dataDir, 'pglite');
    // Owner-only: the data folder holds every account and the generated secrets, and PGlite writes its files 0666.
    const shared = await ensurePrivateFolder(resolve(config.dataDir), false);
    if (shared !== null) logger.warn({ folder: config.dataDir, mode: shared.toString(8) }, 'the data folder is open to other users; make it 0700 (chmod 700)');
    const narrowed = await ensurePrivateFolder(dataDir, true);
    if (narrowed !== null) logger.warn({ folder: dataDir, was: narrowed.toString(8) }, 'the PGlite folder was open to other users; narrowed it to 0700');
    opened = { database: await openPgliteDatabase({ dataDir, ...(onOutage === undefined ? {} : { onOutage }) }), description: `embedded PGlite in ${join(config.dataDir, 'pglite')}` };
  }
  if (config.database.migrate) {
    try {
      const applied = await opened.database.migrateToLatest();
      if (applied.length > 0) logger.info({ applied }, 'applied database migrations');
    } catch (error) {
      await opened.database.close();
      throw error;
    }
  }
  return opened;
}
