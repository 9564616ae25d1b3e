import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import type { OutageListener } from '@authsvc/core';
import type { Schema } from '../schema/database-schema.types.js';
import type { DatabaseHandle } from './database-handle.types.js';
import { translatingDialect } from './translating-dialect.util.js';

export interface PgliteDatabaseOptions {
  /** Folder that holds the data, created if missing and kept across restarts; undefined keeps everything in memory. */
  dataDir?: string;
  /** Told of every failure that means the database cannot serve, as it happens (rare in process, but the same hook). */
  onOutage?: OutageListener;
}

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) in this process. One connection: kysely's PGlite dialect
 * queues every query and transaction behind the one open, so a unit of work never interleaves with another.
 * Only one process may open a given dataDir at a time.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const db = new Kysely<Schema>({ dialect: translatingDialect(new PGliteDialect({ pglite }), options.onOutage) });
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    db,
    listen: async (channel, listener) => {
      const unsubscribe = await pglite.listen(channel, listener);
      return async () => {
        if (!pglite.closed) await unsubscribe();
      };
    },
    close: () => (closed ??= (async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    })()),
  };
}
